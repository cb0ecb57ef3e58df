"""Provides `parse_job`: a job description split into what a recruiter would compare.

Title, must-have requirements, nice-to-haves, missions, location and remote policy,
spoken languages, seniority. Sections are found from English and French headings
("Requirements", "Nice to have", "Profil recherché", "Missions", "Atouts"…) and
their bullet lists; with no headings, bullet lines are taken as requirements and
lines saying "a plus" / "un plus" / "ideally" as nice-to-haves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ranking.skills import extract_skills
from sourcing.textclean import html_to_text as _clean_html
from ranking.text import detect_lang, fold, sentences

LANGUAGE_SKILLS = {"English", "French", "German", "Spanish", "Italian", "Dutch", "Portuguese", "Chinese", "Japanese", "Arabic"}

_HEADINGS: list[tuple[str, str]] = [
    # (kind, regex over the folded heading text); order matters: "nice" before "must".
    ("nice", r"nice[ -]to[ -]haves?|les plus|le petit plus|les \+|bonus( points)?|preferred( qualifications)?|pluses|atouts?|un plus|serait un plus|souhaite|ideally|idealement|desirable|would be great"),
    ("must", r"requirements?|must[ -]haves?|qualifications|what you('ll)? (bring|need|have)|who you are|about you|your profile|skills|required|profil( recherche)?|competences( requises)?|exigences|prerequis|vous avez|vous etes|ce que nous recherchons|ce que vous apportez|votre profil|we('re| are) looking for"),
    ("missions", r"missions?|responsibilities|what you('ll)? do|the role|role|your role|vos missions|le poste|descriptif du poste|votre role|day to day|au quotidien"),
    ("other", r"about (us|the company)|who we are|benefits|perks|avantages|qui sommes[- ]nous|l'entreprise|a propos|why join|pourquoi nous rejoindre|salary|salaire|remuneration|process|processus|how to apply|postuler"
              r"|what we offer|we offer|what you('ll)? get|our offer|compensation|package|nous (vous )?(offrons|proposons)|ce que nous (vous )?(offrons|proposons)|pourquoi (nous )?rejoindre|ce que l'on (vous )?propose|notre offre"),
]
# A benefit or pay line ("Learning budget of 1,500 EUR a year, 4-day week option, salary range
# 65-80k EUR") is what the employer offers, never a requirement, wherever it sits.
_BENEFIT = re.compile(
    r"\b(salary|salaries|salaire|remuneration|compensation|pay range|learning budget|training budget|budget( de)? formation"
    r"|tickets? (restaurants?|resto)|meal vouchers?|mutuelle|health (insurance|care)|paid (time off|leave|holidays)|conges payes"
    r"|rtt|stock options?|equity|bspce|[34][- ]day (work )?week|semaine de [34] jours|vacation days|days off|pension|retirement plan"
    r"|gym|offsites?|perks?|benefits? package|annual bonus|performance bonus|prime annuelle|we offer|nous (vous )?(offrons|proposons))\b"
    r"|\d[\d,.]*\s?k?\s?(€|eur\b|euros?\b|usd\b|gbp\b|£|\$)|[€$£]\s?\d"
)
_NICE_LINE = re.compile(r"\b(a plus|nice to have|bonus|ideally|preferred|is an asset|un plus|serait un plus|apprecie|idealement|un atout|souhaite)\b")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s+")
_YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:years?|yrs|ans|annees)")
_SENIORITY = [
    ("lead", r"\b(lead|principal|staff|head of|tech lead|architecte?)\b"),
    ("senior", r"\b(senior|sr\.?|confirme|experimente|expert)\b"),
    ("junior", r"\b(junior|jr\.?|debutant|graduate|entry[- ]level|alternance|stage|intern(ship)?)\b"),
    ("mid", r"\b(mid[- ]level|intermediate)\b"),
]
_REMOTE = re.compile(r"\b(full[- ]remote|fully remote|100 ?% remote|remote[- ]first|remote|teletravail( complet| total)?|a distance)\b")
_HYBRID = re.compile(r"\b(hybrid|hybride|teletravail partiel|\d jours? de teletravail)\b")
_ONSITE = re.compile(r"\b(on[- ]site|onsite|sur site|en presentiel|presentiel)\b")
_LOCATION = re.compile(r"\b(?:location|lieu|localisation|based in|bureaux?|office)\s*[:\-–]\s*([^.;\n]+)", re.IGNORECASE)


@dataclass
class Requirement:
    """One requirement line and the canonical skills it names."""

    text: str
    kind: str  # "must" | "nice"
    skills: list[str] = field(default_factory=list)
    any_of: bool = False  # "Python or Go": one of the skills is enough


@dataclass
class JobSpec:
    """What a job description asks for."""

    title: str
    must: list[Requirement] = field(default_factory=list)
    nice: list[Requirement] = field(default_factory=list)
    missions: list[str] = field(default_factory=list)
    location: str | None = None
    remote: str | None = None  # "remote" | "hybrid" | "onsite" | None (not said)
    languages: list[str] = field(default_factory=list)
    seniority: str | None = None
    min_years: int | None = None
    lang: str = "en"
    skills: list[str] = field(default_factory=list)

    @property
    def requirements(self) -> list[Requirement]:
        """Must-haves then nice-to-haves."""
        return self.must + self.nice

    def query_text(self, max_words: int = 160) -> str:
        """A compact text for dense/lexical matching: title, must-haves, nice-to-haves, missions."""
        parts = [self.title] + [r.text for r in self.must] + [r.text for r in self.nice] + self.missions
        words: list[str] = []
        for part in parts:
            words.extend(part.split())
            if len(words) >= max_words:
                break
        return " ".join(words[:max_words])


def _heading_kind(line: str) -> str | None:
    text = line.strip()
    if not text or _BULLET.match(text):
        return None
    plain = fold(text).strip(" #*:_-=").strip()
    if len(plain.split()) > 7:  # a sentence, not a heading
        return None
    if not (text.rstrip().endswith(":") or text.startswith("#") or len(plain.split()) <= 5):
        return None
    for kind, pattern in _HEADINGS:
        if re.search(rf"^(?:{pattern})\b", plain) or re.search(rf"\b(?:{pattern})\s*:?$", plain):
            return kind
    return None


def _requirement(text: str, kind: str) -> Requirement:
    text = _BULLET.sub("", text).strip()
    skills = extract_skills(text)
    any_of = bool(re.search(r"\b(or|ou)\b|/", fold(text))) and len(skills) > 1
    return Requirement(text=text, kind=kind, skills=skills, any_of=any_of)


def parse_job(title: str, description: str, *, location: str | None = None, remote: bool | None = None,
              workplace: str | None = None, lang: str | None = None) -> JobSpec:
    """Parse a job description into a `JobSpec`.

    Args:
        title: the job title.
        description: the plain-text description (HTML should be converted first).
        location: a location known from the posting's structured fields.
        remote: the posting's remote flag, when the source gives one.
        workplace: the posting's stored workplace ("remote" | "hybrid" | "onsite"); it wins over
            the flag and over what the text says, since the source stated it.
        lang: the text's language when already known (detected before for the same text).
    """
    spec = JobSpec(title=title.strip(), lang=lang or detect_lang(f"{title}\n{description}"))
    section: str | None = None
    loose_bullets: list[str] = []
    plain_lines: list[str] = []
    for raw in (description or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        loc = _LOCATION.search(line)
        if loc and not spec.location:
            spec.location = loc.group(1).strip()
            line = (line[: loc.start()] + line[loc.end() :]).strip(" .;")
            if not line:
                continue
        kind = _heading_kind(line)
        if kind:
            section = kind
            # "Requirements: Python, Django" keeps its text after the colon.
            tail = line.split(":", 1)[1].strip() if ":" in line else ""
            if not tail:
                continue
            line = tail
        if section in ("must", "nice"):
            for item in _split_items(line):
                if _is_constraint_line(item) or is_benefit_line(item):
                    continue
                req = _requirement(item, "nice" if section == "nice" or _NICE_LINE.search(fold(item)) else "must")
                (spec.nice if req.kind == "nice" else spec.must).append(req)
        elif section == "missions":
            spec.missions.append(_BULLET.sub("", line))
        elif section == "other":
            continue
        elif _BULLET.match(raw):
            loose_bullets.append(line)
        else:
            plain_lines.append(line)
    if not spec.must and not spec.nice:
        # No headings: bullets are requirements; failing that, sentences naming skills are.
        items = loose_bullets or [s for s in sentences("\n".join(plain_lines)) if extract_skills(s)]
        for item in items:
            if is_benefit_line(item):
                continue
            req = _requirement(item, "nice" if _NICE_LINE.search(fold(item)) else "must")
            (spec.nice if req.kind == "nice" else spec.must).append(req)
    _constraints(spec, title, description, location, remote)
    if workplace in ("remote", "hybrid", "onsite"):
        spec.remote = workplace
    return spec


def is_benefit_line(item: str) -> bool:
    """True for a pay or benefit line (salary, budget, perks, 4-day week…), which is never a requirement."""
    return bool(_BENEFIT.search(fold(item)))


def _is_constraint_line(item: str) -> bool:
    """A remote/on-site sentence inside a requirements list is a constraint, not a skill."""
    folded = fold(item)
    return bool(_REMOTE.search(folded) or _HYBRID.search(folded) or _ONSITE.search(folded)) and not extract_skills(item)


def _split_items(line: str) -> list[str]:
    """A requirement line; a long line listing several sentences becomes several items."""
    parts = [p for p in sentences(line) if len(p.split()) >= 1]
    return parts or [line]


def _constraints(spec: JobSpec, title: str, description: str, location: str | None, remote: bool | None) -> None:
    folded = fold(f"{title}\n{description}")
    if location and not spec.location:
        spec.location = location
    if remote is True or _REMOTE.search(folded):
        spec.remote = "hybrid" if _HYBRID.search(folded) and not re.search(r"full[- ]remote|fully remote|100 ?% remote|teletravail (complet|total)", folded) else "remote"
    elif _HYBRID.search(folded):
        spec.remote = "hybrid"
    elif remote is False or _ONSITE.search(folded):
        spec.remote = "onsite"
    for level, pattern in _SENIORITY:
        if re.search(pattern, fold(title)):
            spec.seniority = level
            break
    else:
        for level, pattern in _SENIORITY:
            if re.search(pattern, folded):
                spec.seniority = level
                break
    years = [int(m.group(1)) for m in _YEARS.finditer(folded)]
    spec.min_years = min(years) if years else None
    all_skills: list[str] = []
    for req in spec.requirements:
        for s in req.skills:
            if s not in all_skills:
                all_skills.append(s)
    for s in extract_skills(title):
        if s not in all_skills:
            all_skills.insert(0, s)
    spec.languages = [s for s in all_skills if s in LANGUAGE_SKILLS]
    spec.skills = all_skills


def html_to_text(text: str) -> str:
    """Plain text of an HTML description: the product's one cleaner (`sourcing.textclean`),
    the same the spiders store descriptions with; list items come out as "- " bullets."""
    return _clean_html(text)


def spec_from_job(job: dict[str, Any], *, lang: str | None = None) -> JobSpec:
    """Parse a store job dict (`store.get_job`); an HTML description is converted to text first.

    `lang`: the job text's language when known (`ranking.retrieve.job_spec` keeps it in the store).
    """
    return parse_job(
        job.get("title") or "",
        html_to_text(job.get("description") or ""),
        location=job.get("location"),
        remote=job.get("remote"),
        workplace=job.get("workplace"),
        lang=lang,
    )
