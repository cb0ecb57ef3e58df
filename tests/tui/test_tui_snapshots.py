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
