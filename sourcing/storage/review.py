"""Provides the review app's read queries: per-job overview counts, remote flags, decision history.

Free functions taking the `Store` (see docs/STORE_API.md); each is one or two
aggregate queries so the Jobs and Shortlist screens stay fast on large pools, read
without taking SQLite's write lock so the app's decision writer never waits for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Text, and_, case, cast, func, or_, select
from sqlalchemy.engine import Connection

from sourcing.storage import schema as t
from sourcing.storage.base import row_dict
from sourcing.storage.engine import READ_ONLY


@contextmanager
def _reading(store: Any) -> Iterator[Connection]:
    """A connection for these read-only queries that does not take SQLite's write lock.

    The store's own connections begin IMMEDIATE (the write lock up front); a decision
    written while the review app reads 10,000 rows would otherwise wait for the read.
    On PostgreSQL reads never block writes; a read-only REPEATABLE READ transaction gives
    the queries of one read (a page and its total) the one snapshot SQLite's WAL gives.
    """
    with store.engine.connect() as conn:
        options: dict[str, Any] = {READ_ONLY: True}
        if conn.dialect.name == "postgresql":
            options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        yield conn.execution_options(**options)


def job_overview(store: Any, *, open_only: bool = True) -> list[dict[str, Any]]:
    """Return every (open) job with its review counts, newest first.

    Each dict has the job's columns plus: `source_key`, `pool` (ranked candidates),
    `shortlisted`, `decided` (any decision), `new_since_review` (ranked candidates
    created after the job was last reviewed; all of them when never reviewed) and
    `last_crawl` (finish time of the latest crawl of the job's source, or None).
    """
    r, c, d, j = t.ranking, t.candidate, t.decision, t.job
    ranked = (
        select(
            r.c.job_id,
            func.count().label("pool"),
            func.sum(case((or_(j.c.last_reviewed_at.is_(None), c.c.created_at > j.c.last_reviewed_at), 1), else_=0)).label("new_since_review"),
        )
        .select_from(r.join(c, c.c.id == r.c.candidate_id).join(j, j.c.id == r.c.job_id))
        .group_by(r.c.job_id)
        .subquery()
    )
    decided = (
        select(
            d.c.job_id,
            func.sum(case((d.c.status == "shortlisted", 1), else_=0)).label("shortlisted"),
            func.sum(case((d.c.status.is_not(None), 1), else_=0)).label("decided"),
        )
        .group_by(d.c.job_id)
        .subquery()
    )
    crawls = (
        select(t.crawl_run.c.source_key, func.max(t.crawl_run.c.finished_at).label("last_crawl"))
        .group_by(t.crawl_run.c.source_key)
        .subquery()
    )
    q = (
        select(
            j, t.source.c.key.label("source_key"),
            func.coalesce(ranked.c.pool, 0).label("pool"),
            func.coalesce(ranked.c.new_since_review, 0).label("new_since_review"),
            func.coalesce(decided.c.shortlisted, 0).label("shortlisted"),
            func.coalesce(decided.c.decided, 0).label("decided"),
            crawls.c.last_crawl,
        )
        .select_from(
            j.outerjoin(t.source, t.source.c.id == j.c.source_id)
            .outerjoin(ranked, ranked.c.job_id == j.c.id)
            .outerjoin(decided, decided.c.job_id == j.c.id)
            .outerjoin(crawls, crawls.c.source_key == t.source.c.key)
        )
        .order_by(j.c.id)
    )
    if open_only:
        q = q.where(j.c.status == "open")
    with _reading(store) as conn:
        rows = [row_dict(x) for x in conn.execute(q)]
    for row in rows:
        # The crawl finish time comes back raw from an aggregate (no column type applied).
        row["last_crawl"] = t.UTCDateTime().process_result_value(row["last_crawl"], None)
    return rows


def remote_flags(store: Any, job_id: int) -> dict[int, bool | None]:
    """Return candidate id -> whether any of their profiles says remote, for a job's ranked pool."""
    p, r = t.profile, t.ranking
    q = (
        select(p.c.candidate_id, func.max(case((p.c.remote.is_(True), 1), (p.c.remote.is_(False), 0), else_=None)))
        .select_from(p.join(r, and_(r.c.candidate_id == p.c.candidate_id, r.c.job_id == job_id)))
        .group_by(p.c.candidate_id)
    )
    with _reading(store) as conn:
        return {cid: (None if flag is None else bool(flag)) for cid, flag in conn.execute(q)}


def decision_history(store: Any, job_id: int, candidate_id: int) -> list[dict[str, Any]]:
    """Return the audit rows of decisions (and undos) on one candidate for one job, oldest first."""
    rows = store.audit_entries(target_type="candidate", target_id=candidate_id)
    return [
        e for e in rows
        if e["action"] in ("decision", "decision.undo") and (e.get("after") or {}).get("job_id") == job_id
    ]


def shortlist_page(store: Any, job_id: int, *, limit: int | None, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Return `(rows, total)`: the review list's view of one page of a job's ranking (best first) and the pool size.

    Built for listing thousands of rows fast: one query, and only what a list row
    shows is decoded. Each dict has the ranking's `candidate_id`, `rank`, `score`;
    the person's `name`, `email`, `headline`, `location`, `pseudonym`; the decision's
    `status`, `note`, `reason`; `remote` (True when any of their profiles says remote,
    False when some say not, else None); `matched_skills` and `missing_must` (read
    out of the explanation by the database); and `explanation_json` / `components_json`,
    the stored explanation and score components as JSON text, for the caller to
    decode when a person is opened.

    Args:
        limit: rows to return; None for every row from `offset` on.
        offset: rows to skip (in rank order).
    """
    r, c, d, p = t.ranking, t.candidate, t.decision, t.profile
    remote = (
        select(func.max(case((p.c.remote.is_(True), 1), (p.c.remote.is_(False), 0), else_=None)))
        .where(p.c.candidate_id == r.c.candidate_id)
        .scalar_subquery()
    )
    q = (
        select(
            r.c.candidate_id, r.c.rank, r.c.score,
            c.c.name, c.c.email, c.c.headline, c.c.location, c.c.pseudonym,
            d.c.status, d.c.note, d.c.reason, remote.label("remote"),
            r.c.explanation["matched_skills"].label("matched_skills"),
            r.c.explanation["missing_must"].label("missing_must"),
            # As text: decoding ~1 KB of explanation per row was most of the cost of listing 10,000.
            cast(r.c.explanation, Text).label("explanation_json"),
            cast(r.c.components, Text).label("components_json"),
        )
        .select_from(r.join(c, c.c.id == r.c.candidate_id).outerjoin(
            d, and_(d.c.job_id == r.c.job_id, d.c.candidate_id == r.c.candidate_id)))
        .where(r.c.job_id == job_id)
        .order_by(r.c.rank)
        .offset(offset)
    )
    if limit is not None:
        q = q.limit(limit)
    with _reading(store) as conn:
        rows = [row_dict(x) for x in conn.execute(q)]
        total = conn.execute(select(func.count()).select_from(r).where(r.c.job_id == job_id)).scalar_one()
    for row in rows:
        if row["remote"] is not None:
            row["remote"] = bool(row["remote"])
    return rows, total
