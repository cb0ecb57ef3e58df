"""Provides batch import: expand paths, parse each file, upsert through the store, report per file.

A bad file never stops the batch: any error while reading it (ours or a
third-party reader's) is recorded with the path and a one-line reason, and the
next file goes on. A file's records are written `COMMIT_EVERY` at a time, each
group in its own short transaction, so a 60,000-row CSV never holds the write lock
for long and the review app and read commands go on meanwhile. If a group cannot
be stored, the groups before it stay imported and the failure says from where on
nothing was kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from sourcing.errors import ImportFailed, SourcingError
from sourcing.importers.limits import short
from sourcing.importers.registry import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, parse_file

if TYPE_CHECKING:
    from sourcing.storage import Store

STATUSES = ("new", "updated", "unchanged", "skipped", "failed")
COMMIT_EVERY = 200  # records per transaction: a fraction of a second of write lock each


@dataclass
class ImportOutcome:
    """What happened to one record (or to a whole file, when it failed).

    `status` is one of `STATUSES`; "skipped" means the person is on the
    do-not-collect list (they asked to be forgotten). `where` is the file, or
    `file:line` for a CSV row.
    """

    where: str
    status: str
    candidate_id: int | None = None
    reason: str | None = None


@dataclass
class ImportReport:
    """Counts and per-record outcomes of one `import_paths` call."""

    outcomes: list[ImportOutcome] = field(default_factory=list)
    files: int = 0

    def count(self, status: str) -> int:
        """Number of outcomes with this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def failures(self) -> list[ImportOutcome]:
        """The failed outcomes, each with `where` and `reason`."""
        return [o for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        """One line: `3 files: 2 new, 1 updated, 0 unchanged, 0 skipped, 1 failed`."""
        counts = ", ".join(f"{self.count(s)} {s}" for s in STATUSES)
        return f"{self.files} file{'s' if self.files != 1 else ''}: {counts}"


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand directories (recursively, supported suffixes only, hidden entries skipped).

    Files named explicitly are kept whatever their suffix, so an unsupported one
    is reported rather than silently ignored. Duplicates are dropped, order kept.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [
                f for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ]
            out.extend(found)
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def import_paths(
    store: "Store",
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_result: Callable[[ImportOutcome], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportReport:
    """Import résumé files (and directories of them) into the store.

    Args:
        store: an open `Store`; dedup by e-mail / profile URL / source id is the store's.
        paths: files and directories (expanded with `expand_paths`).
        on_result: called with each `ImportOutcome` as soon as it is final (progress, CLI output).
        max_bytes: files bigger than this are refused (config `import.max_file_mb`).

    Returns:
        An `ImportReport` with new/updated/unchanged/skipped/failed counts and outcomes.
    """
    report = ImportReport()
    for path in expand_paths(paths):
        report.files += 1
        for outcome in _import_file(store, path, max_bytes):
            report.outcomes.append(outcome)
            if on_result is not None:
                on_result(outcome)
    return report


def _import_file(store: "Store", path: Path, max_bytes: int) -> list[ImportOutcome]:
    try:
        parsed = parse_file(path, max_bytes=max_bytes)
    except ImportFailed as exc:
        return [ImportOutcome(exc.path, "failed", reason=exc.reason)]
    except Exception as exc:  # noqa: BLE001 - parse_file maps readers' errors; this is the last guard of the batch
        return [ImportOutcome(str(path), "failed", reason=f"could not be read ({type(exc).__name__}: {short(exc)})")]
    failures = [ImportOutcome(f.path, "failed", reason=f.reason) for f in parsed.failures]
    done: list[ImportOutcome] = []
    pairs = list(zip(parsed.wheres, parsed.records, strict=True))
    for start in range(0, len(pairs), COMMIT_EVERY):
        chunk: list[ImportOutcome] = []
        try:
            with store.batch():
                for where, record in pairs[start:start + COMMIT_EVERY]:
                    result = store.upsert_profile(record)
                    status = "skipped" if result.status == "blocked" else result.status
                    reason = "on the do-not-collect list (this person asked to be forgotten)" if status == "skipped" else None
                    chunk.append(ImportOutcome(where, status, result.candidate_id, reason))
        except (SourcingError, SQLAlchemyError) as exc:
            # This group's transaction was rolled back; earlier groups are committed.
            kept = f"the {start} record{'s' if start != 1 else ''} before {pairs[start][0]} were kept" if start else "nothing from this file was kept"
            return done + failures + [ImportOutcome(str(path), "failed", reason=f"could not be stored ({type(exc).__name__}: {short(exc)}); {kept}")]
        done += chunk
    return done + failures
