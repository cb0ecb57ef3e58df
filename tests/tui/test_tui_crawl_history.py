"""Tests the per-source crawl history (items and errors per night) and its sparklines on the crawls screen."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sourcing.crawl_history import crawl_history, sparkline
from tui.screens.crawls import history_text

TODAY = date(2026, 3, 10)


def run(i: int, key: str, day: int, items: int, errors: int = 0, status: str = "ok") -> dict:
    return {"id": i, "source_key": key, "spider": key.split(":")[0], "status": status, "errors": errors,
            "started_at": datetime(2026, 3, day, 2, 30, tzinfo=timezone.utc), "items_new": items, "items_updated": 0,
            "items_unchanged": 0}


def test_runs_summed_per_night_and_missing_nights_are_zero():
    runs = [run(1, "greenhouse:acme", 8, 10), run(2, "greenhouse:acme", 8, 5, 1), run(3, "greenhouse:acme", 10, 20),
            run(4, "lever:beta", 9, 0, 3, "failed"), run(5, "lever:beta", 1, 7)]  # 1 March: outside 4 nights
    hist = crawl_history(runs, nights=4, today=TODAY)
    acme, beta = hist["greenhouse:acme"], hist["lever:beta"]
    assert acme.days[0] == date(2026, 3, 7) and acme.days[-1] == TODAY
    assert (acme.items, acme.errors, acme.last_status) == ([0, 15, 0, 20], [0, 1, 0, 0], "ok")
    assert (beta.items, beta.errors, beta.last_status) == ([0, 0, 0, 0], [0, 0, 3, 0], "failed")
    assert acme.to_dict()["items_per_night"] == [0, 15, 0, 20]


def test_sparkline_scales_to_the_peak():
    assert sparkline([0, 15, 0, 20]) == "▁▆▁█"
    assert sparkline([0, 0]) == "▁▁" and sparkline([]) == ""


def test_crawls_screen_history_lines():
    runs = [run(1, "greenhouse:acme", 9, 4), run(2, "lever:beta", 10, 2, 2, "partial")]
    lines = history_text(runs, nights=3, today=TODAY).plain.splitlines()
    assert lines[0].startswith("last 3 nights")
    assert lines[1].split() == ["greenhouse:acme", "▁█▁", "▁▁▁", "4", "items,", "0", "errors"]
    assert lines[2].split()[:3] == ["lever:beta", "▁▁█", "▁▁█"]
