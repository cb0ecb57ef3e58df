"""Provides the score cell: the score with a small bar, as a Rich `Text` (DataTable cells stay cheap).

The score is the ranker's 0-1 display score: with the learned fusion, the estimated
probability that the candidate is a match (calibrated on public labelled sets, see
docs/ranking.md), so the bands read "more likely a match than not" (green, >= 0.6),
"a toss-up" (yellow, >= 0.4) and "unlikely" (dim).
"""

from __future__ import annotations

from rich.text import Text

_BLOCKS = " ▏▎▍▌▋▊▉█"


def score_bar(score: float, width: int = 8) -> str:
    """Return a bar of `width` cells for a score in [0, 1] (clamped), in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, score)) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_BLOCKS[part] if part else "")
    return bar.ljust(width)


def score_cell(score: float, width: int = 8) -> Text:
    """Return `0.734 ██████▏ ` styled by band (green ≥ 0.6, yellow ≥ 0.4, dim below)."""
    style = "green" if score >= 0.6 else "yellow" if score >= 0.4 else "dim"
    text = Text(f"{score:.3f} ")
    text.append(score_bar(score, width), style=style)
    return text
