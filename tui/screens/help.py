"""Provides the keys modal (`?`): every binding of the screen underneath, with its current key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


def binding_rows(screen: Screen) -> list[tuple[str, Binding, str, str]]:
    """Return `(key shown, binding, description, tooltip)` for the screen's and the app's bindings.

    Keys are read after the user's keymap was applied, so remapped keys show as remapped.
    """
    rows: list[tuple[str, Binding, str, str]] = []
    seen: set[str] = set()
    app = screen.app
    # The binding chain has the keymap applied. Keep the screen's and the app's own bindings
    # with ids, even those a focused widget shadows with the same key (enter on a table
    # also opens the row); widgets' cursor keys and Textual's defaults would drown the list.
    for node, bindings in screen._binding_chain:
        if node not in (screen, app):
            continue
        for _key, binding in bindings:
            if not binding.description or not binding.id:
                continue
            ident = binding.id
            if ident in seen:
                continue
            seen.add(ident)
            rows.append((app.get_key_display(binding), binding, binding.description, binding.tooltip))
    rows.append(("ctrl+p", Binding("ctrl+p", "command_palette"), "Command palette", "Search every action"))
    return rows


class HelpModal(ModalScreen[None]):
    """Lists the keys of the screen it was opened from; any of escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape", "dismiss_help", "Close", id="close-help"),
        Binding("question_mark", "dismiss_help", "Close", show=False),
        Binding("q", "dismiss_help", "Close", show=False),
    ]

    def __init__(self, rows: list[tuple[str, Binding, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys on this screen", id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static("escape closes · keys are remappable by id in the config: [tui] keymap = {id = \"key\"}",
                         id="help-hint", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Key", key="key", width=8)
        table.add_column("Action", key="action", width=16)
        table.add_column("Id", key="id", width=18)
        table.add_column("What it does", key="tooltip", width=62)
        for shown, binding, description, tooltip in self.rows:
            table.add_row(shown, description, binding.id or "", tooltip or "")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
