"""Provides the merge and erasure hooks for the responsible-recruiting tables.

`forget_candidate` and `merge_candidates` (sourcing/storage/candidates.py) call these
inside their transaction, so a person's notices, their places in ranking-run logs and
their fairness self-report follow a merge and go with an erasure.
"""

from __future__ import annotations

from typing import Any

from sourcing.storage import fairness, notices, runlog


def move_person(conn: Any, src: int, dst: int) -> None:
    """Candidate `src` is merged into `dst`: move their rows."""
    notices.move_person(conn, src, dst)
    runlog.move_person(conn, src, dst)
    fairness.move_person(conn, src, dst)


def erase_person(conn: Any, candidate_id: int) -> dict[str, int]:
    """Candidate is being erased: remove their rows (the fact of a ranking run stays). Returns counts."""
    counts: dict[str, int] = {}
    counts.update(notices.erase_person(conn, candidate_id))
    counts.update(runlog.erase_person(conn, candidate_id))
    counts.update(fairness.erase_person(conn, candidate_id))
    return counts
