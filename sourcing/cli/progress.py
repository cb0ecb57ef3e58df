"""Provides the CLI's progress bars (rich.progress on stderr), off when stderr is not a terminal or with --quiet.

One `Bars` object per command run; it does nothing at all when disabled, so cron
mail, `2> log` files and pipes never get carriage returns or escape codes. Bars are
keyed by a name (a source key, "files", "embed", a nightly step).
"""

from __future__ import annotations

import sys
from typing import Any

_RATE_COLUMN: Any = None


def rate_column(unit: str) -> Any:
    """`12.3 items/s` (or texts/s, files/s): the task's speed over rich's moving window.

    The class is made on first use, so importing this module does not import rich (a `rank`
    with no bar to draw never pays for it).
    """
    global _RATE_COLUMN
    if _RATE_COLUMN is None:
        from rich.progress import ProgressColumn, Task
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def __init__(self, unit: str) -> None:
                super().__init__()
                self.unit = unit

            def render(self, task: Task) -> Text:
                speed = task.finished_speed or task.speed
                if not speed and task.elapsed and task.completed:
                    speed = task.completed / task.elapsed  # one burst: rich's window has a single sample
                return Text(f"{speed:,.1f} {self.unit}/s" if speed else f"– {self.unit}/s", style="progress.data.speed")

        _RATE_COLUMN = RateColumn
    return _RATE_COLUMN(unit)


def progress_wanted(quiet: bool = False, stream: Any = None) -> bool:
    """Whether to draw bars: not --quiet, and the stream (stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


class Bars:
    """A set of rich progress bars on stderr, or nothing when `enabled` is false.

    Args:
        enabled: draw anything at all (see `progress_wanted`).
        unit: what is counted ("items", "files", "texts"), shown with the rate.
        eta: add a time-remaining column (for bars with a known total).
        fields: extra per-bar counters shown after the count, e.g. ("new", "errors").
        rate: show `N unit/s` (not for a handful of steps).
    """

    def __init__(self, enabled: bool, *, unit: str = "items", eta: bool = False, fields: tuple[str, ...] = (),
                 rate: bool = True) -> None:
        self.enabled = enabled
        self._tasks: dict[str, Any] = {}
        self._progress = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns: list[Any] = [TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn()]
        columns += [rate_column(unit)] if rate else []
        columns += [TextColumn(f"{{task.fields[{f}]}} {f}") for f in fields]
        columns.append(TimeRemainingColumn() if eta else TimeElapsedColumn())
        self._fields = fields
        self._progress = Progress(*columns, console=Console(stderr=True), transient=False)

    def __enter__(self) -> "Bars":
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.refresh()  # the last state (finished descriptions), not the last tick's
            self._progress.stop()

    def add(self, key: str, description: str, total: float | None = None) -> None:
        """Start a bar (indeterminate, pulsing, while `total` is None)."""
        if self._progress is not None and key not in self._tasks:
            self._tasks[key] = self._progress.add_task(description, total=total, **{f: 0 for f in self._fields})

    def update(self, key: str, *, completed: float | None = None, advance: float | None = None,
               total: float | None = None, description: str | None = None, **fields: Any) -> None:
        """Move a bar; unknown keys are started first (with `description` or the key)."""
        if self._progress is None:
            return
        if key not in self._tasks:
            self.add(key, description or key, total)
        kwargs: dict[str, Any] = {k: v for k, v in (("completed", completed), ("advance", advance), ("total", total),
                                                     ("description", description)) if v is not None}
        self._progress.update(self._tasks[key], **kwargs, **fields)

    def finish(self, key: str, description: str | None = None) -> None:
        """Mark a bar complete (an indeterminate one gets total = its count)."""
        if self._progress is None or key not in self._tasks:
            return
        task = self._progress.tasks[self._tasks[key]]
        self._progress.update(self._tasks[key], total=task.completed if task.total is None else task.total,
                              completed=task.completed if task.total is None else task.total,
                              **({"description": description} if description else {}))

    def log(self, message: str) -> None:
        """A line above the bars (bars drawn), or nothing (the caller prints its own line)."""
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False)


__all__ = ["Bars", "progress_wanted", "rate_column"]
