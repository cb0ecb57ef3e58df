"""Snapshot tests of the jobs, shortlist and candidate screens (fixed data, no clock-dependent text).

Update with `pytest tests/tui/test_tui_snapshots.py --snapshot-update` only after
reviewing the report's SVGs.
"""

from __future__ import annotations

from pilot_helpers import settle

SIZE = (120, 40)


def test_jobs_screen(snap_compare, make_review_app):
    async def ready(pilot):
        await settle(pilot.app, pilot)

    assert snap_compare(make_review_app(), terminal_size=SIZE, run_before=ready)


def test_shortlist_screen(snap_compare, make_review_app):
    async def ready(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(make_review_app(), terminal_size=SIZE, run_before=ready)


def test_candidate_screen(snap_compare, make_review_app):
    async def ready(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(make_review_app(), terminal_size=SIZE, run_before=ready)


def _crawl_history_store(path):
    """A SQLite store with crawl runs over the nights before TODAY (dates set in the file: the Store stamps now)."""
    import sqlite3

    from sourcing.storage import Store

    store = Store.open(str(path))
    nights = [("greenhouse:acme", 1, 12, 0, "ok"), ("greenhouse:acme", 3, 4, 0, "ok"), ("greenhouse:acme", 5, 9, 1, "partial"),
              ("greenhouse:acme", 6, 15, 0, "ok"), ("lever:beta", 2, 3, 0, "ok"), ("lever:beta", 4, 0, 5, "failed"),
              ("lever:beta", 6, 6, 2, "partial")]
    ids = []
    for key, day, new, errors, status in nights:
        run = store.start_crawl_run(key.split(":")[0], key, {})
        store.finish_crawl_run(run, status=status, new=new, errors=errors,
                               error_details=[{"url": f"https://{key.split(':')[1]}.example/jobs/{i}", "reason": "HTTP 500"}
                                              for i in range(errors)])
        ids.append((run, day))
    raw = sqlite3.connect(path)
    for run, day in ids:
        raw.execute("UPDATE crawl_run SET started_at = ?, finished_at = ? WHERE id = ?",
                    (f"2026-03-{day:02d} 02:30:00.000000", f"2026-03-{day:02d} 02:31:05.000000", run))
    raw.commit()
    raw.close()
    return store


def test_crawls_screen_with_history_sparklines(snap_compare, review_config, tmp_path):
    """Runs per source and the last 14 nights as sparklines (items stored, errors) up to a fixed day."""
    from datetime import date

    from tui.app import make_app
    from tui.screens.crawls import CrawlsScreen

    store = _crawl_history_store(tmp_path / "crawls.db")

    async def ready(pilot):
        await settle(pilot.app, pilot)
        await pilot.app.push_screen(CrawlsScreen(today=date(2026, 3, 6)))
        await settle(pilot.app, pilot)

    try:
        assert snap_compare(make_app(review_config, store, export_dir=tmp_path), terminal_size=SIZE, run_before=ready)
    finally:
        store.close()


def test_shortlist_screen_ranked_by_the_learned_fusion(snap_compare, make_review_app):
    """After R with the packaged fusion: 0-1 scores with bars and bands, the chart's cut-off on that scale."""
    from ranking.encoders import FakeEncoder

    async def ready(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)
        await pilot.press("R")
        await settle(pilot.app, pilot)
        pilot.app.clear_notifications()  # the "ranked in N s" toast carries a timing
        await pilot.pause()

    assert snap_compare(make_review_app(ranker=FakeEncoder()), terminal_size=SIZE, run_before=ready)
