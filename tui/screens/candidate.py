"""Provides `CandidateScreen`: why the ranker placed a person here, their profile, sources and history."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.messages import CandidateLoaded, DecisionSaved, LoadFailed
from tui.rows import ShortlistRow
from tui.decision_keys import DECISION_BINDINGS, DecisionKeys
from tui.widgets import candidate_view as view
from tui.widgets.keys_footer import KeysFooter


def _identity(text: str) -> str:
    return text


class CandidateScreen(DecisionKeys, Screen):
    """One candidate for one job; the same decision keys as the shortlist."""

    BINDINGS = [
        *DECISION_BINDINGS,
        Binding("o", "open_source", "Link", id="open-source", tooltip="Open (or copy) the profile's source URL"),
        Binding("escape", "back", "Back", id="back-to-shortlist", tooltip="Back to the shortlist"),
    ]

    def __init__(self, job_id: int, row: ShortlistRow, job: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.job_id = job_id
        self.row = row
        self.job = job or {}
        self.candidate: dict[str, Any] | None = None
        self.history: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="cand-header", classes="screen-title")
        with Horizontal(id="cand-body"):
            with VerticalScroll(id="cand-left"):
                yield Static("Why this rank", classes="section-title")
                yield Static(id="cand-why")
                yield Static("Profile", classes="section-title")
                yield Static("Loading…", id="cand-profile")
            with VerticalScroll(id="cand-right"):
                yield Static("Sources", classes="section-title")
                yield Static(id="cand-sources")
                yield Static("Decision history", classes="section-title")
                yield Static(id="cand-history")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.render_all()
        self.load_candidate()

    @work(thread=True, exclusive=True, exit_on_error=False, group="candidate")
    def load_candidate(self) -> None:
        from sourcing.storage.review import decision_history
        from sourcing.textsafe import terminal_tree

        store = self.app.store
        try:
            # Stored text is shown with any control codes escaped: a name must not drive the terminal.
            cand = terminal_tree(store.get_candidate(self.row.candidate_id))
            hist = terminal_tree(decision_history(store, self.job_id, self.row.candidate_id))
        except Exception as exc:  # shown to the user, never swallowed
            self.post_message(LoadFailed(f"candidate {self.row.candidate_id}", f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"))
            return
        self.post_message(CandidateLoaded(self.job_id, cand, hist))

    def on_candidate_loaded(self, message: CandidateLoaded) -> None:
        self.candidate = message.candidate
        self.history = message.history
        self.render_all()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one("#cand-profile", Static).update(f"Could not load {message.what}: {message.error}")
        self.notify(message.error, title=f"Could not load {message.what}", severity="error", markup=False)

    def masker(self):
        """The text filter for the current mode: the person's masker in blind mode, else identity."""
        if not self.app.blind:
            return _identity
        from ranking.blind import masker_for

        cand = self.candidate or {"name": self.row.name, "profiles": []}
        return masker_for(cand).mask

    def render_all(self) -> None:
        blind = self.app.blind
        mask = self.masker()
        scored = self.app.ranking_on  # human oversight off: no score, must-haves only
        self.query_one("#cand-header").update(view.header(self.row, self.candidate, blind, mask, scored))
        self.query_one("#cand-why").update(view.why(self.row, mask, scored))
        if self.candidate is not None:
            self.query_one("#cand-profile").update(view.profile(self.candidate, self.row, mask))
            self.query_one("#cand-sources").update(view.sources(self.candidate, blind))
            self.query_one("#cand-history").update(view.history(self.history, mask))

    # --- decisions -------------------------------------------------------------
    def current_row(self) -> ShortlistRow | None:
        return self.row

    def decision_saved(self, message: DecisionSaved) -> None:
        """Refresh after a committed decision on this person (the row was updated by the shortlist)."""
        if message.job_id == self.job_id and message.candidate_id == self.row.candidate_id:
            if message.state is not None:
                self.row.status = message.state.get("status")
                self.row.note = message.state.get("note")
                self.row.reason = message.state.get("reason")
            self.load_candidate()  # history comes from the audit log

    def blind_changed(self, blind: bool) -> None:
        self.render_all()

    ranking_changed = blind_changed

    # --- other keys ------------------------------------------------------------
    def action_open_source(self) -> None:
        urls = [p.get("url") for p in (self.candidate or {}).get("profiles") or [] if p.get("url")]
        if not urls:
            self.notify("This candidate has no source URL.", severity="warning")
        elif self.app.blind:
            self.notify("Links are hidden in blind mode (press b to leave it).", severity="warning")
        else:
            self.app.open_link(urls[0])

    def action_back(self) -> None:
        self.app.pop_screen()
