"""Provides the insights report: plain text for the terminal and a JSON-able dict for scripts.

Every line that states a figure shows its count, its share and example links.
"""

from __future__ import annotations

from typing import Any

from ranking.brand.insights import BrandInsights, FamilyInsight, ThemeStat


def _pct(k: int, n: int) -> str:
    return f"{k}/{n} ({k / n:.0%})" if n else "0/0"


def _money(summary: dict[str, Any]) -> str:
    if "min" not in summary:
        return "none stated"
    return f"{summary['min']:,.0f}–{summary['max']:,.0f} {summary['currency']}".strip()


def _examples(stat: ThemeStat, *, ours: bool, company: str, limit: int = 2) -> list[str]:
    lines = []
    for ex in stat.examples:
        if (ex["company"] == company) != ours or not ex.get("url"):
            continue
        quote = f" “{ex['quote']}”" if ex.get("quote") else ""
        lines.append(f"      e.g. {ex['company']}: {ex['title']}{quote} <{ex['url']}>")
        if len(lines) == limit:
            break
    return lines


def family_report(fam: FamilyInsight, company: str) -> list[str]:
    """One role family (or the whole market) as report lines: emphases, skills, salary, differentiators, gaps."""
    ours_name = company or "ours"
    out = []
    if fam.terms:
        out.append(f"  Distinctive terms: {', '.join(fam.terms)}")
    market_themes = sorted((s for s in fam.themes if s.market), key=lambda s: -s.market)[:6]
    if market_themes:
        out.append("  What competitors' postings emphasise: "
                   + "; ".join(f"{s.label} {_pct(s.market, s.market_total)}" for s in market_themes))
    if fam.skills:
        out.append("  Skills named: " + ", ".join(f"{s} ({c})" for s, c in fam.skills[:8]))
    if fam.seniority:
        out.append("  Seniority: " + ", ".join(f"{k} {v}" for k, v in fam.seniority.items()))
    sal = fam.salary
    out.append(f"  Salary stated: {ours_name} {_pct(sal['ours']['stated'], sal['ours']['total'])} ({_money(sal['ours'])}); "
               f"competitors {_pct(sal['market']['stated'], sal['market']['total'])} ({_money(sal['market'])})")
    if fam.differentiators:
        out.append(f"  Differentiators (stated by {ours_name}, by few competitors):")
        for s in fam.differentiators:
            out.append(f"    + {s.label}: {ours_name} {_pct(s.ours, s.ours_total)}, competitors {_pct(s.market, s.market_total)}")
            out += _examples(s, ours=True, company=company, limit=1)
    if fam.gaps:
        out.append(f"  Gaps (stated by most competitors, not by {ours_name}):")
        for s in fam.gaps:
            out.append(f"    - {s.label}: competitors {_pct(s.market, s.market_total)}, {ours_name} {_pct(s.ours, s.ours_total)}")
            out += _examples(s, ours=False, company=company)
    return out


def render_insights(ins: BrandInsights, chart: list[str] | None = None) -> str:
    """The insights as a terminal report, whole market first, then each role family, then hard-to-fill roles.

    Args:
        ins: the insights.
        chart: lines of a picture (e.g. `ranking.brand.chart.theme_bars`) shown right under the headline.
    """
    company = ins.company
    ov = ins.overall
    competitors = len({p.company for p in ov.market if p.company})
    out = [f"Employer-brand insights for {company or 'your company'}: {ov.total} open postings "
           f"({len(ov.ours)} ours, {len(ov.market)} from {competitors} other employers)", ""]
    if chart:  # the picture first: which themes competitors state, and how often we do
        out += ["Share of postings stating each theme (all roles)", *chart, ""]
    out.append("All roles")
    out += family_report(ov, company)
    for fam in ins.families:
        out += ["", f"Role family: {fam.label} — {len(fam.ours)} ours, {len(fam.market)} competitors'"]
        out += family_report(fam, company)
    out += ["", "Hard-to-fill signals"]
    if not ins.hard_to_fill:
        out.append("  none: every ranked role of ours has enough strong matches, and none has been open long")
    for h in ins.hard_to_fill:
        out.append(f"  #{h.job_id} {h.title} ({h.family}): {'; '.join(h.reasons)}" + (f" <{h.url}>" if h.url else ""))
    return "\n".join(out) + "\n"


def _stat_dict(s: ThemeStat) -> dict[str, Any]:
    return {"theme": s.key, "kind": s.kind, "label": s.label, "ours": s.ours, "ours_total": s.ours_total,
            "ours_share": round(s.ours_share, 3), "market": s.market, "market_total": s.market_total,
            "market_share": round(s.market_share, 3), "phrases": s.phrases, "examples": s.examples}


def _family_dict(f: FamilyInsight) -> dict[str, Any]:
    return {"label": f.label, "terms": f.terms, "ours": len(f.ours), "market": len(f.market),
            "themes": [_stat_dict(s) for s in f.themes], "skills": [{"skill": s, "count": c, "examples": f.skill_links.get(s, [])} for s, c in f.skills],
            "seniority": f.seniority, "salary": f.salary,
            "differentiators": [_stat_dict(s) for s in f.differentiators], "gaps": [_stat_dict(s) for s in f.gaps],
            "postings": [{"id": p.id, "title": p.title, "company": p.company, "url": p.url, "ours": p.own}
                         for p in f.ours + f.market]}


def insights_to_dict(ins: BrandInsights) -> dict[str, Any]:
    """The insights as plain JSON-able data (for `--json`)."""
    return {"company": ins.company, "generated_at": ins.generated_at.isoformat(), "overall": _family_dict(ins.overall),
            "families": [_family_dict(f) for f in ins.families],
            "hard_to_fill": [{"job_id": h.job_id, "title": h.title, "url": h.url, "family": h.family, "reasons": h.reasons,
                              "strong_matches": h.strong_matches, "ranked": h.ranked, "days_open": h.days_open}
                             for h in ins.hard_to_fill]}


THEME_FIELDS = ("family", "theme", "kind", "label", "ours", "ours_total", "ours_share", "market", "market_total",
                "market_share", "signal")


def theme_rows(ins: BrandInsights) -> list[dict[str, Any]]:
    """One flat row per role family (first "all roles") and theme, for `--csv` and `--nl`.

    `signal` is "differentiator" (we state it far more than the market), "gap" (far less) or "".
    """
    rows = []
    for label, fam in [("all roles", ins.overall), *((f.label, f) for f in ins.families)]:
        signal = {s.key: "differentiator" for s in fam.differentiators} | {s.key: "gap" for s in fam.gaps}
        for s in fam.themes:
            row = {k: v for k, v in _stat_dict(s).items() if k in THEME_FIELDS}
            rows.append({"family": label, **row, "signal": signal.get(s.key, "")})
    return rows

