"""Provides the fairness self-report queries (NYC LL144 method): voluntary categories kept apart
from profiles, and the ranked pools with their decisions.

The self-reports live in their own table, keyed by candidate id: nothing in the ranker or
the review app reads it, and erasure removes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from sourcing.storage import schema as t


def candidate_by_email(store: Any, email: str) -> int | None:
    """The candidate whose identity keys hold this e-mail (any case), or None."""
    with store.connection() as conn:
        return conn.execute(select(t.candidate_key.c.candidate_id).where(
            t.candidate_key.c.kind == "email", t.candidate_key.c.value == email.strip().lower())).scalar()


def candidate_exists(store: Any, candidate_id: int) -> bool:
    with store.connection() as conn:
        return conn.execute(select(t.candidate.c.id).where(t.candidate.c.id == candidate_id)).first() is not None


def save_reports(store: Any, reports: dict[int, tuple[str | None, str | None]], at: datetime) -> dict[str, int]:
    """Insert or replace self-reports {candidate_id: (sex, race_ethnicity)} in one transaction.

    Returns:
        {"new": n, "updated": n}.
    """
    out = {"new": 0, "updated": 0}
    with store.transaction() as conn:
        present = set(conn.execute(select(t.fairness_self_report.c.candidate_id)).scalars())
        for cid, (sex, race) in reports.items():
            values = {"sex": sex, "race_ethnicity": race, "imported_at": at}
            if cid in present:
                conn.execute(update(t.fairness_self_report).where(t.fairness_self_report.c.candidate_id == cid).values(**values))
                out["updated"] += 1
            else:
                conn.execute(insert(t.fairness_self_report).values(candidate_id=cid, **values))
                out["new"] += 1
    return out


def reports(store: Any) -> dict[int, tuple[str | None, str | None]]:
    """Every self-report: {candidate_id: (sex, race_ethnicity)}."""
    r = t.fairness_self_report
    with store.connection() as conn:
        return {row.candidate_id: (row.sex, row.race_ethnicity) for row in conn.execute(select(r))}


def observations(store: Any, job_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Each ranked (job, person) with the score and the decision status, ordered by job then rank."""
    r, d = t.ranking, t.decision
    q = (select(r.c.job_id, r.c.candidate_id, r.c.score, d.c.status)
         .select_from(r.outerjoin(d, (d.c.job_id == r.c.job_id) & (d.c.candidate_id == r.c.candidate_id)))
         .order_by(r.c.job_id, r.c.rank))
    if job_ids is not None:
        q = q.where(r.c.job_id.in_(job_ids))
    with store.connection() as conn:
        return [dict(row._mapping) for row in conn.execute(q)]


def erase_person(conn: Any, candidate_id: int) -> dict[str, int]:
    """Erasure support: remove the person's self-report. Returns counts."""
    n = conn.execute(delete(t.fairness_self_report).where(t.fairness_self_report.c.candidate_id == candidate_id)).rowcount
    return {"fairness_reports": n}


def move_person(conn: Any, src: int, dst: int) -> None:
    """Merge support: `src`'s self-report becomes `dst`'s unless `dst` has one."""
    has = conn.execute(select(t.fairness_self_report.c.candidate_id).where(t.fairness_self_report.c.candidate_id == dst)).first()
    if has is None:
        conn.execute(update(t.fairness_self_report).where(t.fairness_self_report.c.candidate_id == src).values(candidate_id=dst))
    else:
        conn.execute(delete(t.fairness_self_report).where(t.fairness_self_report.c.candidate_id == src))
