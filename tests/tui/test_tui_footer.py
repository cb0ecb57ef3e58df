"""Tests of `KeysFooter`: rebuilt when the keys shown change, not for an identical bindings signal."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tui.widgets.keys_footer import KeysFooter


class Pane(Static, can_focus=True):
    def __init__(self, key: str, description: str, id: str) -> None:  # noqa: A002 - Textual's name
        super().__init__(description, id=id)
        self._bindings.bind(key, "noop", description)

    def action_noop(self) -> None:
        pass


class TwoPanes(App[None]):
    def compose(self) -> ComposeResult:
        yield Pane("x", "Ex", id="left")
        yield Pane("y", "Why", id="right")
        yield KeysFooter()


def shown(app: App) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey) if key.description]


async def test_footer_follows_focus_and_skips_identical_rebuilds():
    app = TwoPanes()
    async with app.run_test() as pilot:
        app.set_focus(app.query_one("#left"))
        await pilot.pause()
        await pilot.pause()
        assert "Ex" in shown(app) and "Why" not in shown(app)
        before = list(app.screen.query(FooterKey))
        app.screen.refresh_bindings()  # same keys: the footer keeps its widgets
        await pilot.pause()
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == before
        app.set_focus(app.query_one("#right"))  # other keys: rebuilt
        await pilot.pause()
        await pilot.pause()
        assert "Why" in shown(app) and "Ex" not in shown(app)
