"""Provides the shortlist's text cells: the status (with note and notice marks) and short lists."""

from __future__ import annotations

from rich.text import Text

from tui.oversight import notice_mark
from tui.rows import ShortlistRow

STATUS_STYLE = {"shortlisted": "bold green", "maybe": "yellow", "rejected": "red", "contacted": "cyan"}



def status_text(row: ShortlistRow) -> Text:
    """The status cell: a notice mark first (overdue or due within 7 days), the status word, a pencil for a note."""
    text = notice_mark(row) or Text()
    text.append(row.status or "·", style=STATUS_STYLE.get(row.status or "", "dim"))
    if row.note:
        text.append(" ✎", style="dim")
    return text


def join_short(items: list[str], limit: int = 3) -> str:
    """First `limit` items, comma-separated, with a +N for the rest."""
    shown = ", ".join(items[:limit])
    return shown + (f" +{len(items) - limit}" if len(items) > limit else "")
