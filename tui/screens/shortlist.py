"""Provides `ShortlistScreen`: a job's ranked candidates in one virtualised table, with decisions.

Rows are loaded in a worker (`tui.screens.shortlist_loader`: the first page at once, the
rest right behind it; R/W re-rank there too) and kept as plain `ShortlistRow`s; `ShortlistTable` formats only the visible ones, so
10,000 candidates never mean 10,000 widgets or 80,000 measured cells. A decision
key queues the write and moves to the next row; the status cell changes when the
store has committed (`DecisionSaved`). `e` exports the rows shown (`tui.screens.shortlist_export`).
"""

from __future__ import annotations

import threading
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, ProgressBar, Static

from tui.decision_keys import DECISION_BINDINGS, DecisionKeys
from tui.messages import DecisionFailed, DecisionSaved, LoadFailed, ShortlistLoaded, SourceLinkFound
from tui.oversight import must_checklist, neutral
from tui.rows import SORT_KEYS, RowFilter, ShortlistRow, apply_view
from tui.screens.jobs import JobsScreen
from tui.screens.shortlist_export import ShortlistExport
from tui.screens.shortlist_loader import ShortlistLoading
from tui.widgets.cells import join_short, status_text
from tui.widgets.score_bar import score_cell
from tui.widgets.score_chart import ScoreChart
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.shortlist_table import Column, ShortlistTable

CURSOR_PAINT_WAIT_S = 0.03  # after a decision key, longest wait for the commit before the cursor step is painted alone

# Widths sum to 117 cells with padding (+2 for the scrollbar): everything fits 120 columns.
COLUMNS = [Column("#", "rank", 4), Column("Score", "score", 11), Column("Name", "name", 16),
           Column("Headline", "headline", 20), Column("Location", "location", 12), Column("Matched", "matched", 14),
           Column("Missing", "missing", 11), Column("Status", "status", 13)]

class ShortlistScreen(ShortlistLoading, ShortlistExport, DecisionKeys, Screen):
    """Ranked candidates of one job: triage with single keys, filter with `/`."""

    AUTO_FOCUS = "#shortlist"

    BINDINGS = [
        Binding("enter", "open_candidate", "Open", id="open-candidate", tooltip="Profile, evidence and history"),
        *DECISION_BINDINGS,
        Binding("slash", "filter", "Filter", id="filter",
                tooltip="words, status:shortlisted|none, loc:paris, remote, score>=0.6"),
        Binding("t", "sort", "Sort", id="sort", tooltip="Cycle the order: rank, name, status, location", show=False),
        Binding("e", "export", "Export", id="export", tooltip="Export the rows shown to CSV, XLSX or JSON"),
        Binding("W", "widen", "Widen", id="widen", tooltip="Re-rank keeping twice as many of the pool", show=False),
        Binding("R", "rerank", "Re-rank", id="rerank",
                tooltip="Rank this job again on the current pool, learning from your shortlist/reject decisions; decisions are kept", show=False),
        Binding("o", "open_source", "Link", id="open-source-row", tooltip="Open (or copy) the highlighted person's source URL", show=False),
        Binding("escape", "back", "Back", id="back", tooltip="Back to the jobs (or clear the filter)"),
    ]

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id
        self.job: dict[str, Any] = {}
        self.rows: list[ShortlistRow] = []
        self.by_id: dict[int, ShortlistRow] = {}
        self.view: list[ShortlistRow] = []
        self.index: dict[int, int] = {}  # candidate id -> position in `view`
        self.saved_here: dict[int, dict[str, Any]] = {}  # decisions committed while this screen is open
        self.total = 0
        self.complete = False
        self._first_painted = threading.Event()
        self._maskers: dict[int, Any] = {}
        self.counts: dict[str, int] = {}
        self.filter_text = ""
        self.sort_key = "rank"
        self.loaded = False
        self.scope: dict[str, Any] | None = None  # "best K of N" of the stored ranking
        self.retrieve: int | None = None  # K asked for by W (None: [ranking] retrieve)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Job {self.job_id}", id="shortlist-title", classes="screen-title", markup=False)
        yield Input(placeholder="filter: words  status:shortlisted|none  loc:paris  remote  score>=0.6   (enter applies, escape closes)",
                    id="filter")
        yield ShortlistTable(COLUMNS, self.cells, id="shortlist")
        yield ScoreChart(id="score-chart")
        yield ProgressBar(id="rank-progress", show_eta=False)
        yield Static("Loading candidates…", id="shortlist-status", classes="status-line", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#rank-progress", ProgressBar).display = False
        self.load_shortlist()

    def on_shortlist_loaded(self, message: ShortlistLoaded) -> None:
        self.job = message.job
        self.rows = message.rows
        self.total, self.complete = message.total, message.complete
        for row in self.rows:  # a decision saved while the rows were being read wins
            state = self.saved_here.get(row.candidate_id)
            if state is not None:
                row.status, row.note, row.reason = state.get("status"), state.get("note"), state.get("reason")
        self.by_id = {r.candidate_id: r for r in self.rows}
        self.count_statuses()
        first_paint = not self.loaded
        self.loaded = True
        if first_paint:
            self.call_after_refresh(self._first_painted.set)
        where = ", ".join(x for x in (self.job.get("company"), self.job.get("location")) if x)
        self.query_one("#shortlist-title", Static).update(
            f"#{self.job_id} {self.job.get('title', '')}" + (f" — {where}" if where else ""))
        self.refresh_table()
        if message.complete:  # the whole pool: the chart is drawn once, not per page
            self.query_one(ScoreChart).show([r.score for r in self.rows], int(self.app.config.get("ranking.top")))
        self.query_one(ScoreChart).display = self.app.ranking_on  # oversight off: no score anywhere
        if first_paint:
            self.query_one("#shortlist", ShortlistTable).focus()
            self.app.automation_note()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one("#shortlist-status", Static).update(f"Could not load {message.what}: {message.error}")
        self.notify(message.error, title=f"Could not load {message.what}", severity="error", markup=False)

    # --- table -----------------------------------------------------------------
    def masked(self, row: ShortlistRow, text: str) -> str:
        """`text` with the person's identity markers hidden (blind mode), else unchanged."""
        if not self.app.blind or not text:
            return text
        masker = self._maskers.get(row.candidate_id)
        if masker is None:  # built on first paint of the row only: cheap for any pool size
            from ranking.blind import Masker

            masker = self._maskers[row.candidate_id] = Masker(names=[row.name] if row.name else [])
        return masker.mask(text)

    def cells(self, row: ShortlistRow) -> tuple[Any, ...]:
        """One row's cells, formatted when the row is painted (never parsed as markup)."""
        blind = self.app.blind
        place = self.masked(row, row.location) or ("Remote" if row.remote else "—")
        if row.remote and row.location and "remote" not in row.location.lower():
            place += " ⌂"
        on = self.app.ranking_on  # off: no rank, no score, the must-haves met instead of matched skills
        return (
            str(row.rank) if on else "·", score_cell(row.score, 5) if on else Text("—", style="dim"),
            Text(row.display_name(blind)), Text(self.masked(row, row.headline)), Text(place),
            Text(join_short(row.matched if on else must_checklist(row)), style="green"),
            Text(join_short(row.missing_must, 2), style="red"), status_text(row),
        )

    def refresh_table(self) -> None:
        """Rebuild the view from rows, filter and sort (keeps the cursor on the same person)."""
        table = self.query_one("#shortlist", ShortlistTable)
        current = self.current_row()
        try:
            flt = RowFilter.parse(self.filter_text)
        except ValueError as exc:
            self.notify(str(exc), title="Filter not understood", severity="error", markup=False)
            return
        if flt.min_score is not None and not self.app.ranking_on:
            self.notify("No score filter while automated ordering is off.", severity="warning")
            flt.min_score = None
        self.view = apply_view(self.rows, flt, self.sort_key, self.app.blind)
        if self.sort_key == "rank" and not self.app.ranking_on:
            self.view = neutral(self.job_id, self.view)
        self.index = {r.candidate_id: i for i, r in enumerate(self.view)}
        cursor = self.index.get(current.candidate_id, 0) if current is not None else 0
        table.set_rows(self.view, cursor)
        self.update_status()

    def count_statuses(self) -> None:
        """Recount decisions over every row (on load); decisions then adjust `counts` by one."""
        self.counts = {}
        for r in self.rows:
            self.counts[r.status or "undecided"] = self.counts.get(r.status or "undecided", 0) + 1

    def update_status(self) -> None:
        counts = self.counts
        decided = " · ".join(f"{counts[s]} {s}" for s in ("shortlisted", "maybe", "contacted", "rejected") if counts.get(s))
        parts = [f"{len(self.view):,} of {len(self.rows):,} shown", f"sort: {self.sort_key}"]
        if not self.complete:
            parts[0] = f"{len(self.view):,} of {self.total:,} shown (loading the rest…)"
        if self.filter_text:
            parts.append(f"filter: {self.filter_text}")
        if decided:
            parts.append(decided)
        if self.app.blind:
            parts.append("BLIND")
        if not self.app.ranking_on:
            parts.append("RANKING OFF: neutral order")
        scope = self.scope
        if scope and scope["pool"] > scope["saved"]:
            parts.insert(1, f"best {scope['saved']:,} of {scope['pool']:,} — press W to widen")
        if not self.rows:
            parts = [f"No ranked candidates for this job yet: press R to rank it (or run `sourcing rank {self.job_id}`)."]
        # One line of fixed height (.status-line): no layout pass needed, only a repaint.
        self.query_one("#shortlist-status", Static).update("  ·  ".join(parts), layout=False)

    def current_row(self) -> ShortlistRow | None:
        table = self.query_one("#shortlist", ShortlistTable)
        if not self.view or not (0 <= table.cursor_row < len(self.view)):
            return None
        return self.view[table.cursor_row]

    def after_decision_key(self) -> None:
        # The cursor moves to the next person now; its repaint waits for the commit
        # (usually a few ms) so the step and the new status show in the same frame.
        table = self.query_one("#shortlist", ShortlistTable)
        table.move_cursor(1, paint_later=True)
        self.set_timer(CURSOR_PAINT_WAIT_S, table.paint_cursor)

    def decision_saved(self, message: DecisionSaved) -> None:
        """Apply a committed decision to the row (called by the app on the UI thread)."""
        row = self.by_id.get(message.candidate_id)
        if message.job_id != self.job_id or row is None or message.state is None and message.action == "undo":
            return
        state = message.state or {}
        self.saved_here[row.candidate_id] = state
        old = row.status or "undecided"
        row.status, row.note, row.reason = state.get("status"), state.get("note"), state.get("reason")
        row.notice = state.get("notice") or row.notice
        self.counts[old] = self.counts.get(old, 1) - 1
        self.counts[row.status or "undecided"] = self.counts.get(row.status or "undecided", 0) + 1
        index = self.index.get(row.candidate_id)
        table = self.query_one("#shortlist", ShortlistTable)
        if index is not None:
            table.refresh_row(index)
        table.paint_cursor()  # the step made by the decision key, in this same frame
        self.update_status()

    def decision_failed(self, message: DecisionFailed) -> None:
        """Paint the cursor step at once: no status change is coming (the app reports the error)."""
        self.query_one("#shortlist", ShortlistTable).paint_cursor()

    def blind_changed(self, blind: bool) -> None:
        if self.loaded:
            self.refresh_table()

    def ranking_changed(self, on: bool) -> None:
        self.query_one(ScoreChart).display = on
        self.blind_changed(self.app.blind)

    # --- actions ---------------------------------------------------------------
    @on(ShortlistTable.RowSelected, "#shortlist")
    def _row_selected(self, event: ShortlistTable.RowSelected) -> None:
        event.stop()
        self.action_open_candidate()

    def action_open_candidate(self) -> None:
        from tui.screens.candidate import CandidateScreen

        row = self.current_row()
        if row is not None:
            self.app.push_screen(CandidateScreen(self.job_id, row, self.job))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.value = self.filter_text
        box.focus()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.filter_text = event.value.strip()
        self.refresh_table()
        if not self.filter_text:
            event.input.display = False
        self.query_one("#shortlist", ShortlistTable).focus()

    def action_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self.refresh_table()

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or self.filter_text:
            self.filter_text = ""
            box.value = ""
            box.display = False
            self.refresh_table()
            self.query_one("#shortlist", ShortlistTable).focus()
            return
        if any(isinstance(screen, JobsScreen) for screen in self.app.screen_stack):
            self.app.pop_screen()
        else:  # opened directly on this job (`sourcing review JOB`)
            self.app.switch_screen(JobsScreen())

    def action_open_source(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if self.app.blind:
            self.notify("Links are hidden in blind mode (press b to leave it).", severity="warning")
            return
        self.find_source_link(row.candidate_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="link")
    def find_source_link(self, candidate_id: int) -> None:
        try:
            profiles = self.app.store.get_candidate(candidate_id)["profiles"]
        except Exception as exc:  # shown to the user, never swallowed
            self.post_message(LoadFailed(f"candidate {candidate_id}", f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"))
            return
        self.post_message(SourceLinkFound(candidate_id, next((p["url"] for p in profiles if p.get("url")), None)))

    def on_source_link_found(self, message: SourceLinkFound) -> None:
        if message.url:
            self.app.open_link(message.url)
        else:
            self.notify("This candidate has no source URL.", severity="warning")
