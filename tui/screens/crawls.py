"""Provides `CrawlsScreen`: recent crawl runs per source (items, errors, duration) and error details."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from sourcing.textsafe import terminal_tree
from tui.messages import CrawlsLoaded, LoadFailed
from tui.screens.jobs import fmt_time
from tui.widgets.keys_footer import KeysFooter

STATUS_STYLE = {"ok": "green", "finished": "green", "partial": "yellow", "failed": "bold red", "running": "cyan"}


def history_text(runs: list[dict[str, Any]], nights: int = 14, today: Any = None) -> Text:
    """Per source, the last `nights` nights (to `today`, UTC) as sparklines: items stored, and errors."""
    from sourcing.crawl_history import crawl_history, sparkline

    hist = crawl_history(runs, nights=nights, today=today)
    text = Text()
    if not hist:
        return text
    width = max(len(k) for k in hist)
    text.append(f"{'last ' + str(nights) + ' nights':<{width}}  items{' ' * (nights - 3)}errors\n", style="dim")
    for key in sorted(hist):
        h = hist[key]
        text.append(f"{key:<{width}}  ")
        text.append(sparkline(h.items), style="green")
        text.append("  ")
        text.append(sparkline(h.errors), style="bold red" if any(h.errors) else "dim")
        text.append(f"  {sum(h.items):,} items, {sum(h.errors):,} errors\n")
    return text


def duration(run: dict[str, Any]) -> str:
    """Run time as `1m05s` (blank while running)."""
    start, end = run.get("started_at"), run.get("finished_at")
    if not (start and end):
        return "—"
    secs = int((end - start).total_seconds())
    return f"{secs // 60}m{secs % 60:02d}s" if secs >= 60 else f"{secs}s"


def error_details(run: dict[str, Any]) -> Text:
    """The run's error list: one line per error with its URL or item and reason."""
    details = run.get("error_details") or []
    text = Text()
    text.append(f"Run {run['id']} — {run['spider']} {run.get('source_key') or ''}: ", style="bold")
    if not details:
        text.append("no errors recorded." if not run.get("errors") else f"{run['errors']} errors, no details kept.")
        return text
    text.append(f"{len(details)} errors\n")
    for d in details[:50]:
        where = (d.get("url") or d.get("item") or d.get("where") or "") if isinstance(d, dict) else ""
        why = (d.get("reason") or d.get("error") or d.get("message") or d) if isinstance(d, dict) else d
        text.append(f"• {where} ", style="dim")
        text.append(f"{why}\n")
    return text


class CrawlsScreen(Screen):
    """Crawl runs, newest first; the selected run's errors below."""

    BINDINGS = [
        Binding("ctrl+r", "refresh", "Refresh", id="refresh-crawls", tooltip="Reload crawl runs"),
        Binding("escape", "back", "Back", id="back-to-jobs", tooltip="Back to the jobs"),
    ]

    def __init__(self, today: Any = None) -> None:
        """`today` (a date) ends the history's nights; None is the current UTC date (a fixed one for snapshots)."""
        super().__init__()
        self.runs: list[dict[str, Any]] = []
        self.today = today

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Crawl runs (newest first)", id="crawls-title", classes="screen-title")
        yield Static("", id="crawl-history", markup=False)
        yield DataTable(id="crawls", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="crawl-errors-box"):
            yield Static("Select a run to see its errors.", id="crawl-errors")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in (("Run", "id", 5), ("Spider", "spider", 12), ("Source", "source", 26),
                                  ("Started (UTC)", "started", 16), ("Took", "took", 7), ("Status", "status", 9),
                                  ("New", "new", 5), ("Upd", "updated", 5), ("Same", "unchanged", 5),
                                  ("Drop", "dropped", 5), ("Err", "errors", 5)):
            table.add_column(label, key=key, width=width)
        self.load_runs()

    @work(thread=True, exclusive=True, exit_on_error=False, group="crawls")
    def load_runs(self) -> None:
        try:
            runs = terminal_tree(self.app.store.list_crawl_runs(limit=200))  # control codes escaped
        except Exception as exc:  # shown to the user, never swallowed
            self.post_message(LoadFailed("crawl runs", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(CrawlsLoaded(runs))

    def on_crawls_loaded(self, message: CrawlsLoaded) -> None:
        self.runs = message.runs
        table = self.query_one(DataTable)
        table.clear()
        for run in self.runs:
            status = run.get("status") or ""
            table.add_row(
                str(run["id"]), run["spider"], Text(run.get("source_key") or "—"), fmt_time(run.get("started_at")),
                duration(run), Text(status, style=STATUS_STYLE.get(status, "")), str(run.get("items_new", 0)),
                str(run.get("items_updated", 0)), str(run.get("items_unchanged", 0)), str(run.get("items_dropped", 0)),
                Text(str(run.get("errors", 0)), style="bold red" if run.get("errors") else ""),
                key=str(run["id"]),
            )
        self.query_one("#crawl-history", Static).update(history_text(self.runs, today=self.today))
        if not self.runs:
            self.query_one("#crawl-errors", Static).update("No crawl yet. Run `sourcing crawl --all`.")
        table.focus()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one("#crawl-errors", Static).update(Text(f"Could not load {message.what}: {message.error}"))

    @on(DataTable.RowHighlighted, "#crawls")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.runs):
            self.query_one("#crawl-errors", Static).update(error_details(self.runs[event.cursor_row]))

    def action_refresh(self) -> None:
        self.load_runs()

    def action_back(self) -> None:
        self.app.pop_screen()
