"""Provides the candidate pane's renderables: why (requirements + evidence), profile, sources, history.

Everything scraped is put in `rich.text.Text` as plain text, so markup such as
`[bold]` or `[link=…]` in a profile shows literally. In blind mode every text is
passed through the person's masker (names, e-mails, links, ages… replaced).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tui.rows import ShortlistRow

Mask = Callable[[str], str]


def _plain(text: Any) -> str:
    return "" if text is None else str(text)


def highlight(text: str, terms: list[str], style: str = "bold green") -> Text:
    """Plain `text` with every occurrence of `terms` (whole words, any case) styled."""
    out = Text(text)
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        out.highlight_regex(re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])", re.IGNORECASE), style=style)
    return out


def header(row: ShortlistRow, candidate: dict[str, Any] | None, blind: bool, mask: Mask, scored: bool = True) -> Text:
    """Name (or pseudonym), headline, location, score (not when `scored` is False: ranking off) and decision."""
    text = Text()
    text.append(row.display_name(blind), style="bold")
    headline = (candidate or {}).get("headline") or row.headline
    if headline:
        text.append("  ·  " + mask(headline))
    text.append("\n")
    location = (candidate or {}).get("location") or row.location
    text.append(f"#{row.rank}  score {row.score:.3f}" if scored else "ranking off: must-haves only", style="bold cyan")
    if location:
        text.append("  ·  " + mask(location))
    if row.remote:
        text.append("  ·  open to remote")
    if not blind and (candidate or {}).get("email"):
        text.append("  ·  " + candidate["email"])
    text.append("\nDecision: ")
    text.append(row.status or "none yet", style="bold" if row.status else "dim")
    if row.reason:
        text.append(f" (reason: {mask(row.reason)})")
    if row.note:
        text.append("\nNote: ", style="dim")
        text.append(mask(row.note))
    return text


def why(row: ShortlistRow, mask: Mask, scored: bool = True) -> Group:
    """Each requirement matched (✓), partly matched (◐) or missing (✗) with its evidence, then score components.

    With `scored` False (automated ordering off) only the must-haves are listed, and no score components.

    Requirements sit in a two-column grid so wrapped evidence stays indented under its line.
    """
    exp = row.explanation or {}
    head = Text()
    if exp.get("headline"):
        head.append(mask(_plain(exp["headline"])) + "\n", style="italic")
    reqs = exp.get("requirements") or []
    if not reqs:
        head.append("The ranker gave no per-requirement explanation for this candidate.\n", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    for req in reqs if scored else [q for q in reqs if q.get("kind") == "must"]:
        matched = bool(req.get("matched"))
        kind = req.get("kind") or "nice"
        body = Text()
        body.append(f"[{kind}] ", style="bold" if kind == "must" else "dim")
        body.append(_plain(req.get("text")))
        if req.get("note"):  # a partial match says what was not found ("Kubernetes not found")
            body.append(f" ({_plain(req['note'])})", style="yellow")
        for ev in (req.get("evidence") or [])[:3]:
            ev_text = ev.get("text") if isinstance(ev, dict) else ev
            body.append("\n“", style="dim")
            body.append_text(highlight(mask(_plain(ev_text)), list(req.get("skills") or [])))
            body.append("”", style="dim")
        mark = ("◐", "bold yellow") if matched and req.get("partial") else ("✓", "bold green") if matched else ("✗", "bold red")
        grid.add_row(Text(mark[0], style=mark[1]), body)
    tail = Text()
    missing = row.missing_must
    if missing:
        tail.append("\nMissing must-haves: ", style="bold red")
        tail.append(", ".join(missing) + "\n")
    comps = (row.components or exp.get("components") or {}) if scored else {}
    if comps:
        fusion = exp.get("fusion_score") if scored else None
        # The learned fusion's components are in its own units: they add up to the fusion
        # score, which the 0-1 score shown is the calibrated form of (docs/ranking.md).
        label = f"\nScore components (fusion score {float(fusion):.2f}): " if isinstance(fusion, (int, float)) else "\nScore components: "
        tail.append(label, style="dim")
        tail.append("  ".join(f"{k} {float(v):.2f}" for k, v in comps.items() if isinstance(v, (int, float))) + "\n",
                    style="dim")
    loc = exp.get("location")
    if loc:
        tail.append("Location fit: ", style="dim")
        tail.append(mask(_plain(loc.get("text") or loc.get("fit") or loc) if isinstance(loc, dict) else _plain(loc)) + "\n",
                    style="dim")
    return Group(head, grid, tail)


def profile(candidate: dict[str, Any], row: ShortlistRow, mask: Mask) -> Text:
    """Skills (matched ones highlighted), summary and experience, merged over the person's profiles."""
    text = Text()
    matched = row.matched
    skills: list[str] = []
    for p in candidate.get("profiles") or []:
        for s in p.get("skills") or []:
            if s not in skills:
                skills.append(s)
    if skills:
        text.append("Skills: ", style="bold")
        lowered = {m.lower() for m in matched}
        for i, skill in enumerate(skills):
            if i:
                text.append(", ")
            text.append(mask(skill), style="bold green" if skill.lower() in lowered else "")
        text.append("\n")
    for p in candidate.get("profiles") or []:
        summary = p.get("summary") or p.get("text") or ""
        if summary:
            text.append(f"\n{p.get('source_kind', 'profile')}: ", style="bold")
            text.append_text(highlight(mask(summary), matched))
            text.append("\n")
        for exp in (p.get("experience") or [])[:4]:
            line = " · ".join(_plain(exp.get(k)) for k in ("title", "org") if exp.get(k))
            dates = "–".join(_plain(exp.get(k)) for k in ("start", "end") if exp.get(k))
            text.append("  • " + mask(line) + (f" ({dates})" if dates else "") + "\n")
            if exp.get("summary"):
                text.append("    ")
                text.append_text(highlight(mask(_plain(exp["summary"])), matched))
                text.append("\n")
        langs = p.get("languages") or []
        if langs:
            text.append("  Languages: " + ", ".join(mask(_plain(x)) for x in langs) + "\n", style="dim")
    return text


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return _plain(value)[:16] or "—"


def sources(candidate: dict[str, Any], blind: bool) -> Text:
    """Every source the person was seen on, with its URL (hidden in blind mode) and fetch time."""
    text = Text()
    for p in candidate.get("profiles") or []:
        text.append(f"• {p.get('source_kind')}", style="bold")
        text.append(f"  {p.get('source_key') or ''}\n", style="dim")
        if blind:
            text.append("  link hidden in blind mode\n", style="dim")
        elif p.get("url"):
            text.append("  " + p["url"] + "\n", style="underline")
        text.append(f"  fetched {_when(p.get('fetched_at'))}\n", style="dim")
    if not text:
        text.append("No source profile (erased or imported without provenance).", style="dim")
    return text


def history(entries: list[dict[str, Any]], mask: Mask) -> Text:
    """Decision history from the audit log: when, who, what, and the score shown then."""
    text = Text()
    if not entries:
        return Text("No decision yet.", style="dim")
    for e in entries:
        after = e.get("after") or {}
        state = after.get("state") or {}
        text.append(_when(e.get("at")), style="dim")
        text.append(f"  {e.get('actor')}  ")
        if e.get("action") == "decision.undo":
            text.append("undo → ", style="yellow")
            text.append(_plain(state.get("status") or "no decision"))
        else:
            before = ((e.get("before") or {}).get("state") or {})
            if state.get("status") != before.get("status"):
                text.append(_plain(state.get("status")), style="bold")
            if state.get("note") != before.get("note"):
                text.append(" note: ", style="dim")
                text.append(mask(_plain(state.get("note"))))
            if state.get("reason") and state.get("reason") != before.get("reason"):
                text.append(" reason: ", style="dim")
                text.append(mask(_plain(state.get("reason"))))
            if after.get("score_shown") is not None:
                text.append(f"  (score shown {float(after['score_shown']):.3f})", style="dim")
        text.append("\n")
    return text
