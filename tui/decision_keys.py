"""Provides the decision keys (s m r c n u) shared by the shortlist and candidate screens.

`c` (contacted) on a person whose GDPR notice was not sent asks for the channel the
notice goes with, and records both together (the store refuses a contact otherwise).

A screen mixes in `DecisionKeys` and says which row is current; each key becomes a
`DecisionRequest` for the app's ordered writer, carrying the score shown on screen.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.decisions import DecisionRequest
from tui.oversight import notice_pending
from tui.rows import ShortlistRow
from tui.screens.prompt import TextPromptModal

# Less frequent keys are hidden from the footer (fewer footer widgets to restyle on every
# focus change); `?` and the command palette list them all.
DECISION_BINDINGS = [
    Binding("s", "decide('shortlisted')", "Shortlist", id="shortlist", tooltip="Shortlist this candidate"),
    Binding("m", "decide('maybe')", "Maybe", id="maybe", tooltip="Mark as maybe"),
    Binding("r", "reject", "Reject", id="reject", tooltip="Reject (asks for an optional reason)"),
    Binding("c", "decide('contacted')", "Contacted", id="contacted", tooltip="Mark as contacted", show=False),
    Binding("n", "note", "Note", id="note", tooltip="Add or edit a note"),
    Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last decision on this candidate"),
]


class DecisionKeys:
    """Decision actions shared by the shortlist and candidate screens (`current_row` differs)."""

    job_id: int

    def current_row(self) -> ShortlistRow | None:  # pragma: no cover - overridden
        raise NotImplementedError

    def after_decision_key(self) -> None:
        """Hook run right after a status key (the shortlist moves to the next row)."""

    def _submit(self, action: str, *, note: str | None = None, reason: str | None = None,
                notice_channel: str | None = None) -> None:
        row = self.current_row()
        if row is None:
            return
        shown = row.shown_score if self.app.ranking_on else None  # type: ignore[attr-defined]  # no score on screen
        self.app.submit_decision(DecisionRequest(self.job_id, row.candidate_id, action, note=note,  # type: ignore[attr-defined]
                                                 reason=reason, score_shown=shown, notice_channel=notice_channel))

    def action_decide(self, status: str) -> None:
        row = self.current_row()
        if status == "contacted" and row is not None and notice_pending(row):
            self._contact_with_notice(row)
            return
        self._submit(status)
        self.after_decision_key()

    def _contact_with_notice(self, row: ShortlistRow) -> None:
        """GDPR Art. 14(3)(b): the notice goes at the latest with the first contact — ask how it is sent."""

        def done(channel: str | None) -> None:
            if channel is not None and channel.strip():  # None = cancelled: nothing is written
                self._submit("contacted", notice_channel=channel.strip())
                self.after_decision_key()

        self.app.push_screen(TextPromptModal(  # type: ignore[attr-defined]
            f"{row.display_name(self.app.blind)}: privacy notice not sent yet — sent with this contact, by",  # type: ignore[attr-defined]
            value="email", hint="enter = notice sent together (recorded as proof) · escape = cancel, nothing written"), done)

    def action_reject(self) -> None:
        row = self.current_row()
        if row is None:
            return

        def done(reason: str | None) -> None:
            if reason is not None:  # None = cancelled: nothing is written
                self._submit("rejected", reason=reason.strip() or None)
                self.after_decision_key()

        self.app.push_screen(TextPromptModal(  # type: ignore[attr-defined]
            f"Reject {row.display_name(self.app.blind)} — reason (optional)",  # type: ignore[attr-defined]
            placeholder="e.g. no Django experience", hint="enter to reject · escape to cancel"), done)

    def action_note(self) -> None:
        row = self.current_row()
        if row is None:
            return

        def done(note: str | None) -> None:
            if note is not None:
                self._submit("note", note=note)

        self.app.push_screen(TextPromptModal(  # type: ignore[attr-defined]
            f"Note on {row.display_name(self.app.blind)}", value=row.note or "",  # type: ignore[attr-defined]
            placeholder="visible to your team; avoid sensitive personal data"), done)

    def action_undo(self) -> None:
        self._submit("undo")
