"""Provides `JobsScreen`: open jobs with pool size, what is new, shortlisted count and last crawl."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tui.messages import JobsLoaded, LoadFailed
from tui.widgets.keys_footer import KeysFooter


def fmt_time(value: datetime | None) -> str:
    """Absolute UTC time (never relative: the screen must not change by itself)."""
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


class JobsScreen(Screen):
    """The start screen: pick a job to review."""

    BINDINGS = [
        Binding("enter", "open_job", "Open shortlist", id="open-job", tooltip="Review the selected job's ranked candidates"),
        Binding("w", "crawls", "Crawls", id="crawls", tooltip="Last crawl runs per source, with their errors"),
        Binding("i", "brand", "Brand ideas", id="brand", tooltip="Employer-brand insights and post ideas"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh-jobs", tooltip="Reload the jobs and their counts"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.jobs: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Open jobs", id="jobs-title", classes="screen-title")
        yield DataTable(id="jobs", cursor_type="row", zebra_stripes=True)
        yield Static("Loading…", id="jobs-status", classes="status-line", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Widths sum to 117 cells with padding: everything fits a 120-column terminal.
        for label, key, width in (("#", "id", 4), ("Job", "title", 32), ("Company", "company", 15),
                                  ("Location", "location", 16), ("Pool", "pool", 4), ("New", "new", 4),
                                  ("Top+", "top", 4), ("Shrt", "shortlisted", 4), ("Last crawl", "crawl", 16)):
            table.add_column(label, key=key, width=width)

    def on_screen_resume(self) -> None:
        # Loaded whenever the screen is shown (first push included): counts change while
        # reviewing a shortlist, and `sourcing review JOB` never shows it unless asked to.
        self.load_jobs()

    @work(thread=True, exclusive=True, exit_on_error=False, group="jobs")
    def load_jobs(self) -> None:
        from sourcing.storage.nightly import new_in_top_counts
        from sourcing.storage.review import job_overview
        from sourcing.textsafe import terminal_tree

        try:
            jobs = terminal_tree(job_overview(self.app.store))  # control codes escaped
            new_in_top = new_in_top_counts(self.app.store)
        except Exception as exc:  # shown to the user, never swallowed
            self.post_message(LoadFailed("jobs", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(JobsLoaded(jobs, new_in_top))

    def on_jobs_loaded(self, message: JobsLoaded) -> None:
        self.jobs = message.jobs
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for job in message.jobs:
            table.add_row(
                str(job["id"]),
                Text(job["title"] or ""),
                Text(job.get("company") or "—"),
                Text(job.get("location") or ("Remote" if job.get("remote") else "—")),
                str(job["pool"]),
                str(job["new_since_review"]),
                str(message.new_in_top.get(job["id"], 0)),
                str(job["shortlisted"]),
                fmt_time(job.get("last_crawl")),
                key=str(job["id"]),
            )
        if message.jobs:
            table.move_cursor(row=min(cursor, len(message.jobs) - 1))
        total = sum(j["pool"] for j in message.jobs)
        self.query_one("#jobs-status", Static).update(
            f"{len(message.jobs)} open jobs · {total} ranked candidates · New = ranked since you last opened the job "
            "· Top+ = entered the top N last night"
            if message.jobs else
            "No open jobs yet. Add one with `sourcing jobs add`, or try `sourcing demo`."
        )
        table.focus()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one("#jobs-status", Static).update(f"Could not load {message.what}: {message.error}")
        self.notify(message.error, title=f"Could not load {message.what}", severity="error", markup=False)

    def selected_job_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.jobs or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
        return int(key.value) if key.value is not None else None

    @on(DataTable.RowSelected, "#jobs")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_job()

    def action_open_job(self) -> None:
        from tui.screens.shortlist import ShortlistScreen

        job_id = self.selected_job_id()
        if job_id is not None:
            self.app.push_screen(ShortlistScreen(job_id))

    def action_crawls(self) -> None:
        from tui.screens.crawls import CrawlsScreen

        self.app.push_screen(CrawlsScreen())

    def action_brand(self) -> None:
        if not self.app.brand_available():
            self.notify("The employer-brand screen is not installed in this build.", severity="warning")
            return
        from tui.screens.brand import BrandScreen

        self.app.push_screen(BrandScreen(self.app.store, self.app.config))

    def action_refresh(self) -> None:
        self.load_jobs()
