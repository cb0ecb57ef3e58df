"""Tests the Brand screen with Textual's Pilot: insights per role, accept / edit / discard stored, export."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from datetime import date

from textual.app import App
from textual.widgets import DataTable, OptionList, Static, TextArea

from sourcing.storage.brand import list_ideas
from tui.screens.brand import BrandScreen, IdeaSaved

MONDAY = date(2026, 11, 30)


class BrandHost(App[None]):
    """A bare app hosting the screen (the review app pushes it the same way, with `i` on the jobs screen)."""

    def __init__(self, store, config, export_dir) -> None:
        super().__init__()
        self.brand_args = (store, config)
        self.export_dir = export_dir

    def on_mount(self) -> None:
        self.push_screen(BrandScreen(*self.brand_args, use_model=False, start=MONDAY))


async def _settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_screen_shows_insights_and_ideas_with_evidence(market_store, brand_config, tmp_path):
    app = BrandHost(market_store, brand_config, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BrandScreen)
        roles = screen.query_one("#brand-roles", OptionList)
        assert roles.option_count == 3  # all roles + backend + data
        insights = str(screen.query_one("#brand-insights", Static).render())
        assert "4-day week: Acme 3/3 (100%), competitors 0/8 (0%)" in insights
        await pilot.press("tab")  # focus the role list (the ideas table has focus)
        roles.highlighted = 2
        await pilot.pause()
        assert "data engineer: 1 ours, 3 competitors'" in str(screen.query_one("#brand-insights", Static).render())
        table = screen.query_one("#brand-ideas", DataTable)
        assert table.row_count == len(list_ideas(market_store)) >= 8  # the calendar was planned and stored
        detail = str(screen.query_one("#brand-detail", Static).render())
        assert "Evidence" in detail and "https://jobs.example.org/" in detail


async def test_accept_discard_and_edit_are_stored(market_store, brand_config, tmp_path):
    messages = []
    app = BrandHost(market_store, brand_config, tmp_path)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        screen.query_one("#brand-ideas", DataTable).focus()
        first, second = screen.ideas[0].id, screen.ideas[1].id
        await pilot.press("a")
        await _settle(app, pilot)
        await pilot.press("down", "d")
        await _settle(app, pilot)
        await pilot.press("up", "t")
        await pilot.pause()
        editor = screen.query_one("#brand-editor", TextArea)
        assert not editor.has_class("hidden") and editor.has_focus
        editor.load_text("Lightly edited by comms.")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert editor.has_class("hidden")
        # a message bubbles from the screen to the app: keep each one once
        saved = [m.action for m in dict.fromkeys(m for m in messages if isinstance(m, IdeaSaved))]
        assert saved == ["accepted", "discarded", "edit"]
        table = screen.query_one("#brand-ideas", DataTable)
        assert "accepted" in str(table.get_cell(str(first), "status"))
    rows = {r["id"]: r for r in list_ideas(market_store)}
    assert rows[first]["status"] == "accepted" and rows[first]["edited_text"] == "Lightly edited by comms."
    assert rows[first]["actor"] == "comms-tester"
    assert rows[second]["status"] == "discarded"
    actions = [e["action"] for e in market_store.audit_entries(target_type="brand_idea")]
    assert actions == ["brand_idea.accepted", "brand_idea.discarded", "brand_idea.edit"]


async def test_escape_cancels_an_edit_without_storing(market_store, brand_config, tmp_path):
    app = BrandHost(market_store, brand_config, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#brand-ideas", DataTable).focus()
        await pilot.press("t")
        app.screen.query_one("#brand-editor", TextArea).load_text("Not wanted")
        await pilot.press("escape")
        await _settle(app, pilot)
        assert isinstance(app.screen, BrandScreen)  # escape closed the editor, not the screen
    assert all(r["edited_text"] is None for r in list_ideas(market_store))
    assert market_store.audit_entries(target_type="brand_idea") == []


async def test_e_exports_accepted_ideas(market_store, brand_config, tmp_path):
    app = BrandHost(market_store, brand_config, tmp_path / "out")
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#brand-ideas", DataTable).focus()
        await pilot.press("e")  # nothing accepted yet: a clear message, no file
        await _settle(app, pilot)
        assert any("no accepted idea yet" in n.message for n in app._notifications)
        await pilot.press("a", "down", "a")
        await _settle(app, pilot)
        await pilot.press("e")
        await _settle(app, pilot)
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert any(n.endswith(".ics") for n in files) and any(n.endswith(".md") for n in files)
    rows = 0
    for path in (tmp_path / "out").glob("*.hootsuite*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            rows += len(list(csv.DictReader(fh)))
    assert rows == 2
    (report,) = (tmp_path / "out").glob("*-insights.html")  # the insights, with the ours-vs-market chart inline
    page = report.read_text(encoding="utf-8")
    svg = page[page.index("<svg"):page.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if float(r.get("width")) > 12]
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and bars  # drawn bars, not only the legend's swatches
    assert "Acme (3 postings)" in [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "What competitors&#x27; postings emphasise" in page or "What competitors' postings emphasise" in page


async def test_missing_company_is_shown_not_raised(market_store, tmp_path, db_path):
    from sourcing.config import load_config

    cfg = tmp_path / "plain.toml"
    cfg.write_text(f'db = "{db_path}"\n', encoding="utf-8")
    app = BrandHost(market_store, load_config(cfg, env={}), tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(app, pilot)
        text = str(app.screen.query_one("#brand-insights", Static).render())
        assert "[brand] company" in text
