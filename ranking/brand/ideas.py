"""Provides post ideas: angles filled with evidence from the insights, one per subject.

Each idea has an angle, the role family it targets, a platform, a draft that fits
the platform's limit, hashtags from the market's vocabulary and the evidence it
rests on (claims with counts, shares and links). Ideas are made per *subject*
(a theme, a job, a family, a skill) so no two ideas say the same thing; drafts
of the same angle that still read alike (Jaccard >= 0.6 on the words the
evidence put in, template words aside) are dropped too. Roles
that are hard to fill get extra ideas and a higher priority.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ranking.brand import drafting
from ranking.brand.families import role_title
from ranking.brand.insights import BrandInsights, FamilyInsight, Posting, ThemeStat, theme_label
from ranking.brand.lexicon import THEMES_BY_KEY, language
from ranking.brand.templates import render, template_words

# Which platforms suit an angle best, in order (an idea goes where it reads best and the calendar is balanced).
PLATFORM_PREFERENCE = {
    "differentiator": ("linkedin", "instagram", "x"), "role": ("linkedin", "x", "instagram"),
    "salary": ("linkedin", "x", "instagram"), "tech": ("linkedin", "x", "instagram"),
    "team": ("instagram", "linkedin", "x"), "story": ("instagram", "linkedin", "x"),
    "community": ("x", "linkedin", "instagram"),
}
PRIORITY = {"role": 6.5, "differentiator": 9.0, "salary": 8.0, "tech": 6.0, "team": 5.0, "story": 4.0, "community": 3.0}
HARD_BONUS = 3.0
MIN_MARKET = 3  # fewer competitor postings than this in a family: quote whole-market figures instead
SIMILARITY_MAX = 0.6
_LINK_IN_BIO = {"en": "link in bio", "fr": "lien en bio"}


@dataclass
class Idea:
    """One post idea. `key` is stable for the same subject, platform and language (the store's idea_key)."""

    angle: str
    role: str
    platform: str
    lang: str
    draft: str
    hashtags: list[str]
    evidence: list[dict[str, Any]]
    subject: str
    priority: float
    link: str | None = None
    suggested_for: datetime | None = None
    key: str = ""
    id: int | None = None
    status: str = "proposed"
    edited_text: str | None = None

    def __post_init__(self) -> None:
        if not self.key:
            raw = f"{self.subject}|{self.platform}|{self.lang}"
            self.key = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]

    @property
    def text(self) -> str:
        """What would be posted: the edited text when someone edited the draft."""
        return self.edited_text or self.draft


def _pct(share: float, lang: str) -> str:
    return f"{share:.0%}" if lang == "en" else f"{share * 100:.0f} %"


def _stat(k: int, n: int, lang: str) -> tuple[str, str]:
    """(long, short) phrasing of "k of the n market postings state it"."""
    pct = _pct(k / n if n else 0.0, lang)
    if lang == "fr":
        if k == 0:
            return "aucune n'en parle", f"aucune des {n} offres similaires lues ne le propose"
        if k == 1:
            return f"seulement 1 sur {n} en parle ({pct})", f"seulement 1 offre similaire sur {n} le propose"
        return f"seulement {k} sur {n} en parlent ({pct})", f"seulement {k} offres similaires sur {n} le proposent"
    if k == 0:
        return "none of them mention it", f"none of the {n} similar job ads we read offer it"
    return f"only {k} of {n} mention{'s' if k == 1 else ''} it ({pct})", f"only {k} of {n} similar job ads offer{'s' if k == 1 else ''} it"


def _few(k: int, n: int, lang: str) -> str:
    """A sentence saying how few comparable ads state a salary."""
    if lang == "fr":
        if k == 0:
            return f"Aucune des {n} offres similaires lues ne le fait"
        return f"Seule 1 offre similaire sur {n} le fait" if k == 1 else f"Seules {k} offres similaires sur {n} le font"
    if k == 0:
        return f"None of the {n} similar ads we read do"
    return f"Only 1 of {n} similar ads does" if k == 1 else f"Only {k} of {n} similar ads do"


def _salary_stat(k: int, n: int, lang: str) -> str:
    """Subject and verb for "… a salary range": "1 (20%) states", "2 (25%) state", "none states"."""
    if lang == "fr":
        return "aucune n'affiche" if k == 0 else f"{k} ({_pct(k / n, lang)}) affiche{'nt' if k > 1 else ''}"
    return "none states" if k == 0 else f"{k} ({_pct(k / n, lang)}) state{'s' if k == 1 else ''}"


def _join(items: list[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" and " if lang == "en" else " et ") + items[-1]


def _money(salary: tuple[float, float, str] | None, lang: str = "en") -> str:
    """A salary range the way each language writes it: "€65k–80k" / "65–80 k€"."""
    if not salary:
        return ""
    low, high, cur = salary
    sign = {"EUR": "€", "USD": "$", "GBP": "£"}.get(cur, "")
    if low < 1000:  # not a yearly figure in thousands: write it out
        return f"{low:,.0f}–{high:,.0f} {sign or cur}".strip()
    if lang == "fr":
        return f"{low / 1000:.0f}–{high / 1000:.0f} k{sign or ' ' + cur}".rstrip()
    return f"{sign}{low / 1000:.0f}k–{high / 1000:.0f}k" + ("" if sign else f" {cur}".rstrip())


def _claim(text: str, *, count: int | None = None, total: int | None = None, links: list[str | None] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"claim": text, "links": [u for u in dict.fromkeys(links) if u]}
    if count is not None and total:
        out.update(count=count, total=total, share=round(count / total, 3))
    return out


class _Builder:
    """Collects ideas for one language and set of platforms, enforcing one idea per subject."""

    def __init__(self, insights: BrandInsights, lang: str, platforms: tuple[str, ...]) -> None:
        self.ins, self.lang, self.platforms = insights, lang, platforms
        self.company = insights.company or ("our company" if lang == "en" else "notre entreprise")
        self.ideas: list[Idea] = []
        self.subjects: set[str] = set()
        self.load = {p: 0 for p in platforms}
        self.hard_ids = {h.job_id for h in insights.hard_to_fill}
        self.ignore = template_words(lang) | {w.lower() for w in self.company.split()}

    def platform_for(self, angle: str) -> str:
        prefs = [p for p in PLATFORM_PREFERENCE[angle] if p in self.platforms]
        return min(prefs, key=lambda p: self.load[p] + prefs.index(p) * 0.5)

    def add(self, *, angle: str, subject: str, fam: FamilyInsight, context: dict[str, Any], evidence: list[dict[str, Any]],
            tags: list[str | None], link: str | None, bonus: float = 0.0) -> None:
        if subject in self.subjects:
            return
        platform = self.platform_for(angle)
        ctx = {"company": self.company, "role": fam.label, **context}
        ctx["link"] = _LINK_IN_BIO[self.lang] if platform == "instagram" and link else link
        lines = render(angle, self.lang, ctx, short=platform == "x")
        if not lines:
            return
        text, kept = drafting.fit(lines, drafting.unique_tags(tags, drafting.HASHTAG_COUNT[platform]), drafting.LIMITS[platform])
        # Role and story ideas are about one job each (their subject is the job): two jobs are two messages.
        if angle not in ("role", "story") and any(
            other.angle == angle and drafting.similarity(text, other.draft, self.ignore) >= SIMILARITY_MAX for other in self.ideas
        ):
            return
        self.subjects.add(subject)
        self.load[platform] += 1
        self.ideas.append(Idea(angle=angle, role=fam.label, platform=platform, lang=self.lang, draft=text, hashtags=kept,
                               evidence=evidence, subject=subject, priority=PRIORITY[angle] + bonus, link=link))

    # --- tags and shared facts -------------------------------------------------------------
    def lead(self, fam: FamilyInsight) -> Posting:
        """The posting a family-wide idea links to: a hard-to-fill one when there is one."""
        return next((p for p in fam.ours if p.id in self.hard_ids), fam.ours[0])

    def role_tags(self, fam: FamilyInsight) -> list[str | None]:
        return [drafting.hashtag(fam.label)] + [drafting.hashtag(s) for s, _ in fam.skills[:4]]

    def theme_tags(self, stat: ThemeStat) -> list[str | None]:
        """The market's own word for a theme as a hashtag; French posts lead with the French tag."""
        market_tag = drafting.hashtag(stat.phrases[0]) if stat.phrases else None
        fixed = THEMES_BY_KEY[stat.key].hashtag[self.lang]
        if self.lang == "fr":
            return [fixed, market_tag]
        return [market_tag or fixed]

    def perks(self, p: Posting) -> list[str]:
        keys = [k for k, t in THEMES_BY_KEY.items() if t.kind == "benefit" and k in p.themes and k != "salary_transparency"]
        return [theme_label(k, self.lang) for k in keys]

    # --- angles ------------------------------------------------------------------------------
    def differentiators(self, fam: FamilyInsight, overall: FamilyInsight, bonus: float) -> None:
        stats = fam.differentiators or [s for s in overall.differentiators if any(s.key in p.themes for p in fam.ours)]
        scope = fam if fam.differentiators else overall
        for stat in stats:
            if stat.key == "salary_transparency":
                continue  # the salary angle says it with the figures
            ours = [p for p in fam.ours if stat.key in p.themes]
            # A quote goes in only when it is in the post's language (an English ad line in a French post jars).
            quote = next((p.themes[stat.key].snippet for p in ours if language(p.themes[stat.key].snippet) == self.lang), "")
            long_stat, short_stat = _stat(stat.market, stat.market_total, self.lang)
            label = theme_label(stat.key, self.lang)
            evidence = [
                _claim(f"{stat.ours} of {stat.ours_total} {self.company} postings state {stat.label} ({_pct(stat.ours_share, 'en')})",
                       count=stat.ours, total=stat.ours_total, links=[p.url for p in ours[:3]]),
                _claim(f"{stat.market} of {stat.market_total} competitor postings{'' if scope is overall else ' for ' + fam.label} "
                       f"state it ({_pct(stat.market_share, 'en')})", count=stat.market, total=stat.market_total,
                       links=[e["url"] for e in stat.examples if e["company"] != self.company][:3] or [p.url for p in scope.market[:3]]),
            ]
            self.add(angle="differentiator", subject=f"differentiator:{stat.key}", fam=fam, evidence=evidence, bonus=bonus,
                     context={"Theme": label[:1].upper() + label[1:], "market_n": stat.market_total,
                              "stat": long_stat, "stat_short": short_stat, "quote": quote,
                              "scope": f"{fam.label} " if scope is fam else ""},
                     tags=[*self.theme_tags(stat), *self.role_tags(fam)], link=next((p.url for p in ours if p.id in self.hard_ids), ours[0].url) if ours else None)

    def role(self, fam: FamilyInsight, p: Posting, bonus: float) -> None:
        perks = self.perks(p)
        evidence = [_claim(f"Open {self.company} posting: {p.title}", links=[p.url])]
        hard = next((h for h in self.ins.hard_to_fill if h.job_id == p.id), None)
        if hard:
            evidence.append(_claim("Hard to fill: " + "; ".join(hard.reasons), links=[p.url]))
        if perks:
            evidence.append(_claim(f"Stated in the posting: {', '.join(theme_label(k) for k in p.themes if k != 'salary_transparency')}", links=[p.url]))
        title_key = role_title(p.title) + "|" + p.seniority  # the same job on two boards is one subject
        # The job's skills, those the market names most first (a domain word like "payroll" goes last).
        counts = {name.lower(): c for name, c in fam.skills}
        skills = sorted(p.skills, key=lambda sk: -counts.get(sk.lower(), 0))
        perks_short = _join(perks[:2], self.lang)
        self.add(angle="role", subject=f"role:{title_key}", fam=fam, bonus=bonus, evidence=evidence,
                 context={"title": p.title, "skills": _join(skills[:5], self.lang),
                          "perks": _join(perks[:4], self.lang), "perks_short": perks_short[:1].upper() + perks_short[1:],
                          "salary": _money(p.salary, self.lang)},
                 tags=["#Hiring" if self.lang == "en" else "#Recrutement", *self.role_tags(fam)], link=p.url)

    def salary(self, fam: FamilyInsight, bonus: float) -> None:
        stated = [p for p in fam.ours if p.salary]
        # Too few comparable postings in the family to say anything: quote whole-market figures.
        scope = fam if len(fam.market) >= MIN_MARKET else self.ins.overall
        k, n = scope.salary["market"]["stated"], scope.salary["market"]["total"]
        if not stated or not n or k / n > 0.5:  # only worth a post when most of the market is silent on pay
            return
        p = stated[0]
        where = f"{fam.label} " if scope is fam else ""
        evidence = [_claim(f"{p.title} states {_money(p.salary)}", links=[p.url]),
                    _claim(f"{k} of {n} competitor {where}postings state a salary ({_pct(k / n, 'en')})", count=k, total=n,
                           links=[e["url"] for e in scope.salary["market"].get("examples", [])])]
        self.add(angle="salary", subject=f"salary:{fam.label}", fam=fam, bonus=bonus, evidence=evidence,
                 context={"title": p.title, "salary": _money(p.salary, self.lang), "market_n": n, "market_k": k, "scope": where, "few": _few(k, n, self.lang),
                          "market_stat": _salary_stat(k, n, self.lang)},
                 tags=[drafting.hashtag("salary transparency" if self.lang == "en" else "transparence salariale"), *self.role_tags(fam)],
                 link=p.url)

    def _skill_fact(self, fam: FamilyInsight, skill: str) -> tuple[int, int, list[str | None]]:
        """How many of the market's postings in the family name a skill (0 of 0 when we are alone)."""
        posts = [p for p in fam.market if skill.lower() in (s.lower() for s in p.skills)]
        return len(posts), len(fam.market), [p.url for p in posts[:3]]

    def our_skills(self, fam: FamilyInsight) -> list[str]:
        """Skills our postings in the family name, the market's most named first (never a competitor's stack)."""
        counts = {name.lower(): c for name, c in fam.skills}
        ours = list(dict.fromkeys(s for p in fam.ours for s in p.skills))
        return sorted(ours, key=lambda sk: -counts.get(sk.lower(), 0))

    def tech(self, fam: FamilyInsight, bonus: float) -> None:
        names = self.our_skills(fam)[:6]
        if len(names) < 2:
            return
        skill1 = names[0]
        k, n, links = self._skill_fact(fam, skill1)
        evidence = [_claim(f"Skills named in our {fam.label} postings: " + ", ".join(names), links=[p.url for p in fam.ours[:3]])]
        if k:
            evidence.append(_claim(f"{skill1} appears in {k} of {n} competitor {fam.label} postings ({_pct(k / n, 'en')})",
                                   count=k, total=n, links=links))
        self.add(angle="tech", subject=f"tech:{fam.label}", fam=fam, bonus=bonus, evidence=evidence,
                 context={"skills": _join(names, self.lang), "skills_short": ", ".join(names[:3]), "skill1": skill1,
                          "skill_k": k or None, "skill_n": n},
                 tags=[drafting.hashtag(s) for s in names] + [drafting.hashtag(fam.label)], link=self.lead(fam).url)

    def team(self, fam: FamilyInsight, bonus: float) -> None:
        titles = list(dict.fromkeys(p.title for p in fam.ours))
        culture = [(k, next(p.themes[k].phrase for p in fam.ours if k in p.themes)) for k, t in THEMES_BY_KEY.items()
                   if t.kind == "culture" and any(k in p.themes for p in fam.ours)]
        values = [theme_label(k, self.lang) for k, _ in culture]
        evidence = [_claim(f"{len(fam.ours)} open {self.company} posting(s) for {fam.label}", links=[p.url for p in fam.ours[:3]])]
        if values:
            evidence.append(_claim("Culture words in our postings: " + ", ".join(values)))
        self.add(angle="team", subject=f"team:{fam.label}", fam=fam, bonus=bonus, evidence=evidence,
                 context={"titles": _join(titles[:4], self.lang), "titles_short": ", ".join(titles[:2]),
                          "values": _join(values[:4], self.lang)},
                 tags=[drafting.hashtag(fam.label), *(drafting.hashtag(phrase) for _, phrase in culture[:3]), *self.role_tags(fam)],
                 link=self.lead(fam).url)

    def story(self, fam: FamilyInsight, p: Posting, bonus: float) -> None:
        topics = self.perks(p)[:2] + p.skills[:2]
        topics.append("how we hire" if self.lang == "en" else "notre processus de recrutement")
        evidence = [_claim(f"Open {self.company} posting: {p.title}", links=[p.url]),
                    _claim("Topics taken from the posting: " + ", ".join(topics[:-1]), links=[p.url])]
        self.add(angle="story", subject=f"story:{role_title(p.title)}|{p.seniority}", fam=fam, bonus=bonus, evidence=evidence,
                 context={"title": p.title, "topics": _join(topics, self.lang), "topics_short": ", ".join(topics[:2])},
                 tags=self.role_tags(fam), link=p.url)

    def community(self, fam: FamilyInsight, bonus: float) -> None:
        for skill in self.our_skills(fam)[:2]:  # a skill our team uses that the market asks for too
            k, n, links = self._skill_fact(fam, skill)
            if k < 2:
                continue
            evidence = [_claim(f"{skill} appears in {k} of {n} competitor {fam.label} postings ({_pct(k / n, 'en')})",
                               count=k, total=n, links=links),
                        _claim(f"and in our own {fam.label} postings", links=[p.url for p in fam.ours if skill in p.skills][:3])]
            self.add(angle="community", subject=f"community:{skill.lower()}", fam=fam, bonus=bonus, evidence=evidence,
                     context={"skill1": skill, "skill_k": k, "skill_n": n},
                     tags=[drafting.hashtag(skill), drafting.hashtag(f"{skill} community"), drafting.hashtag(fam.label)],
                     link=self.lead(fam).url)
            return


def generate_ideas(insights: BrandInsights, *, lang: str = "en", platforms: tuple[str, ...] = drafting.PLATFORMS) -> list[Idea]:
    """Turn insights into distinct, evidence-backed post ideas, best first.

    Only families where we have open postings get ideas (we do not advertise roles we
    do not hire for). Hard-to-fill roles get an extra story idea and a priority bonus.

    Args:
        insights: the output of `compute_insights`.
        lang: "en" or "fr".
        platforms: platforms to write for (subset of linkedin, x, instagram).

    Returns:
        ideas sorted by priority (highest first), without dates (see `calendar.plan_calendar`).
    """
    if lang not in ("en", "fr"):
        raise ValueError(f"lang must be 'en' or 'fr', not {lang!r}")
    unknown = [p for p in platforms if p not in drafting.PLATFORMS]
    if unknown or not platforms:
        raise ValueError(f"platforms must be among {', '.join(drafting.PLATFORMS)}, got {', '.join(platforms) or 'none'}")
    b = _Builder(insights, lang, tuple(platforms))
    families = [f for f in insights.families if f.ours]
    families.sort(key=lambda f: (-sum(p.id in b.hard_ids for p in f.ours), -len(f.ours), f.label))
    for fam in families:
        hard = [p for p in fam.ours if p.id in b.hard_ids]
        bonus = HARD_BONUS if hard else 0.0
        for p in sorted(fam.ours, key=lambda p: p.id not in b.hard_ids):
            b.role(fam, p, HARD_BONUS if p.id in b.hard_ids else 0.0)
        b.differentiators(fam, insights.overall, bonus)
        b.salary(fam, bonus)
        b.tech(fam, bonus)
        for p in hard:  # hard-to-fill roles get their own story prompt
            b.story(fam, p, bonus)
        if not hard:
            b.story(fam, fam.ours[0], bonus)
        b.team(fam, bonus)
        b.community(fam, bonus)
    return sorted(b.ideas, key=lambda i: -i.priority)
