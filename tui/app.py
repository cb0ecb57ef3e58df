"""Provides the review app (`sourcing review`) and `make_app`, the factory the CLI and tests share.

The app routes messages and owns two pieces of state every screen shares: blind
mode and the decision queue. Screens load their data in thread workers that post
messages (see `tui.messages`); decisions go through `submit_decision`, are written
in order by a writer worker (one per burst of keys) and acknowledged only once committed.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.decisions import DecisionQueue, DecisionRequest
from tui.messages import DecisionFailed, DecisionSaved
from tui.screens.help import HelpModal, binding_rows
from tui.screens.jobs import JobsScreen
from tui.screens.shortlist import ShortlistScreen

WRITER_GROUP = "decisions"  # the decision writer's worker group

ACTION_LABELS = {"shortlisted": "Shortlisted", "maybe": "Maybe", "rejected": "Rejected",
                 "contacted": "Contacted", "note": "Note saved", "undo": "Undone"}


class ReviewApp(App[None]):
    """Keyboard-first triage of ranked candidates: jobs → shortlist → candidate → decision."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "sourcing review"
    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="help", tooltip="Show every key of this screen"),
        Binding("b", "toggle_blind", "Blind", id="blind",
                tooltip="Blind mode: hide names, e-mails and links; show pseudonyms"),
        Binding("A", "toggle_ranking", "Ranking on/off", id="ranking", show=False,
                tooltip="Human oversight: automated ordering off = neutral order, must-haves only, no score"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit (acknowledged decisions are already saved)"),
    ]

    blind: reactive[bool] = reactive(False)
    """Whether identity markers are hidden everywhere (pseudonyms shown instead of names)."""

    ranking_on: reactive[bool] = reactive(True)
    """Whether lists are in the ranker's order with scores (False: neutral order, must-haves only)."""

    def __init__(self, config: Any, store: Any, ranker: Any = None, *, job_id: int | None = None,
                 blind: bool | None = None, export_dir: Path | None = None, clock: Any = None) -> None:
        super().__init__()
        self.clock = clock  # () -> aware UTC datetime for notice deadlines; None = the real time
        self.config = config
        self.store = store
        self.ranker = ranker
        self.start_job_id = job_id
        self.export_dir = Path(export_dir) if export_dir else Path.cwd()
        self.decisions = DecisionQueue(store, config.actor, config)
        self.automation_note_shown = False
        self._writer: Worker[None] | None = None
        self._unacknowledged = 0  # submitted decisions whose DecisionSaved/DecisionFailed is not handled yet
        self._decisions_settled = asyncio.Event()
        self._decisions_settled.set()
        self.set_reactive(ReviewApp.blind, bool(config.get("privacy.blind") if blind is None else blind))
        self.set_reactive(ReviewApp.ranking_on, bool(config.get("ranking.enabled")))
        keymap = config.get("tui.keymap") or {}
        self.set_keymap({str(k): str(v) for k, v in keymap.items()})
        self._theme_saved = config.get("tui.theme") or ""
        if self._theme_saved in self.available_themes:
            self.theme = self._theme_saved  # the theme picked last time (harlequin and posting keep it too)

    def on_mount(self) -> None:
        # Opened on a job, the jobs screen is only built when the user goes back to it:
        # styling a second screen would cost about as much as the shortlist itself.
        if self.start_job_id is not None:
            self.push_screen(ShortlistScreen(self.start_job_id))
        else:
            self.push_screen(JobsScreen())

    # --- decisions -------------------------------------------------------------
    def submit_decision(self, request: DecisionRequest) -> None:
        """Queue a decision for the writer; `DecisionSaved` (or `DecisionFailed`) follows the commit."""
        self._unacknowledged += 1
        self._decisions_settled.clear()
        if self.decisions.submit(request):  # else the running writer takes it
            self._writer = self._write_decisions()

    @work(thread=True, exclusive=True, exit_on_error=False, group=WRITER_GROUP)
    def _write_decisions(self) -> None:
        self.decisions.serve(self.post_message)

    async def wait_for_decisions(self) -> None:
        """Wait until every submitted decision was acknowledged (or reported failed) on screen."""
        await self._decisions_settled.wait()

    def _acknowledged(self) -> None:
        self._unacknowledged -= 1
        if self._unacknowledged <= 0:
            self._unacknowledged = 0
            self._decisions_settled.set()

    def on_decision_saved(self, message: DecisionSaved) -> None:
        for screen in self.screen_stack:
            handler = getattr(screen, "decision_saved", None)
            if handler is not None:
                handler(message)
        if message.action == "undo" and message.state is None:
            self.notify("Nothing to undo for this candidate.", severity="warning")
        self._acknowledged()

    def on_decision_failed(self, message: DecisionFailed) -> None:
        for screen in self.screen_stack:
            handler = getattr(screen, "decision_failed", None)
            if handler is not None:
                handler(message)
        self.notify(f"Decision NOT saved ({message.action}): {message.error}", title="Store error",
                    severity="error", timeout=10, markup=False)
        self._acknowledged()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker is self._writer and worker.state == WorkerState.ERROR and self._unacknowledged:
            # The writer died with decisions queued: say so, and let quit proceed (the next
            # decision starts a new writer, which writes what is still queued).
            self.notify(f"The decision writer stopped ({worker.error}); "
                        f"{self._unacknowledged} decision(s) NOT confirmed saved.",
                        title="Store error", severity="error", timeout=10, markup=False)
            self._unacknowledged = 0
            self._decisions_settled.set()

    # --- blind mode ------------------------------------------------------------
    def action_toggle_blind(self) -> None:
        self.blind = not self.blind

    def watch_blind(self, blind: bool) -> None:
        for screen in self.screen_stack:
            handler = getattr(screen, "blind_changed", None)
            if handler is not None:
                handler(blind)
        self.sub_title = "blind mode" if blind else ""

    # --- human oversight (AI Act Art. 14) ---------------------------------------
    def action_toggle_ranking(self) -> None:
        self.ranking_on = not self.ranking_on
        self.notify("Automated ordering on: ranked by score." if self.ranking_on else
                    "Automated ordering off: neutral order, must-haves only, no score.", title="Ranking")
        self.automation_note()  # scores appear for the first time this session

    def watch_ranking_on(self, on: bool) -> None:
        for screen in self.screen_stack:
            handler = getattr(screen, "ranking_changed", None)
            if handler is not None:
                handler(on)

    def automation_note(self) -> None:
        """Once per session, when a ranked list is first shown: a short note on automation bias."""
        from sourcing.oversight import AUTOMATION_NOTE

        if self.ranking_on and not self.automation_note_shown:
            self.automation_note_shown = True
            self.notify(AUTOMATION_NOTE, title="Before you start", timeout=12, markup=False)

    # --- theme -----------------------------------------------------------------
    def watch_theme(self, theme: str) -> None:
        """Keep a theme picked in the palette in the config file ([tui] theme), for the next start."""
        if theme == self._theme_saved or not self.is_running:
            return
        self._theme_saved = theme
        path = getattr(self.config, "path", None)
        if path is None:
            return
        from sourcing.config_edit import set_value
        from sourcing.errors import SourcingError

        try:
            set_value(path, "tui.theme", theme)
        except (OSError, SourcingError) as exc:
            self.notify(f"Theme not saved to {path}: {exc}", severity="warning", markup=False)

    # --- keys, palette, quit, links -------------------------------------------
    def action_help(self) -> None:
        if isinstance(self.screen, HelpModal):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpModal(binding_rows(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key of the current screen is also a palette command."""
        yield from super().get_system_commands(screen)
        seen = {"quit"}
        for key, binding, description, tooltip in binding_rows(screen):
            if binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(f"{description} ({key})", tooltip or description,
                                lambda b=binding: self.run_action(b.action, self.screen))

    async def action_quit(self) -> None:
        # Pending decisions are written and acknowledged before leaving: none is lost on a normal quit.
        await self.wait_for_decisions()
        await self.workers.wait_for_complete()
        self.exit()

    def open_link(self, url: str) -> None:
        """Open a source URL in a browser when there is one; always show it and copy it."""
        self.copy_to_clipboard(url)
        has_gui = sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if has_gui:
            self.open_url(url)
            self.notify(url, title="Opened in your browser", markup=False)
        else:
            # A console browser started here would take over this terminal.
            self.notify(url, title="No browser here: link copied", markup=False, timeout=8)

    @staticmethod
    def brand_available() -> bool:
        """True when the employer-brand screen is installed (tui.screens.brand)."""
        return importlib.util.find_spec("tui.screens.brand") is not None


def make_app(config: Any, store: Any, ranker: Any = None, *, job_id: int | None = None,
             blind: bool | None = None, export_dir: Path | None = None, clock: Any = None) -> ReviewApp:
    """Build the review app (the CLI and the tests use this same factory).

    Args:
        config: a resolved `sourcing.config.Config` (actor, `privacy.blind`, `tui.keymap`).
        store: an open `sourcing.storage.Store`.
        ranker: the encoder the re-rank key (`R`) passes to `ranking.service.rank_job`
            (e.g. `FakeEncoder()` in tests); None = the configured packaged model.
        job_id: open this job's shortlist on start.
        blind: start in blind mode (default: the config's `privacy.blind`).
        export_dir: folder proposed for exports (default: the current directory).
        clock: `() -> aware UTC datetime` for notice deadlines (tests); None = the real time.

    Returns:
        The app; call `.run()` (or `.run_test()` in tests).
    """
    return ReviewApp(config, store, ranker, job_id=job_id, blind=blind, export_dir=export_dir, clock=clock)
