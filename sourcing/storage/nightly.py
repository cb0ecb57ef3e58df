"""Provides the nightly run's SQL: the `nightly_run` table, pool fingerprints, crawls to resume.

Free functions over a `Store` (see docs/STORE_API.md). A run row is written at the
start (status "running") and finished with its status, exit code and report; a run
that died without finishing is closed as "crashed" by the next run, which holds the
lock and therefore knows nobody else is running.

The review app calls `last_report(store)` / `new_in_top_counts(store)` to show
"N new since last night" per job.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, insert, select, update

from sourcing.errors import NotFoundError
from sourcing.models import utcnow
from sourcing.storage import schema as t
from sourcing.storage.base import row_dict

FINISHED = ("ok", "partial", "failed")


def start_run(store: Any) -> int:
    """Insert a "running" row and return its id."""
    with store.transaction() as conn:
        return conn.execute(
            insert(t.nightly_run).values(started_at=utcnow(), status="running", report={})
        ).inserted_primary_key[0]


def finish_run(store: Any, run_id: int, *, status: str, exit_code: int, report: dict[str, Any]) -> None:
    """Record the end of a run: status ("ok", "partial" or "failed"), exit code and report (JSON-able)."""
    if status not in FINISHED:
        raise ValueError(f"nightly run status must be one of {FINISHED}, got {status!r}")
    with store.transaction() as conn:
        conn.execute(
            update(t.nightly_run).where(t.nightly_run.c.id == run_id).values(
                finished_at=utcnow(), status=status, exit_code=exit_code, report=report
            )
        )


def interrupt_run(store: Any, run_id: int, *, exit_code: int, report: dict[str, Any]) -> None:
    """Record a run stopped by a signal: status "interrupted" (not a finished run: the next night does not compare to it)."""
    with store.transaction() as conn:
        conn.execute(
            update(t.nightly_run).where(t.nightly_run.c.id == run_id).values(
                finished_at=utcnow(), status="interrupted", exit_code=exit_code, report=report
            )
        )


def close_abandoned_runs(store: Any) -> list[int]:
    """Mark runs still "running" as "crashed" (call only while holding the nightly lock).

    Returns:
        The ids of the runs closed.
    """
    with store.transaction() as conn:
        ids = [r.id for r in conn.execute(select(t.nightly_run.c.id).where(t.nightly_run.c.status == "running"))]
        if ids:
            conn.execute(
                update(t.nightly_run).where(t.nightly_run.c.id.in_(ids)).values(
                    status="crashed", finished_at=utcnow()
                )
            )
    return ids


def get_run(store: Any, run_id: int) -> dict[str, Any]:
    """One run row (id, started_at, finished_at, status, exit_code, report); raises NotFoundError."""
    with store.connection() as conn:
        row = conn.execute(select(t.nightly_run).where(t.nightly_run.c.id == run_id)).first()
    if row is None:
        raise NotFoundError(f"no nightly run with id {run_id}", "Nightly run not found")
    return row_dict(row)


def list_runs(store: Any, *, limit: int = 20) -> list[dict[str, Any]]:
    """Runs, newest first."""
    with store.connection() as conn:
        return [row_dict(r) for r in conn.execute(select(t.nightly_run).order_by(t.nightly_run.c.id.desc()).limit(limit))]


def last_finished_run(store: Any) -> dict[str, Any] | None:
    """The newest run that finished (ok, partial or failed), or None."""
    with store.connection() as conn:
        row = conn.execute(
            select(t.nightly_run).where(t.nightly_run.c.status.in_(FINISHED)).order_by(t.nightly_run.c.id.desc()).limit(1)
        ).first()
    return row_dict(row) if row else None


def last_report(store: Any) -> dict[str, Any] | None:
    """The report of the newest finished nightly run, or None when there was none.

    The report is a dict with, among others, `run_id`, `status`, `started_at`,
    `finished_at`, `sources` (per source: key, new, updated, errors, status),
    `jobs` (per job: job_id, title, `entered` = candidates who entered the top N
    since the previous run, each {candidate_id, pseudonym, rank, score}) and `failures`.
    """
    run = last_finished_run(store)
    return run["report"] if run else None


def new_in_top_counts(store: Any) -> dict[int, int]:
    """job id -> how many candidates entered its top N in the last nightly run (for the Jobs screen)."""
    report = last_report(store) or {}
    return {int(j["job_id"]): len(j.get("entered", [])) for j in report.get("jobs", [])}


def pool_state(store: Any) -> dict[str, Any]:
    """Counts and latest change times of candidates, profiles and jobs, in three cheap queries.

    Two equal states mean no candidate, profile or job was added, changed or removed
    in between (every write bumps `updated_at`; removals change the counts), so the
    nightly run can skip de-duplication, embedding and re-ranking work.
    """
    with store.connection() as conn:
        cand = conn.execute(select(func.count(), func.max(t.candidate.c.updated_at))).first()
        prof = conn.execute(select(func.count(), func.max(t.profile.c.updated_at))).first()
        jobs = conn.execute(select(func.count(), func.max(t.job.c.updated_at))).first()

    def iso(v: Any) -> str | None:
        return v.isoformat() if hasattr(v, "isoformat") else (str(v) if v is not None else None)

    return {
        "candidates": cand[0], "candidates_changed": iso(cand[1]),
        "profiles": prof[0], "profiles_changed": iso(prof[1]),
        "jobs": jobs[0], "jobs_changed": iso(jobs[1]),
    }


def interrupted_crawls(store: Any) -> dict[str, dict[str, Any]]:
    """source key -> its newest crawl run, when that run was cut short and has a jobdir.

    "running" means the process died without finishing; "interrupted" means Scrapy
    was stopped (signal, shutdown). The run's Scrapy JOBDIR lets the next crawl of
    that source resume instead of starting over.
    """
    newest = (
        select(t.crawl_run.c.source_key, func.max(t.crawl_run.c.id).label("id"))
        .where(t.crawl_run.c.source_key.is_not(None))
        .group_by(t.crawl_run.c.source_key)
        .subquery()
    )
    q = select(t.crawl_run).join(newest, and_(t.crawl_run.c.id == newest.c.id)).where(
        t.crawl_run.c.status.in_(("running", "interrupted")), t.crawl_run.c.jobdir.is_not(None)
    )
    with store.connection() as conn:
        return {r.source_key: row_dict(r) for r in conn.execute(q)}


def crawl_runs_since(store: Any, run_id: int) -> list[dict[str, Any]]:
    """Crawl runs with an id above `run_id`, oldest first (the ones a nightly step started)."""
    with store.connection() as conn:
        return [row_dict(r) for r in conn.execute(select(t.crawl_run).where(t.crawl_run.c.id > run_id).order_by(t.crawl_run.c.id))]


def max_crawl_run_id(store: Any) -> int:
    """The highest crawl run id so far (0 when none)."""
    with store.connection() as conn:
        return conn.execute(select(func.coalesce(func.max(t.crawl_run.c.id), 0))).scalar_one()


def identity_conflicts(store: Any) -> list[tuple[int, int, str]]:
    """Pairs of candidates that are one person by an identity key, as (keep, drop, key kind).

    The store merges on upsert, but two crawler processes writing at the same moment
    can each create a candidate for the same new person (the key insert of the second
    is ignored). Here every profile's identity keys (e-mail, profile URL, GitHub login)
    are checked against `candidate_key`; a key owned by another candidate is a duplicate.
    The older candidate is kept, as on upsert.
    """
    from sourcing.storage.candidates import identity_keys

    with store.connection() as conn:
        owners = {(r.kind, r.value): r.candidate_id for r in conn.execute(select(t.candidate_key))}
        profiles = conn.execute(
            select(t.profile.c.candidate_id, t.profile.c.email, t.profile.c.github_login, t.profile.c.url, t.profile.c.extra_urls)
        ).all()
    pairs: dict[tuple[int, int], str] = {}
    for p in profiles:
        for key in identity_keys(dict(p._mapping)):
            owner = owners.get(key)
            if owner is not None and owner != p.candidate_id:
                keep, drop = sorted((owner, p.candidate_id))
                pairs.setdefault((keep, drop), key[0])
    return [(keep, drop, kind) for (keep, drop), kind in sorted(pairs.items())]


def merge_candidates(store: Any, drop: int, keep: int) -> None:
    """Move candidate `drop` (profiles, keys, decisions, audit rows) onto `keep` and delete it.

    Uses the store's own merge (the one upsert uses), so both paths merge identically.
    """
    store.merge_candidates(drop, keep)


def ranking_top(store: Any, job_id: int, n: int) -> list[dict[str, Any]]:
    """The job's stored top `n`: [{candidate_id, rank, score}] (no explanations: cheap on big pools)."""
    q = (
        select(t.ranking.c.candidate_id, t.ranking.c.rank, t.ranking.c.score)
        .where(t.ranking.c.job_id == job_id)
        .order_by(t.ranking.c.rank)
        .limit(n)
    )
    with store.connection() as conn:
        return [{"candidate_id": r.candidate_id, "rank": r.rank, "score": round(float(r.score), 4)} for r in conn.execute(q)]


def pseudonyms(store: Any, candidate_ids: list[int]) -> dict[int, str]:
    """candidate id -> stable pseudonym (reports name people by pseudonym, never by name)."""
    if not candidate_ids:
        return {}
    with store.connection() as conn:
        q = select(t.candidate.c.id, t.candidate.c.pseudonym).where(t.candidate.c.id.in_(candidate_ids))
        return {r.id: r.pseudonym for r in conn.execute(q)}
