"""Provides the review app's messages: past-tense facts posted by workers to the UI thread.

Workers never touch widgets; they post one of these and an `on_…` handler on the
UI thread updates the screen (harlequin's chain style: `DecisionRequested` is a
method call, `DecisionSaved` the fact that it reached the database).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message

from tui.rows import ShortlistRow


class JobsLoaded(Message):
    """The jobs overview was read from the store."""

    def __init__(self, jobs: list[dict[str, Any]], new_in_top: dict[int, int]) -> None:
        super().__init__()
        self.jobs = jobs
        self.new_in_top = new_in_top


class ShortlistLoaded(Message):
    """A job's ranked candidates were read from the store: the first page, then all of them.

    `complete` is False for the first page of a large pool (`total` says how many there are).
    """

    def __init__(self, job: dict[str, Any], rows: list[ShortlistRow], total: int, complete: bool) -> None:
        super().__init__()
        self.job = job
        self.rows = rows
        self.total = total
        self.complete = complete


class CandidateLoaded(Message):
    """A candidate's profiles and decision history were read from the store."""

    def __init__(self, job_id: int, candidate: dict[str, Any], history: list[dict[str, Any]]) -> None:
        super().__init__()
        self.job_id = job_id
        self.candidate = candidate
        self.history = history


class CrawlsLoaded(Message):
    """Crawl runs were read from the store."""

    def __init__(self, runs: list[dict[str, Any]]) -> None:
        super().__init__()
        self.runs = runs


class LoadFailed(Message):
    """Reading something from the store failed; `what` names it."""

    def __init__(self, what: str, error: str) -> None:
        super().__init__()
        self.what = what
        self.error = error


class DecisionSaved(Message):
    """A decision (or an undo) was committed to the store; `state` is the stored state.

    `state` is None when an undo found nothing to undo.
    """

    def __init__(self, job_id: int, candidate_id: int, action: str, state: dict[str, Any] | None) -> None:
        super().__init__()
        self.job_id = job_id
        self.candidate_id = candidate_id
        self.action = action
        self.state = state


class DecisionFailed(Message):
    """A decision could not be written; nothing was acknowledged."""

    def __init__(self, job_id: int, candidate_id: int, action: str, error: str) -> None:
        super().__init__()
        self.job_id = job_id
        self.candidate_id = candidate_id
        self.action = action
        self.error = error


class ExportWritten(Message):
    """The current view was exported to a file."""

    def __init__(self, path: Path, count: int) -> None:
        super().__init__()
        self.path = path
        self.count = count


class ExportFailed(Message):
    """An export could not be written."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SourceLinkFound(Message):
    """A candidate's first source URL was read (None when they have none)."""

    def __init__(self, candidate_id: int, url: str | None) -> None:
        super().__init__()
        self.candidate_id = candidate_id
        self.url = url


class RankingFinished(Message):
    """A job was re-ranked and its ranking saved; `count` candidates were scored."""

    def __init__(self, job_id: int, count: int, seconds: float) -> None:
        super().__init__()
        self.job_id = job_id
        self.count = count
        self.seconds = seconds
