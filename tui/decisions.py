"""Provides the decision queue: recruiters' decisions written to the store in the order given.

Each key press enqueues a `DecisionRequest` and starts a worker that drains the
queue under a lock. Whichever worker runs drains everything pending in FIFO
order, so `s` then `u` are applied in that order even though each press starts
its own thread, and cancelling an older worker (exclusive workers) never drops a
request. A request is acknowledged (`DecisionSaved`) only after the store has
committed it.
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


class DecisionQueue:
    """FIFO of pending decisions, written by `drain` (called from worker threads)."""

    def __init__(self, store: Any, actor: str) -> None:
        self.store = store
        self.actor = actor
        self._pending: deque[DecisionRequest] = deque()
        self._lock = threading.Lock()

    def submit(self, request: DecisionRequest) -> None:
        """Queue a request (UI thread)."""
        self._pending.append(request)

    @property
    def pending(self) -> int:
        """Requests not yet written."""
        return len(self._pending)

    def write(self, req: DecisionRequest) -> Message:
        """Write one request and return the message acknowledging (or reporting) it."""
        try:
            if req.action == "undo":
                state = self.store.undo_decision(req.job_id, req.candidate_id, actor=self.actor)
            else:
                status = None if req.action == "note" else req.action
                state = self.store.set_decision(
                    req.job_id, req.candidate_id, status, note=req.note, reason=req.reason,
                    actor=self.actor, score_shown=req.score_shown,
                )
        except Exception as exc:  # reported to the user; the request is not acknowledged
            return DecisionFailed(req.job_id, req.candidate_id, req.action, f"{type(exc).__name__}: {exc}")
        return DecisionSaved(req.job_id, req.candidate_id, req.action, state)

    def drain(self, post: Callable[[Message], Any]) -> int:
        """Write every pending request in order, posting one message each; returns how many."""
        done = 0
        with self._lock:
            while self._pending:
                req = self._pending.popleft()
                post(self.write(req))
                done += 1
        return done
