"""Provides `wait_until`, the one polling wait the tests share (no fixed sleeps anywhere)."""

from __future__ import annotations

import threading
import time
from typing import Any


def wait_until(cond: Any, timeout: float = 120.0, what: str = "condition") -> None:
    """Wait for `cond()` to hold (checked every 50 ms), failing after `timeout` seconds.

    The timeout only bounds a test that is already failing; a passing test never waits for it.
    """
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        tick.wait(0.05)
