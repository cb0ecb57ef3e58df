"""Provides the shortlist's score distribution: a histogram of the job's pool with the shortlist cut-off.

Two lines of Rich text, built once per load (O(pool) to bin, O(bins) to draw), so a
pool of 50,000 costs nothing next to the table: the bars at or above the cut-off (the
score of the N-th best, N = setting ranking.top) are bright, the rest dim, and a caret
under the axis marks the cut-off.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

_LEVELS = " ▁▂▃▄▅▆▇█"


def cutoff_score(scores: Sequence[float], top: int) -> float | None:
    """The score of the `top`-th best candidate (None when the pool is empty)."""
    if not scores or top <= 0:
        return None
    ranked = sorted(scores, reverse=True)
    return ranked[min(top, len(ranked)) - 1]


def histogram_text(scores: Sequence[float], top: int, *, bins: int = 40) -> Text:
    """Return the two-line histogram of `scores` over [0, 1] with the top-`top` cut-off marked."""
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(max(0.0, min(1.0, s)) * bins)))] += 1
    cut = cutoff_score(scores, top)
    cut_bin = None if cut is None else min(bins - 1, int(max(0.0, min(1.0, cut)) * bins))
    peak = max(counts) or 1
    text = Text("scores ", style="dim")
    for i, n in enumerate(counts):
        level = 0 if n == 0 else max(1, round(n / peak * (len(_LEVELS) - 1)))
        shortlisted = cut_bin is not None and i >= cut_bin
        text.append(_LEVELS[level], style="bold green" if shortlisted else "dim")
    text.append(f"  {len(scores):,} ranked", style="dim")
    text.append("\n       ")
    if cut_bin is None:
        text.append("0" + " " * (bins - 2) + "1", style="dim")
        return text
    kept = min(top, len(scores))
    label = f"▲ top {kept:,} ≥ {cut:.2f}"
    axis = ["·"] * bins
    axis[0], axis[-1] = "0", "1"
    text.append("".join(axis[:cut_bin]), style="dim")
    text.append(label, style="bold")
    return text


class ScoreChart(Static):
    """The pool's score histogram with the shortlist cut-off (`show(scores, top)`)."""

    DEFAULT_CSS = """
    ScoreChart {
        height: 2;
        padding: 0 1;
    }
    """

    def show(self, scores: Sequence[float], top: int) -> None:
        """Redraw for these scores; `top` is the shortlist size (setting ranking.top)."""
        self.update(histogram_text(scores, top))


__all__ = ["ScoreChart", "cutoff_score", "histogram_text"]
