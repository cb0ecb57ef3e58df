"""Provides the decision queue: recruiters' decisions written to the store in the order given.

A key press enqueues a `DecisionRequest` (UI thread, no I/O) and wakes the app's one
long-lived writer thread (`serve`), so a decision starts its write at once instead of
waiting for a new worker to be scheduled. Requests are written one at a time in FIFO
order under a lock, so `s` then `u` are applied in that order even if several threads
drain the queue. A request is acknowledged (`DecisionSaved`) only after the store has
committed it; a write that fails is reported (`DecisionFailed`), never acknowledged.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from tui.messages import DecisionFailed, DecisionSaved

IDLE_POLL_S = 0.5  # how often an idle writer checks whether its worker was cancelled


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
    """FIFO of pending decisions, written by `serve` (the writer thread) or `drain`."""

    def __init__(self, store: Any, actor: str) -> None:
        self.store = store
        self.actor = actor
        self._pending: deque[DecisionRequest] = deque()
        self._in_flight = 0
        self._closed = False
        self._wakeup = threading.Condition()  # guards _pending, _in_flight, _closed
        self._write_lock = threading.Lock()  # one write at a time, in submission order

    def submit(self, request: DecisionRequest) -> None:
        """Queue a request and wake the writer (UI thread; never blocks on the store)."""
        with self._wakeup:
            self._pending.append(request)
            self._wakeup.notify()

    @property
    def pending(self) -> int:
        """Requests not yet written (queued or being written)."""
        with self._wakeup:
            return len(self._pending) + self._in_flight

    def close(self) -> None:
        """Let `serve` return once everything queued is written (the app is closing)."""
        with self._wakeup:
            self._closed = True
            self._wakeup.notify_all()

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

    def _write_next(self, post: Callable[[Message], Any]) -> bool:
        with self._write_lock:
            with self._wakeup:
                if not self._pending:
                    return False
                req = self._pending.popleft()
                self._in_flight += 1
            try:
                post(self.write(req))
            finally:
                with self._wakeup:
                    self._in_flight -= 1
        return True

    def drain(self, post: Callable[[Message], Any]) -> int:
        """Write every pending request in order, posting one message each; returns how many."""
        done = 0
        while self._write_next(post):
            done += 1
        return done

    def serve(self, post: Callable[[Message], Any], *, stopped: Callable[[], bool] = lambda: False) -> int:
        """Write requests as they arrive until `close()` (or `stopped()`), then return how many.

        Runs in the writer thread. Whatever is queued when it is told to stop is still
        written first: a decision the user made is never dropped on the way out.
        """
        done = 0
        while True:
            done += self.drain(post)
            with self._wakeup:
                while not self._pending and not self._closed and not stopped():
                    self._wakeup.wait(IDLE_POLL_S)
                if not self._pending:
                    return done
