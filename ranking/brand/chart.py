"""Provides the ours-vs-market chart of a role family's themes: text bars and an SVG file.

For each theme the market states most (remote work, salary, learning budget, …), two
bars: the share of our postings that state it and the share of competitors'. The same
figures as the report (`ThemeStat.ours_share` / `market_share`), drawn: text for the
terminal and the review app's brand screen, SVG (no plotting library) for a file to
share or paste in a slide deck.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ranking.brand.insights import BrandInsights, FamilyInsight, ThemeStat

_EIGHTHS = " ▏▎▍▌▋▊▉"


def chart_themes(fam: FamilyInsight, limit: int = 8) -> list[ThemeStat]:
    """The themes to draw: stated by anyone, the most stated (by us or by the market) first.

    Ranking by the larger of the two shares keeps both what competitors all say and
    our differentiators (stated by us, by few of them).
    """
    stated = [s for s in fam.themes if s.market or s.ours]
    return sorted(stated, key=lambda s: (-max(s.ours_share, s.market_share), -s.market_share, s.label))[:limit]


def _bar(share: float, width: int) -> str:
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


def theme_bars(fam: FamilyInsight, company: str, *, width: int = 20, limit: int = 8) -> list[str]:
    """Text lines: each theme with our share and the market's as bars (nothing when no theme is stated)."""
    themes = chart_themes(fam, limit)
    if not themes:
        return []
    ours = (company or "ours")[:12]
    label_w = max(len(s.label) for s in themes)
    out = [f"  {'':<{label_w}}  {ours:<{width + 5}}  competitors"]
    for s in themes:
        out.append(f"  {s.label:<{label_w}}  {_bar(s.ours_share, width)} {s.ours_share:>4.0%}  "
                   f"{_bar(s.market_share, width)} {s.market_share:>4.0%}")
    return out


def theme_chart_svg(fam: FamilyInsight, company: str, *, limit: int = 10) -> str:
    """An SVG document: horizontal bar pairs (ours, competitors) per theme, with shares and counts."""
    themes = chart_themes(fam, limit)
    row_h, bar_h, left, bar_w = 34, 12, 190, 360
    height = 70 + row_h * max(1, len(themes))
    ours = company or "ours"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + bar_w + 120}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<title>{escape(fam.label)}: what {escape(ours)} states vs competitors</title>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(fam.label)}: share of postings stating each theme</text>',
        f'<rect x="{left}" y="30" width="12" height="10" fill="#2a9d8f"/>'
        f'<text x="{left + 16}" y="39">{escape(ours)} ({len(fam.ours)} postings)</text>',
        f'<rect x="{left + 190}" y="30" width="12" height="10" fill="#adb5bd"/>'
        f'<text x="{left + 206}" y="39">competitors ({len(fam.market)} postings)</text>',
    ]
    if not themes:
        parts.append('<text x="10" y="70">No theme is stated by these postings.</text>')
    for i, s in enumerate(themes):
        y = 56 + i * row_h
        parts.append(f'<text x="10" y="{y + bar_h + 2}">{escape(s.label)}</text>')
        for j, (share, n, total, colour) in enumerate(((s.ours_share, s.ours, s.ours_total, "#2a9d8f"),
                                                       (s.market_share, s.market, s.market_total, "#adb5bd"))):
            by = y + j * (bar_h + 2)
            w = round(share * bar_w, 1)
            parts.append(f'<rect x="{left}" y="{by}" width="{w}" height="{bar_h}" fill="{colour}"/>')
            parts.append(f'<text x="{left + w + 4}" y="{by + bar_h - 2}" font-size="10">{share:.0%} ({n}/{total})</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"




def write_report(ins: BrandInsights, path: str | Path) -> list[Path]:
    """Write the insights report with its ours-vs-competitors chart; return the files written.

    `.html`: one self-contained page, the SVG chart inline above the report text.
    `.md`: the report in Markdown with the chart as an image, `<name>.svg` written beside it.
    Any other suffix is refused (ValueError).
    """
    from ranking.brand.report import render_insights

    target = Path(path)
    svg = theme_chart_svg(ins.overall, ins.company)
    text = render_insights(ins)
    title = f"Employer-brand insights — {ins.company or 'your company'}"
    if target.suffix.lower() in (".html", ".htm"):
        target.write_text(f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>\n'
                          f"<body>\n<h1>{escape(title)}</h1>\n<figure>{svg}</figure>\n<pre>{escape(text)}</pre>\n</body></html>\n",
                          encoding="utf-8")
        return [target]
    if target.suffix.lower() == ".md":
        chart = target.with_suffix(".svg")
        chart.write_text(svg, encoding="utf-8")
        target.write_text(f"# {title}\n\n![Share of postings stating each theme: {ins.company or 'ours'} vs competitors]"
                          f"({chart.name})\n\n```text\n{text}```\n", encoding="utf-8")
        return [target, chart]
    raise ValueError(f"{target}: the report is written as .html or .md")


__all__ = ["chart_themes", "theme_bars", "theme_chart_svg", "write_report"]
