"""Provides the English and French post templates, one set per angle.

Each angle has a `long` form (LinkedIn, Instagram: several lines) and a `short`
form (X: one line, or a list of alternatives, the first that can be filled wins). A line whose placeholders are not all available is left out, so
optional facts (a quote, a salary, a skills list) never leave holes such as
"Salary: ." in a draft. Placeholders are filled with evidence from the postings
only; nothing in a template claims a fact the data does not hold.
"""

from __future__ import annotations

import string
from typing import Any

ANGLES = ("differentiator", "role", "salary", "tech", "team", "story", "community")

ANGLE_LABELS = {
    "en": {"differentiator": "differentiator spotlight", "role": "a role we are hiring for",
           "salary": "salary transparency", "tech": "tech deep dive", "team": "team / behind the scenes",
           "story": "employee story prompt", "community": "event / community"},
    "fr": {"differentiator": "ce qui nous distingue", "role": "un poste ouvert",
           "salary": "transparence salariale", "tech": "plongée technique", "team": "l'équipe / les coulisses",
           "story": "témoignage collaborateur", "community": "événement / communauté"},
}

TEMPLATES: dict[str, dict[str, dict[str, Any]]] = {
    "differentiator": {
        "en": {"long": ["{Theme}: at {company}, it's a reality for our {role} team.",
                        "We read {market_n} {scope}job postings from other employers: {stat}.",
                        "In our own job ads: “{quote}”",
                        "Curious what it changes day to day? Ask us in the comments, or see our open roles: {link}"],
               "short": "{Theme} for our {role} team at {company}: {stat_short}. Open roles: {link}"},
        "fr": {"long": ["{Theme} : chez {company}, c'est une réalité pour notre équipe {role}.",
                        "Nous avons lu {market_n} offres {scope}d'autres employeurs : {stat}.",
                        "Dans nos offres : « {quote} »",
                        "Envie de savoir ce que ça change au quotidien ? Posez vos questions en commentaire, ou découvrez nos postes : {link}"],
               "short": "{Theme} pour notre équipe {role} chez {company} : {stat_short}. Nos postes : {link}"},
    },
    "role": {
        "en": {"long": ["We're hiring: {title} at {company}.",
                        "You'll work with {skills}.",
                        "What we offer: {perks}.",
                        "Salary: {salary}.",
                        "Apply, or share this with someone who would be a great fit: {link}"],
               "short": ["We're hiring: {title} at {company}. {perks_short}. Apply: {link}",
                         "We're hiring: {title} at {company}. Apply: {link}"]},
        "fr": {"long": ["On recrute : {title} chez {company}.",
                        "Au programme : {skills}.",
                        "Ce que nous proposons : {perks}.",
                        "Salaire : {salary}.",
                        "Postulez, ou partagez à quelqu'un qui serait parfait pour ce poste : {link}"],
               "short": ["On recrute : {title} chez {company}. {perks_short}. Postuler : {link}",
                         "On recrute : {title} chez {company}. Postuler : {link}"]},
    },
    "salary": {
        "en": {"long": ["Salary on the ad, every time. Our {title} role pays {salary}.",
                        "Of the {market_n} comparable job postings we read, {market_stat} a salary range.",
                        "We think you should know before you apply. See the role: {link}"],
               "short": "Our {title} role pays {salary}, and it says so on the ad. {few}. {link}"},
        "fr": {"long": ["Le salaire dans l'annonce, toujours. Notre poste {title} : {salary}.",
                        "Sur les {market_n} offres comparables que nous avons lues, {market_stat} une fourchette de salaire.",
                        "Vous devriez le savoir avant de postuler. Le poste : {link}"],
               "short": "Notre poste {title} : {salary}, affiché dans l'annonce. {few}. {link}"},
    },
    "tech": {
        "en": {"long": ["Inside our {role} toolkit at {company}: {skills}.",
                        "{skill1} appears in {skill_k} of the {skill_n} {role} job ads we read from other employers. It's everyday work here too.",
                        "Which part of it should we write about next? Tell us below.",
                        "Open roles: {link}"],
               "short": ["Our {role} toolkit at {company}: {skills_short}. {skill1} is in {skill_k}/{skill_n} {role} ads we read. {link}",
                         "Our {role} toolkit at {company}: {skills_short}. What should we write about next? {link}"]},
        "fr": {"long": ["Les outils de notre équipe {role} chez {company} : {skills}.",
                        "{skill1} apparaît dans {skill_k} des {skill_n} offres {role} d'autres employeurs que nous avons lues. Chez nous, c'est le quotidien.",
                        "Sur lequel de ces outils voulez-vous notre prochain article ? Dites-le en commentaire.",
                        "Nos postes : {link}"],
               "short": ["Les outils de notre équipe {role} chez {company} : {skills_short}. {skill1} : {skill_k}/{skill_n} offres {role} lues. {link}",
                         "Les outils de notre équipe {role} chez {company} : {skills_short}. Sur lequel voulez-vous un article ? {link}"]},
    },
    "team": {
        "en": {"long": ["Behind the scenes: the {role} team at {company}.",
                        "Open right now: {titles}.",
                        "What the team puts first: {values}.",
                        "Want to meet them? {link}"],
               "short": "Behind the scenes with the {role} team at {company}. Open now: {titles_short}. {link}"},
        "fr": {"long": ["Dans les coulisses de l'équipe {role} chez {company}.",
                        "Postes ouverts en ce moment : {titles}.",
                        "Ce qui compte pour l'équipe : {values}.",
                        "Envie de les rencontrer ? {link}"],
               "short": "Dans les coulisses de l'équipe {role} chez {company}. Postes ouverts : {titles_short}. {link}"},
    },
    "story": {
        "en": {"long": ["What is it really like to work as a {title} at {company}?",
                        "We're starting a series where our {role} team answers your questions: {topics}.",
                        "Leave your question in the comments and we'll put it to them.",
                        "The role is open: {link}"],
               "short": "What's it like to be a {title} at {company}? Ask our {role} team anything: {topics_short}. {link}"},
        "fr": {"long": ["À quoi ressemble vraiment le quotidien d'un·e {title} chez {company} ?",
                        "Nous lançons une série où notre équipe {role} répond à vos questions : {topics}.",
                        "Laissez votre question en commentaire, nous la leur poserons.",
                        "Le poste est ouvert : {link}"],
               "short": "Le quotidien d'un·e {title} chez {company} ? Posez vos questions à notre équipe {role} : {topics_short}. {link}"},
    },
    "community": {
        "en": {"long": ["Shout-out to the {skill1} community!",
                        "{skill1} comes up in {skill_k} of the {skill_n} {role} job ads we read from other employers, and our team at {company} uses it every day.",
                        "Which {skill1} meetups, talks or newsletters should we not miss? Share your favourites below.",
                        "We're hiring: {link}"],
               "short": "{skill1} folks: which meetups or talks should our {role} team at {company} not miss? {link}"},
        "fr": {"long": ["Coucou la communauté {skill1} !",
                        "{skill1} revient dans {skill_k} des {skill_n} offres {role} d'autres employeurs que nous avons lues, et notre équipe chez {company} l'utilise tous les jours.",
                        "Quels meetups, talks ou newsletters {skill1} ne faut-il pas manquer ? Partagez vos favoris en commentaire.",
                        "On recrute : {link}"],
               "short": "Communauté {skill1} : quels meetups ou talks notre équipe {role} chez {company} ne doit-elle pas manquer ? {link}"},
    },
}


class _Missing(KeyError):
    """A placeholder with no value: the line that holds it is left out."""


class _Strict(dict):
    def __missing__(self, key: str) -> Any:
        raise _Missing(key)


# Inline qualifiers that may be empty without making the line meaningless ("We read 8 {scope}job postings").
INLINE_OPTIONAL = frozenset({"scope"})


def fill(line: str, context: dict[str, Any]) -> str | None:
    """Fill one template line, or return None when a placeholder has no (non-empty) value."""
    values = _Strict({k: v for k, v in context.items() if v not in (None, "", []) or k in INLINE_OPTIONAL})
    try:
        return string.Formatter().vformat(line, (), values)
    except _Missing:
        return None


def render(angle: str, lang: str, context: dict[str, Any], *, short: bool) -> list[str]:
    """Render an angle's template: the list of filled lines (short form: one line)."""
    tpl = TEMPLATES[angle][lang]
    if short:
        options = [tpl["short"]] if isinstance(tpl["short"], str) else tpl["short"]
        out = next(([f] for f in (fill(o, context) for o in options) if f), [])
    else:
        out = [filled for filled in (fill(line, context) for line in tpl["long"]) if filled]
    if short and not out:
        # The short form needs the link; without one, fall back to the long form's first line.
        out = [filled for filled in (fill(line, context) for line in tpl["long"][:2]) if filled]
    return out


def template_words(lang: str) -> set[str]:
    """Every word the templates of a language contain, placeholders excluded (for near-duplicate checks)."""
    import re

    text = " ".join(
        " ".join([*t["long"], *([t["short"]] if isinstance(t["short"], str) else t["short"])])
        for angle in TEMPLATES.values() for l, t in angle.items() if l == lang
    )
    return {w for w in re.findall(r"\w+", re.sub(r"\{\w+\}", " ", text).lower()) if len(w) > 3}
