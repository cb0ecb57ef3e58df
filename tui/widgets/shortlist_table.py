"""Provides `ShortlistTable`: a virtualised, read-only table that renders only the visible rows.

Textual's DataTable measures every cell of every row it is given (10,000 rows × 8
cells took seconds here), so the shortlist uses this Line-API widget instead: rows
stay plain Python objects, `render_line` formats the ~40 visible ones on demand, and
replacing the rows or updating one costs the same for 100 or 100,000 candidates.

Painted lines are cached per row, so moving the cursor or scrolling by one line only
formats the rows whose look changed; a row whose data changes is dropped from the
cache by `refresh_row`, all rows by `set_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

LINE_CACHE_SIZE = 1_000  # painted lines kept (a few screens' worth); cleared wholesale when full


@dataclass(frozen=True)
class Column:
    """A column: header label, key (for `cell_text`) and width in cells."""

    label: str
    key: str
    width: int


class ShortlistTable(ScrollView, can_focus=True):
    """Rows of any objects, formatted by `cells(row) -> tuple[Text | str, ...]` when painted."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    COMPONENT_CLASSES = {"shortlist-table--header", "shortlist-table--cursor", "shortlist-table--odd"}

    DEFAULT_CSS = """
    ShortlistTable { height: 1fr; background: $surface; }
    ShortlistTable > .shortlist-table--header { text-style: bold; background: $panel; }
    ShortlistTable > .shortlist-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    ShortlistTable:blur > .shortlist-table--cursor { background: $block-cursor-blurred-background; }
    ShortlistTable > .shortlist-table--odd { background: $surface-lighten-1; }
    """

    # repaint=False: the watcher repaints just the two rows whose look changed (and scrolls
    # when needed); a full repaint of the table on every cursor step cost a frame of ~15 ms.
    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index (in the current rows) of the highlighted row."""

    class RowSelected(Message):
        """Enter (or a click on the highlighted row) chose a row."""

        def __init__(self, table: "ShortlistTable", index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> "ShortlistTable":
            """The table (lets `@on(ShortlistTable.RowSelected, "#id")` match)."""
            return self.table

    def __init__(self, columns: Sequence[Column], cells: Callable[[Any], Sequence[Text | str]], *,
                 id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.columns = list(columns)
        self.cells = cells
        self.rows: list[Any] = []
        self._total_width = sum(c.width + 2 for c in self.columns)
        self._lines: dict[tuple[Any, ...], Strip] = {}
        self._unpainted_from: int | None = None  # where the cursor was last painted, if a repaint is pending

    # --- data ------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """Number of rows."""
        return len(self.rows)

    def set_rows(self, rows: list[Any], cursor: int = 0) -> None:
        """Replace every row (O(1): nothing is formatted until painted)."""
        self.rows = rows
        self._lines.clear()
        self._unpainted_from = None  # everything is repainted below
        self.virtual_size = Size(self._total_width, len(rows) + 1)  # +1: the header line
        self.cursor_row = max(0, min(cursor, len(rows) - 1))
        self.refresh()

    def refresh_row(self, index: int) -> None:
        """Repaint one row (after its data changed)."""
        for key in [k for k in self._lines if k[0] == index]:
            del self._lines[key]
        y = index - int(self.scroll_y) + 1  # on screen: the header takes line 0
        if 1 <= y < self.size.height:
            self.refresh_lines(index + 1)  # ScrollView takes virtual lines (it subtracts the scroll)

    def cell_text(self, index: int, key: str) -> str:
        """Plain text of one cell, as painted (for tests and screen readers)."""
        col = next(i for i, c in enumerate(self.columns) if c.key == key)
        cell = self.cells(self.rows[index])[col]
        return cell.plain if isinstance(cell, Text) else str(cell)

    # --- painting --------------------------------------------------------------
    def _line(self, values: Sequence[Text | str], base: Style) -> Text:
        line = Text(style=base, no_wrap=True, end="")
        for col, value in zip(self.columns, values):
            cell = value.copy() if isinstance(value, Text) else Text(str(value))  # never parsed as markup
            cell.truncate(col.width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(cell)
            line.append(" ")
        return line

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # theme or pseudo-class (focus) changed: cached lines have old colours

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x = int(self.scroll_x)
        index = -1 if y == 0 else int(self.scroll_y) + y - 1  # -1: the header line
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        look = "header" if index < 0 else "cursor" if index == self.cursor_row else "odd" if index % 2 else "even"
        key = (index, look, self.has_focus, scroll_x, width)
        strip = self._lines.get(key)
        if strip is None:
            if look == "header":
                base = self.get_component_rich_style("shortlist-table--header")
                line = self._line([c.label for c in self.columns], base)
            else:
                base = self.rich_style if look == "even" else self.get_component_rich_style(f"shortlist-table--{look}")
                line = self._line(self.cells(self.rows[index]), base)
            segments = list(line.render(self.app.console, end=""))
            strip = Strip(segments, line.cell_len).crop(scroll_x, scroll_x + width).extend_cell_length(width, base)
            if index >= 0:
                strip = strip.simplify()
            if len(self._lines) >= LINE_CACHE_SIZE:
                self._lines.clear()
            self._lines[key] = strip
        return strip

    # --- cursor ----------------------------------------------------------------
    def move_cursor(self, delta: int, *, paint_later: bool = False) -> None:
        """Move the cursor by `delta` rows; with `paint_later` its repaint waits for `paint_cursor()`.

        The cursor itself moves at once (the next key acts on the new row). The shortlist
        uses `paint_later` after a decision key so the cursor step and the committed status
        reach the terminal in one frame: Textual paints at most 60 frames a second, so a
        second frame right after a first one waits 17-33 ms.
        """
        if not self.rows:
            return
        new = max(0, min(len(self.rows) - 1, self.cursor_row + delta))
        if not paint_later:
            self.cursor_row = new
            return
        if self._unpainted_from is None:
            self._unpainted_from = self.cursor_row
        self.set_reactive(ShortlistTable.cursor_row, new)  # no watcher: nothing is repainted yet

    @property
    def cursor_paint_pending(self) -> bool:
        """True while a cursor move made with `paint_later` waits for `paint_cursor()`."""
        return self._unpainted_from is not None

    def paint_cursor(self) -> None:
        """Paint a cursor move made with `paint_later` (nothing to do when there is none)."""
        if self._unpainted_from is not None:
            old, self._unpainted_from = self._unpainted_from, None
            self.watch_cursor_row(old, self.cursor_row)

    def watch_cursor_row(self, old: int, new: int) -> None:
        if self._unpainted_from is not None:  # an ordinary move paints a pending one too
            self.refresh_row(self._unpainted_from)
            self._unpainted_from = None
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh_row(old)
        self.refresh_row(new)

    def _move(self, delta: int) -> None:
        self.move_cursor(delta)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.size.height - 2))

    def action_page_down(self) -> None:
        self._move(max(1, self.size.height - 2))

    def action_first(self) -> None:
        self._move(-len(self.rows))

    def action_last(self) -> None:
        self._move(len(self.rows))

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.rows):
            if index == self.cursor_row:
                self.action_select()
            self.cursor_row = index
