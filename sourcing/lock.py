"""Provides an exclusive, non-blocking lock so two nightly runs never overlap.

With a SQLite store the lock is an `fcntl.flock` on a small file (default `<user state
dir>/nightly.lock`). The kernel releases it when the holder exits, even after `kill -9`,
so a crashed run never leaves a stale lock behind: the file's content (pid, start time)
is only a hint shown to the person who hits the lock. With a PostgreSQL store — shared
by several machines — it is a PostgreSQL advisory lock instead (`nightly_lock`,
`sourcing.storage.locks.AdvisoryLock`), which the server releases when the holder's
session ends.
"""

from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from sourcing.errors import LockedError


def nightly_lock(db_url: str, lock_path: str | os.PathLike[str] | None = None) -> "FileLock | Any":
    """The nightly run's lock for the store `db_url`: an advisory lock on PostgreSQL, else a file lock.

    Args:
        db_url: the store (path or SQLAlchemy URL).
        lock_path: the file lock's path (SQLite only); default `default_lock_path()`.
    """
    if db_url.startswith("postgresql"):
        from sourcing.storage.locks import AdvisoryLock

        return AdvisoryLock(db_url, what="nightly run")
    return FileLock(lock_path or default_lock_path())


def default_lock_path() -> Path:
    """Return `<user state dir>/nightly.lock` (platformdirs)."""
    from sourcing.config import state_dir

    return state_dir() / "nightly.lock"


class FileLock:
    """An exclusive `flock` held from `acquire()` until `release()` (or the process ends).

    Use it as a context manager::

        with FileLock(path, what="nightly run"):
            ...

    Raises `LockedError` (exit status LOCKED) when another process holds it.
    """

    def __init__(self, path: str | os.PathLike[str], *, what: str = "nightly run") -> None:
        self.path = Path(path)
        self.what = what
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def holder(self) -> str:
        """Return the hint written by the current holder ("pid 123 since …"), or ""."""
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def acquire(self) -> "FileLock":
        """Take the lock without waiting.

        Raises:
            LockedError: another process holds it; the message names the holder and the file.
        """
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            hint = self.holder()
            raise LockedError(
                f"another {self.what} is in progress ({hint or 'holder unknown'}; lock file {self.path}). "
                "Wait for it to finish; the lock is released automatically when it exits.",
                "Locked",
            ) from None
        except OSError:
            os.close(fd)
            raise
        # Only the holder writes the hint, after it owns the lock.
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {started}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Release the lock (a no-op when not held)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> "FileLock":
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
