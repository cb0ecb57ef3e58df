"""Snapshot of the brand screen: the ours-vs-market bars above the insights report, and the ideas table.

Fixed data (the fixture market) and a fixed calendar start, TF-IDF families (no model).
Update with `pytest tests/brand/test_brand_snapshots.py --snapshot-update` only after
looking at the SVG.
"""

from __future__ import annotations

from datetime import date


def test_brand_screen_with_ours_vs_market_bars(snap_compare, market_store, brand_config, tmp_path):
    from textual.app import App

    from tui.screens.brand import BrandScreen

    class Host(App[None]):
        def on_mount(self) -> None:
            self.export_dir = tmp_path
            self.push_screen(BrandScreen(market_store, brand_config, use_model=False, start=date(2026, 11, 30)))

    async def ready(pilot):
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    assert snap_compare(Host(), terminal_size=(160, 48), run_before=ready)
