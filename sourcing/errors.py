"""Provides the `SourcingError` hierarchy and the exit codes the CLI maps it to.

Every expected failure raises one of these with a message saying what failed
and what to do next; `sourcing.cli` turns them into a one-line error and an
exit status (no traceback unless `--debug`).
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes, in one place (httpie `status.py`)."""

    OK = 0
    ERROR = 1  # unexpected failure
    USAGE = 2  # bad config or arguments
    PARTIAL = 3  # some items/sources failed, the rest succeeded
    NOT_FOUND = 4
    REFUSED = 5  # a source we will not crawl
    STORE = 6
    LOCKED = 7  # another run holds the lock


class SourcingError(Exception):
    """Base of every expected error; `title` is a short heading for UIs."""

    exit_status = ExitStatus.ERROR

    def __init__(self, msg: str, title: str | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.title = title or type(self).__name__


class ConfigError(SourcingError):
    """The config file or an override is invalid."""

    exit_status = ExitStatus.USAGE


class UsageError(SourcingError):
    """A command was called with arguments that cannot work."""

    exit_status = ExitStatus.USAGE


class StoreError(SourcingError):
    """The database cannot be opened, migrated or written."""

    exit_status = ExitStatus.STORE


class NotFoundError(SourcingError):
    """A job, candidate or source id does not exist."""

    exit_status = ExitStatus.NOT_FOUND


class SourceRefusedError(SourcingError):
    """A source forbids automated access (or robots.txt disallows us)."""

    exit_status = ExitStatus.REFUSED


class CrawlError(SourcingError):
    """A crawl failed."""


class ImportFailed(SourcingError):
    """A file could not be imported; `path` says which."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}", "Import failed")
        self.path = path
        self.reason = reason


class PartialFailure(SourcingError):
    """Some of a batch failed; the rest went through."""

    exit_status = ExitStatus.PARTIAL


class LockedError(SourcingError):
    """Another process holds the lock."""

    exit_status = ExitStatus.LOCKED
