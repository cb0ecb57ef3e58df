"""Tests the ours-vs-market chart: text bars (terminal, brand screen) and the SVG file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ranking.brand.chart import chart_themes, theme_bars, theme_chart_svg
from ranking.brand.insights import FamilyInsight, ThemeStat


def family() -> FamilyInsight:
    themes = [
        ThemeStat("remote", "benefit", "Remote work", ours=1, ours_total=2, market=8, market_total=10),
        ThemeStat("salary", "benefit", "Salary stated", ours=2, ours_total=2, market=3, market_total=10),
        ThemeStat("gym", "benefit", "Gym <& pool>", ours=0, ours_total=2, market=1, market_total=10),
        ThemeStat("pets", "benefit", "Pets at work", ours=0, ours_total=2, market=0, market_total=10),
    ]
    return FamilyInsight("Backend engineers", [], ours=[object(), object()], market=[object()] * 10, themes=themes,
                         skills=[], seniority={}, salary={}, differentiators=[], gaps=[])


def test_themes_most_stated_by_either_side_first_and_unstated_left_out():
    assert [s.key for s in chart_themes(family())] == ["salary", "remote", "gym"]


def test_text_bars_show_both_shares():
    lines = theme_bars(family(), "Acme", width=10)
    assert lines[0].split() == ["Acme", "competitors"]
    remote = lines[2]
    assert remote.startswith("  Remote work ") and "█████" + " " * 7 + "50%" in remote and "████████" + " " * 4 + "80%" in remote
    assert "██████████ 100%" in lines[1] and lines[1].rstrip().endswith("███" + " " * 9 + "30%")
    assert theme_bars(FamilyInsight("x", [], [], [], [], [], {}, {}, [], []), "Acme") == []


def test_svg_is_well_formed_with_a_bar_pair_per_theme():
    svg = theme_chart_svg(family(), "Acme & Co")
    root = ET.fromstring(svg)  # well-formed: labels are escaped
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if float(r.get("height")) == 12]
    assert len(bars) == 2 * 3
    assert [float(b.get("width")) for b in bars[2:4]] == [180.0, 288.0]  # remote: 50 % and 80 % of 360 px
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Gym <& pool>" in texts and "80% (8/10)" in texts and "Acme & Co (2 postings)" in texts


async def test_brand_screen_draws_the_bars_above_the_report(market_store, brand_config, tmp_path):
    from datetime import date

    from textual.app import App
    from textual.widgets import Static

    from tui.screens.brand import BrandScreen

    class Host(App[None]):
        def on_mount(self) -> None:
            self.export_dir = tmp_path
            self.push_screen(BrandScreen(market_store, brand_config, use_model=False, start=date(2026, 11, 30)))

    app = Host()
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        lines = str(app.screen.query_one("#brand-insights", Static).render()).splitlines()
        assert lines[1].split() == ["Acme", "competitors"]
        four_day = next(ln for ln in lines[2:] if ln.strip().startswith("4-day week"))
        assert re.search(r"█+ 100% +0%$", four_day.rstrip()), four_day  # ours 3/3 (a full bar), market 0/8 (none)
        health = next(ln for ln in lines[2:] if ln.strip().startswith("health insurance"))
        ours_bar, market_bar = health.split("100%")[0].split()[-1], health.split("100%")[1].split()[0]
        assert set(ours_bar) == {"█"} and len(market_bar) * 4 in range(len(ours_bar) - 4, len(ours_bar) + 5)  # 100% vs 25%
        panel = app.screen.query_one("#brand-insights", Static)
        chart = lines[1:next(i for i, ln in enumerate(lines) if not ln.strip())]
        assert max(len(ln.rstrip()) for ln in chart) <= panel.content_size.width  # no bar wraps onto a second line
