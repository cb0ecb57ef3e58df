"""Provides each source's crawl history per night (items and errors) and its sparkline.

Built from `store.list_crawl_runs()` rows (no SQL here): the runs of one source
started on the same UTC day are summed, the last `nights` days make the series, a
day without a crawl counts 0. `sources list` prints the sparklines, the review
app's crawls screen draws them per source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

_LEVELS = "▁▂▃▄▅▆▇█"


@dataclass
class SourceHistory:
    """One source's nightly series, oldest night first (`days[i]` is the night of `items[i]`)."""

    source_key: str
    days: list[date] = field(default_factory=list)
    items: list[int] = field(default_factory=list)  # new + updated + unchanged items stored that night
    errors: list[int] = field(default_factory=list)
    last_status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source_key, "nights": [d.isoformat() for d in self.days], "items_per_night": self.items,
                "errors_per_night": self.errors, "last_status": self.last_status}


def sparkline(values: Sequence[int | float]) -> str:
    """One character per value: ▁ for zero (a night without a crawl, or nothing stored) up to █ for the maximum."""
    if not values:
        return ""
    peak = max(values)
    if peak <= 0:
        return _LEVELS[0] * len(values)
    return "".join(_LEVELS[round(v / peak * (len(_LEVELS) - 1))] if v > 0 else _LEVELS[0] for v in values)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).date()
    if isinstance(value, str) and value:
        try:
            return _day(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def crawl_history(runs: Iterable[dict[str, Any]], *, nights: int = 14, today: date | None = None) -> dict[str, SourceHistory]:
    """Group crawl runs by source into per-night series over the last `nights` days.

    Args:
        runs: rows of `store.list_crawl_runs()` (any order).
        nights: how many days, ending today (UTC), the series cover.
        today: the last day (tests pin it); default today in UTC.

    Returns:
        source key -> SourceHistory, for every source that has at least one run (a source
        whose runs are all older than the window has a series of zeros).
    """
    today = today or datetime.now(timezone.utc).date()
    days = [today - timedelta(days=nights - 1 - i) for i in range(nights)]
    index = {d: i for i, d in enumerate(days)}
    out: dict[str, SourceHistory] = {}
    latest: dict[str, tuple[tuple[str, int], str]] = {}  # by start time, then id
    for run in runs:
        key = run.get("source_key") or run.get("spider") or "?"
        hist = out.get(key)
        if hist is None:
            hist = out[key] = SourceHistory(key, list(days), [0] * nights, [0] * nights)
        started = run.get("started_at")
        when = (str(_day(started) or ""), int(run.get("id") or 0))
        if key not in latest or when > latest[key][0]:
            latest[key] = (when, run.get("status") or "")
        i = index.get(_day(started))
        if i is None:
            continue
        hist.items[i] += int(run.get("items_new") or 0) + int(run.get("items_updated") or 0) + int(run.get("items_unchanged") or 0)
        hist.errors[i] += int(run.get("errors") or 0)
    for key, (_id, status) in latest.items():
        out[key].last_status = status
    return out


__all__ = ["SourceHistory", "crawl_history", "sparkline"]
