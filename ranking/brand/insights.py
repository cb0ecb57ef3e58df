"""Provides employer-brand insights: what the market's postings emphasise, per role family.

Input is plain job dicts (as `Store.list_jobs` returns them); output is dataclasses
whose every figure carries its evidence: counts, shares and links to example postings.

- A theme (benefit or culture word, see `lexicon`) is a *differentiator* when at least
  half of our postings state it and at most a quarter of competitors' do; a *gap*
  when at least half of competitors state it and under a quarter of ours do. Both
  need at least three competitor postings to compare with.
- A posting states salary transparency when it carries a salary range (structured
  fields or a range written in the text), or says so in words.
- Hard-to-fill signals: our open roles with few strong matches in the ranked pool,
  or open for a long time.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence

from ranking.brand.families import Encoder, RoleFamily, cluster_roles, matches_role
from ranking.brand.lexicon import THEMES, THEMES_BY_KEY, ThemeMatch, find_themes, normalise, parse_salary, seniority

DIFF_MIN_OURS, DIFF_MAX_MARKET = 0.5, 0.25
GAP_MIN_MARKET, GAP_MAX_OURS = 0.5, 0.25
MIN_MARKET = 3  # below this many competitor postings, shares are anecdotes: no differentiators or gaps
SkillsFn = Callable[[str], Iterable[Any]]


@dataclass
class Posting:
    """The facts about one job posting the brand analysis uses (no personal data)."""

    id: int
    title: str
    company: str
    url: str | None
    own: bool
    description: str
    themes: dict[str, ThemeMatch]
    skills: list[str]
    salary: tuple[float, float, str] | None
    seniority: str
    opened: datetime | None

    def example(self, theme: str | None = None) -> dict[str, Any]:
        """Evidence entry for this posting: title, company, link and the sentence that states `theme`."""
        out: dict[str, Any] = {"job_id": self.id, "title": self.title, "company": self.company, "url": self.url}
        if theme and theme in self.themes:
            out["quote"] = self.themes[theme].snippet
        return out


@dataclass
class ThemeStat:
    """How often a theme is stated by our postings and by the market's, with examples."""

    key: str
    kind: str
    label: str
    ours: int
    ours_total: int
    market: int
    market_total: int
    examples: list[dict[str, Any]] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # the market's own wording, most used first

    @property
    def ours_share(self) -> float:
        return self.ours / self.ours_total if self.ours_total else 0.0

    @property
    def market_share(self) -> float:
        return self.market / self.market_total if self.market_total else 0.0


@dataclass
class FamilyInsight:
    """Everything known about one role family (or the whole market when `label` is "all roles")."""

    label: str
    terms: list[str]
    ours: list[Posting]
    market: list[Posting]
    themes: list[ThemeStat]
    skills: list[tuple[str, int]]
    seniority: dict[str, int]
    salary: dict[str, Any]
    differentiators: list[ThemeStat]
    gaps: list[ThemeStat]
    skill_links: dict[str, list[str]] = field(default_factory=dict)  # skill -> example posting URLs

    @property
    def total(self) -> int:
        return len(self.ours) + len(self.market)


@dataclass
class HardToFill:
    """One of our open roles that the pool or the calendar says is hard to fill."""

    job_id: int
    title: str
    url: str | None
    family: str
    reasons: list[str]
    strong_matches: int | None
    ranked: int | None
    days_open: int | None


@dataclass
class BrandInsights:
    """The full analysis: per-family insights, the whole market, and hard-to-fill roles."""

    company: str
    overall: FamilyInsight
    families: list[FamilyInsight]
    hard_to_fill: list[HardToFill]
    generated_at: datetime
    skipped: list[str] = field(default_factory=list)  # postings that could not be read, with the reason


# Words that do not tell two employers apart ("Brightwave Labs" on one board is "brightwave" on another).
_COMPANY_FILLER = frozenset("inc llc ltd limited gmbh sas sasu sa sarl corp corporation co company plc bv ag "
                            "labs lab group groupe technologies technology tech software hq io the".split())
# Extractor output that is not a skill worth advertising: languages and words the brand lexicon already covers.
_NOT_SKILLS = frozenset("french english german spanish italian dutch fr en de es remote hybrid teletravail".split())


try:  # canonical tech names the skills module spells in lower case ("scikit-learn", "machine learning")
    from ranking.skills import SYNONYMS as _SYNONYMS

    _KNOWN_TECH = frozenset(_SYNONYMS)
except ImportError:
    _KNOWN_TECH = frozenset({"scikit-learn", "machine learning"})


def company_key(name: str) -> str:
    """A company name reduced to what identifies it: "Brightwave Labs SAS" -> "brightwave"."""
    words = re.findall(r"[a-z0-9]+", normalise(name))
    kept = [w for w in words if w not in _COMPANY_FILLER]
    return "".join(kept or words)


def is_own(job: dict[str, Any], company: str, own_sources: Sequence[str] = ()) -> bool:
    """Whether a job is ours: flagged own, from one of our sources, or posted under our company name."""
    if job.get("own"):
        return True
    if job.get("source_key") and job["source_key"] in own_sources:
        return True
    return bool(company_key(company)) and company_key(job.get("company") or "") == company_key(company)


def _skill_names(items: Iterable[Any]) -> list[str]:
    """Accept strings, dicts or objects from a skills extractor and keep their display names."""
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            names.append(str(item.get("label") or item.get("name") or item.get("skill") or ""))
        else:
            names.append(str(getattr(item, "label", None) or getattr(item, "name", None) or item))
    return [n for n in dict.fromkeys(n.strip() for n in names) if n and _is_tool(n)]


def _is_tool(name: str) -> bool:
    """Keep named tools and technologies (Python, CI/CD, Figma, scikit-learn); drop languages and the
    lower-case general-skill labels a taxonomy match on a stray word yields ("energy", "office administration"):
    they make poor hashtags and odd "our stack" lists."""
    if normalise(name) in _NOT_SKILLS or len(name.split()) > 3:
        return False
    return any(c.isupper() for c in name) or name in _KNOWN_TECH


def default_skills_fn() -> SkillsFn | None:
    """The ranking layer's skills extractor, when it is installed."""
    try:
        from ranking.skills import extract_skills
    except ImportError:
        return None
    return extract_skills


def to_posting(job: dict[str, Any], *, own: bool, skills_fn: SkillsFn | None = None) -> Posting:
    """Build a `Posting` from a store job dict (themes, skills, salary and seniority extracted)."""
    title = job.get("title") or ""
    desc = job.get("description") or ""
    text = f"{title}\n{desc}"
    themes = find_themes(text)
    salary = None
    if job.get("salary_min") or job.get("salary_max"):
        low = float(job.get("salary_min") or job.get("salary_max"))
        salary = (low, float(job.get("salary_max") or low), job.get("salary_currency") or "")
    else:
        salary = parse_salary(desc)
    if salary and "salary_transparency" not in themes:
        low, high, cur = salary
        themes["salary_transparency"] = ThemeMatch("salary_transparency", "salary range", f"{low:,.0f}-{high:,.0f} {cur}".strip())
    skills = list(job.get("tags") or [])
    if skills_fn is not None:
        skills += _skill_names(skills_fn(text))
    opened = job.get("posted_at") or job.get("first_seen")
    if isinstance(opened, str):
        opened = datetime.fromisoformat(opened)
    if opened is not None and opened.tzinfo is None:
        opened = opened.replace(tzinfo=timezone.utc)
    return Posting(
        id=int(job["id"]), title=title, company=job.get("company") or "", url=job.get("url"), own=own,
        description=desc, themes=themes, skills=_skill_names(skills),
        salary=salary, seniority=job.get("seniority") or seniority(title), opened=opened,
    )


def _theme_stats(ours: list[Posting], market: list[Posting]) -> list[ThemeStat]:
    stats = []
    for theme in THEMES:
        o = [p for p in ours if theme.key in p.themes]
        m = [p for p in market if theme.key in p.themes]
        if not o and not m:
            continue
        phrases = Counter(p.themes[theme.key].phrase.lower() for p in m + o)
        examples = [p.example(theme.key) for p in (o[:2] + m[:3])]
        stats.append(ThemeStat(theme.key, theme.kind, theme.label["en"], len(o), len(ours), len(m), len(market),
                               examples, [ph for ph, _ in phrases.most_common(3)]))
    stats.sort(key=lambda s: (-(s.ours + s.market), s.key))
    return stats


def _salary_summary(ours: list[Posting], market: list[Posting]) -> dict[str, Any]:
    def summary(posts: list[Posting]) -> dict[str, Any]:
        stated = [p for p in posts if p.salary]
        out: dict[str, Any] = {"stated": len(stated), "total": len(posts)}
        by_cur = Counter(p.salary[2] for p in stated)
        if by_cur:
            cur = by_cur.most_common(1)[0][0]
            same = [p.salary for p in stated if p.salary[2] == cur]
            out.update(currency=cur, min=min(s[0] for s in same), max=max(s[1] for s in same),
                       examples=[p.example() for p in stated[:3]])
        return out

    return {"ours": summary(ours), "market": summary(market)}


def analyse_family(label: str, terms: list[str], postings: list[Posting]) -> FamilyInsight:
    """Compare our postings with the market's within one set of postings."""
    ours = [p for p in postings if p.own]
    market = [p for p in postings if not p.own]
    themes = _theme_stats(ours, market)
    enough = bool(ours) and len(market) >= MIN_MARKET
    diffs = [s for s in themes if enough and s.ours_share >= DIFF_MIN_OURS and s.market_share <= DIFF_MAX_MARKET]
    gaps = [s for s in themes if enough and s.market_share >= GAP_MIN_MARKET and s.ours_share < GAP_MAX_OURS]
    # Benefits before culture words (a 4-day week says more than "collaborative"), then the widest margin.
    diffs.sort(key=lambda s: (s.kind != "benefit", s.market_share - s.ours_share, -s.ours, s.key))
    gaps.sort(key=lambda s: (s.kind != "benefit", s.ours_share - s.market_share, -s.market, s.key))
    skill_counts = Counter(s for p in postings for s in {x.lower(): x for x in p.skills}.values())
    top_skills = skill_counts.most_common(12)
    skill_links = {name: [p.url for p in postings if p.url and name in p.skills][:3] for name, _ in top_skills}
    return FamilyInsight(
        label=label, terms=terms, ours=ours, market=market, themes=themes,
        skills=top_skills, seniority=dict(Counter(p.seniority for p in postings).most_common()),
        salary=_salary_summary(ours, market), differentiators=diffs, gaps=gaps, skill_links=skill_links,
    )


def hard_to_fill(
    ours: list[Posting],
    family_label: dict[int, str],
    rankings: dict[int, list[float]],
    *,
    now: datetime,
    strong_score: float = 0.6,
    min_strong: int = 3,
    max_days_open: int = 45,
) -> list[HardToFill]:
    """Our roles with fewer than `min_strong` pool matches scoring >= `strong_score`, or open > `max_days_open` days."""
    out = []
    for p in ours:
        reasons = []
        scores = rankings.get(p.id)
        strong = sum(1 for s in scores if s >= strong_score) if scores else None
        if scores and strong < min_strong:
            reasons.append(f"only {strong} of {len(scores)} ranked candidates score >= {strong_score:.2f}")
        days = (now - p.opened).days if p.opened else None
        if days is not None and days > max_days_open:
            reasons.append(f"open for {days} days (since {p.opened:%Y-%m-%d})")
        if reasons:
            out.append(HardToFill(p.id, p.title, p.url, family_label.get(p.id, ""), reasons, strong,
                                  len(scores) if scores else None, days))
    out.sort(key=lambda h: (h.strong_matches if h.strong_matches is not None else 99, -(h.days_open or 0)))
    return out


def compute_insights(
    jobs: list[dict[str, Any]],
    *,
    company: str,
    own_sources: Sequence[str] = (),
    encoder: Encoder | None = None,
    rankings: dict[int, list[float]] | None = None,
    role: str | None = None,
    skills_fn: SkillsFn | None = None,
    now: datetime | None = None,
    strong_score: float = 0.6,
    max_days_open: int = 45,
) -> BrandInsights:
    """Analyse postings into per-family insights, differentiators, gaps and hard-to-fill roles.

    Args:
        jobs: job dicts (id, title, description, company, url, own, source_key, salary_*, tags, first_seen).
        company: our company name (`brand.company`).
        own_sources: source keys that are ours (`brand.own_sources`).
        encoder: sentence encoder for clustering (None = TF-IDF vectors).
        rankings: job id -> candidate scores of its latest ranking (hard-to-fill signal).
        role: keep only families whose label, terms or titles match this text.
        skills_fn: skills extractor (text -> skills); default `ranking.skills.extract_skills` when present.
        now: reference time for "open for N days" (default: now, UTC).
        strong_score: a ranked candidate at or above this score is a strong match (`brand.strong_score`).
        max_days_open: our roles open longer than this are hard to fill (`brand.max_days_open`).

    Returns:
        BrandInsights with every figure backed by counts, shares and example links.
    """
    now = now or datetime.now(timezone.utc)
    skills_fn = skills_fn if skills_fn is not None else default_skills_fn()
    postings: list[Posting] = []
    skipped: list[str] = []
    for job in jobs:
        # One malformed posting is reported and left out; the analysis of the others goes on.
        try:
            postings.append(to_posting(job, own=is_own(job, company, own_sources), skills_fn=skills_fn))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            where = job.get("url") or job.get("source_key") or "no url" if isinstance(job, dict) else "not a dict"
            ident = job.get("id", "?") if isinstance(job, dict) else "?"
            skipped.append(f"job {ident} ({where}): skipped, {type(exc).__name__}: {exc}")
    titles = [p.title for p in postings]
    families: list[RoleFamily] = cluster_roles(titles, [p.description for p in postings], encoder=encoder)
    if role:
        families = [f for f in families if matches_role(f, titles, role)]
    fam_insights = [analyse_family(f.label, f.terms, [postings[i] for i in f.members]) for f in families]
    label_of = {postings[i].id: f.label for f in families for i in f.members}
    kept = [postings[i] for f in families for i in f.members] if role else postings
    overall = analyse_family("all roles", [], kept)
    htf = hard_to_fill([p for p in kept if p.own], label_of, rankings or {}, now=now,
                       strong_score=strong_score, max_days_open=max_days_open)
    return BrandInsights(company=company, overall=overall, families=fam_insights, hard_to_fill=htf, generated_at=now,
                         skipped=skipped)


def theme_label(key: str, lang: str = "en") -> str:
    """Display label of a theme in a language."""
    return THEMES_BY_KEY[key].label.get(lang, THEMES_BY_KEY[key].label["en"])
