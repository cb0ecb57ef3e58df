"""Provides the ranking-run log (AI Act Art. 12/26): one row per run, with the top list it showed.

A run outlives its job and the people in it: erasure blanks the person's place in
the list (`candidate_id` NULL) and keeps the fact of the run; only the retention
purge removes runs, and never younger than `privacy.run_log_days` (≥ 183).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from sourcing.storage import schema as t
from sourcing.storage.base import row_dict


def log_run(store: Any, *, at: datetime, actor: str, job_id: int, model: str, model_version: str | None,
            fusion_version: str | None, params: dict[str, Any], pool_size: int, retrieved_k: int, blind: bool,
            ordering: str, shown: list[tuple[int, float | None]]) -> int:
    """Append one run and its shown list (candidate id, score) in order; return the run id."""
    with store.transaction() as conn:
        run_id = conn.execute(insert(t.ranking_run).values(
            at=at, actor=actor, job_id=job_id, model=model, model_version=model_version, fusion_version=fusion_version,
            params=params, pool_size=pool_size, retrieved_k=retrieved_k, blind=blind, ordering=ordering, top_n=len(shown),
        )).inserted_primary_key[0]
        if shown:
            conn.execute(insert(t.ranking_run_entry), [
                {"run_id": run_id, "position": i, "candidate_id": cid, "score": score}
                for i, (cid, score) in enumerate(shown, start=1)])
    return run_id


def top_membership(conn: Any, job_id: int, candidate_id: int) -> dict[str, Any]:
    """Whether the person was in the top list of the job's latest run (for the decision's audit row).

    Returns:
        {"in_top": bool | None, "top_n": int | None, "run_id": int | None}; None values
        when the job was never ranked through the logged path.
    """
    run = conn.execute(select(t.ranking_run.c.id, t.ranking_run.c.top_n).where(t.ranking_run.c.job_id == job_id)
                       .order_by(t.ranking_run.c.id.desc()).limit(1)).first()
    if run is None:
        return {"in_top": None, "top_n": None, "run_id": None}
    hit = conn.execute(select(t.ranking_run_entry.c.position).where(
        t.ranking_run_entry.c.run_id == run.id, t.ranking_run_entry.c.candidate_id == candidate_id)).first()
    return {"in_top": hit is not None, "top_n": run.top_n, "run_id": run.id}


def runs_since(store: Any, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Runs (oldest first) with `shown`: [{position, candidate_id, score}] (erased people: candidate_id None)."""
    q = select(t.ranking_run).order_by(t.ranking_run.c.id)
    if since is not None:
        q = q.where(t.ranking_run.c.at >= since)
    with store.connection() as conn:
        runs = [row_dict(r) for r in conn.execute(q)]
        for run in runs:
            run["shown"] = [row_dict(e) for e in conn.execute(
                select(t.ranking_run_entry.c.position, t.ranking_run_entry.c.candidate_id, t.ranking_run_entry.c.score)
                .where(t.ranking_run_entry.c.run_id == run["id"]).order_by(t.ranking_run_entry.c.position))]
    yield from runs


def delete_runs_before(store: Any, cutoff: datetime) -> int:
    """Remove runs older than `cutoff` (their entries go with them); return how many."""
    with store.transaction() as conn:
        return conn.execute(delete(t.ranking_run).where(t.ranking_run.c.at < cutoff)).rowcount


def erase_person(conn: Any, candidate_id: int) -> dict[str, int]:
    """Erasure support: blank the person's places in run logs (the runs stay). Returns counts."""
    n = conn.execute(update(t.ranking_run_entry).where(t.ranking_run_entry.c.candidate_id == candidate_id)
                     .values(candidate_id=None, score=None)).rowcount
    return {"ranking_run_entries": n}


def move_person(conn: Any, src: int, dst: int) -> None:
    """Merge support: `src`'s places in run logs are `dst`'s."""
    conn.execute(update(t.ranking_run_entry).where(t.ranking_run_entry.c.candidate_id == src).values(candidate_id=dst))


def count_runs_before(store: Any, cutoff: datetime) -> int:
    """How many runs are older than `cutoff`."""
    from sqlalchemy import func

    with store.connection() as conn:
        return conn.execute(select(func.count()).select_from(t.ranking_run).where(t.ranking_run.c.at < cutoff)).scalar_one()


def audit_since(store: Any, since: datetime | None = None) -> list[dict[str, Any]]:
    """Audit-log rows at or after `since`, oldest first."""
    q = select(t.audit_log).order_by(t.audit_log.c.id)
    if since is not None:
        q = q.where(t.audit_log.c.at >= since)
    with store.connection() as conn:
        return [row_dict(r) for r in conn.execute(q)]
