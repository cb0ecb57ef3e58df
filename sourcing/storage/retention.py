"""Provides the retention queries: which candidates are past their keep-until date.

Two rules (CNIL recruitment guidance; the days come from `[privacy]` in the config):

- **rejected**: every decision about the person is "rejected" (no job has them
  shortlisted, maybe or contacted) and the newest decision is older than the cutoff;
- **pool**: the person's last activity — the newest of `candidate.last_activity_at`
  (bumped when a source shows a changed profile) and their newest decision — is older
  than the cutoff.

One grouped query each, so the nightly run can afford them on a large pool.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from sourcing.storage import schema as t


def _decision_summary():
    d = t.decision
    return (
        select(
            d.c.candidate_id,
            func.max(d.c.updated_at).label("last_decision_at"),
            func.sum(case((d.c.status == "rejected", 1), else_=0)).label("rejected"),
            func.sum(case((d.c.status.is_not(None) & (d.c.status != "rejected"), 1), else_=0)).label("active"),
        )
        .group_by(d.c.candidate_id)
        .subquery()
    )


def rejected_before(store: Any, cutoff: datetime) -> list[dict[str, Any]]:
    """Candidates whose decisions are all rejections, the newest made before `cutoff`.

    Returns:
        [{candidate_id, last_decision_at}] ordered by id.
    """
    s = _decision_summary()
    q = (
        select(s.c.candidate_id, s.c.last_decision_at)
        .where(s.c.rejected > 0, s.c.active == 0, s.c.last_decision_at < t.decision.c.updated_at.type.process_bind_param(cutoff, None))
        .order_by(s.c.candidate_id)
    )
    with store.connection() as conn:
        return [{"candidate_id": r.candidate_id, "last_decision_at": _aware(r.last_decision_at)} for r in conn.execute(q)]


def inactive_before(store: Any, cutoff: datetime) -> list[dict[str, Any]]:
    """Candidates whose last activity (profile change or decision) is before `cutoff`.

    Returns:
        [{candidate_id, last_activity_at}] ordered by id.
    """
    s = _decision_summary()
    c = t.candidate
    naive_cutoff = c.c.last_activity_at.type.process_bind_param(cutoff, None)
    q = (
        select(c.c.id, c.c.last_activity_at, s.c.last_decision_at)
        .select_from(c.outerjoin(s, s.c.candidate_id == c.c.id))
        .where(c.c.last_activity_at < naive_cutoff)
        .where((s.c.last_decision_at.is_(None)) | (s.c.last_decision_at < naive_cutoff))
        .order_by(c.c.id)
    )
    out = []
    with store.connection() as conn:
        for r in conn.execute(q):
            last = max(v for v in (_aware(r.last_activity_at), _aware(r.last_decision_at)) if v is not None)
            out.append({"candidate_id": r.id, "last_activity_at": last})
    return out


def _aware(value: Any) -> datetime | None:
    """Subquery columns lose the UTC type decorator on SQLite; parse them back to aware UTC."""
    if value is None:
        return None
    return t.candidate.c.last_activity_at.type.process_result_value(value, None)
