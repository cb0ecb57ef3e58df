"""Provides the decision queue: recruiters' decisions written to the store in the order given.

A key press enqueues a `DecisionRequest` (UI thread, no I/O). If no writer is running,
`submit` says so and the app starts one (a thread worker running `serve`); a writer
that is running picks the request up at once, so a burst of keys is written by one
worker. The writer returns when the queue is empty, so "every worker complete" still
means "every decision written". Requests are written one at a time in FIFO order
under a lock, so `s` then `u` are applied in that order. A request is acknowledged
(`DecisionSaved`) only after the store has committed it; a write that fails is
reported (`DecisionFailed`), never acknowledged.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from tui.messages import DecisionFailed, DecisionSaved

@dataclass(frozen=True)
class DecisionRequest:
    """One decision to write: `action` is a status, "note" or "undo"."""

    job_id: int
    candidate_id: int
    action: str
    note: str | None = None
    reason: str | None = None
    score_shown: float | None = None
    notice_channel: str | None = None  # "contacted" with the GDPR notice sent together, by this channel


class DecisionQueue:
    """FIFO of pending decisions, written by `serve` (the writer thread) or `drain`."""

    def __init__(self, store: Any, actor: str, config: Any = None) -> None:
        self.store = store
        self.actor = actor
        self.config = config  # renders the notice recorded when one is sent together with a contact
        self._pending: deque[DecisionRequest] = deque()
        self._in_flight = 0
        self._serving = False  # a writer is running `serve` (and will see new requests)
        self._lock = threading.Lock()  # guards _pending, _in_flight, _serving
        self._write_lock = threading.Lock()  # one write at a time, in submission order

    def submit(self, request: DecisionRequest) -> bool:
        """Queue a request (UI thread; never blocks on the store).

        Returns:
            True when no writer is running: the caller must start one (`serve`).
        """
        with self._lock:
            self._pending.append(request)
            if self._serving:
                return False
            self._serving = True
            return True

    @property
    def pending(self) -> int:
        """Requests not yet written (queued or being written)."""
        with self._lock:
            return len(self._pending) + self._in_flight

    def write(self, req: DecisionRequest) -> Message:
        """Write one request and return the message acknowledging (or reporting) it."""
        try:
            if req.action == "undo":
                state = self.store.undo_decision(req.job_id, req.candidate_id, actor=self.actor)
            elif req.notice_channel:
                state = self._contact_with_notice(req)
            else:
                status = None if req.action == "note" else req.action
                state = self.store.set_decision(
                    req.job_id, req.candidate_id, status, note=req.note, reason=req.reason,
                    actor=self.actor, score_shown=req.score_shown,
                )
        except Exception as exc:  # reported to the user; the request is not acknowledged
            return DecisionFailed(req.job_id, req.candidate_id, req.action, f"{type(exc).__name__}: {exc}")
        return DecisionSaved(req.job_id, req.candidate_id, req.action, state)

    def _contact_with_notice(self, req: DecisionRequest) -> dict[str, Any]:
        """Record the notice as sent and the decision in one transaction (both or neither)."""
        from sourcing.notices import mark_sent

        with self.store.batch():
            mark_sent(self.store, self.config, req.candidate_id, channel=req.notice_channel, actor=self.actor)
            state = self.store.set_decision(req.job_id, req.candidate_id, req.action, note=req.note, reason=req.reason,
                                            actor=self.actor, score_shown=req.score_shown)
        return {**state, "notice": "sent"}

    def _write_next(self, post: Callable[[Message], Any]) -> bool:
        with self._write_lock:
            with self._lock:
                if not self._pending:
                    return False
                req = self._pending.popleft()
                self._in_flight += 1
            try:
                post(self.write(req))
            finally:
                with self._lock:
                    self._in_flight -= 1
        return True

    def drain(self, post: Callable[[Message], Any]) -> int:
        """Write every pending request in order, posting one message each; returns how many."""
        done = 0
        while self._write_next(post):
            done += 1
        return done

    def serve(self, post: Callable[[Message], Any]) -> int:
        """Write requests, including those submitted meanwhile, until the queue is empty; return how many.

        Runs in the writer thread started when `submit` returned True. Stopping is decided
        under the same lock as `submit`, so a request is never left without a writer.
        """
        done = 0
        try:
            while True:
                done += self.drain(post)
                with self._lock:
                    if not self._pending:
                        self._serving = False
                        return done
        except BaseException:
            with self._lock:  # a writer that dies lets the next submit start another
                self._serving = False
            raise
