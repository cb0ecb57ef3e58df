"""Provides the crawl pipeline's bulk writes: a batch of postings upserted in a few statements.

`Store.upsert_job` builds and compiles its statements for every posting, which
costs ~3 ms each: fine for a recruiter's typing, too slow for a crawl of
thousands. `upsert_jobs` has the same semantics (idempotent by source and
external id, payload hash for change detection, unchanged postings only get
`last_seen`/`fetched_at` bumped, `posting_group` links one posting seen on
several boards) but reads the batch's existing rows in one query and writes with
executemany. `dnc_hashes` preloads a source kind's do-not-collect list so the
pipeline can check each record without a query.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from functools import lru_cache
from datetime import timezone
from typing import Any

from sqlalchemy import JSON, Boolean, bindparam, insert, select, update

from sourcing.models import JobPosting, UpsertResult, payload_hash, utcnow
from sourcing.storage import schema as t
from sourcing.storage.candidates import dnc_hash, normalise_url
from sourcing.storage.jobs import _COMPANY_SUFFIX, _JOB_FIELDS, _norm

_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit


def dnc_hashes(store: Any, source_kind: str) -> set[str]:
    """Return the do-not-collect hashes of one source kind (hashes only, never values)."""
    with store.connection() as conn:
        return set(conn.execute(select(t.do_not_collect.c.value_hash).where(t.do_not_collect.c.source_kind == source_kind)).scalars())


def is_blocked(hashes: set[str], source_kind: str, *, external_id: str | None = None, url: str | None = None) -> bool:
    """Same test as `Store.is_do_not_collect`, against hashes preloaded with `dnc_hashes`."""
    if external_id and dnc_hash(source_kind, str(external_id)) in hashes:
        return True
    return bool(url) and dnc_hash(source_kind, normalise_url(url)) in hashes


_HASHED = tuple(f.name for f in fields(JobPosting) if f.name != "fetched_at")


def content_hash(job: JobPosting) -> str:
    """`JobPosting.content_hash()` without `dataclasses.asdict`'s deep copies (6x faster, same digest)."""
    return payload_hash({name: getattr(job, name) for name in _HASHED})


@lru_cache(maxsize=4096)
def _company_key(company: str | None) -> str:
    return _norm(_COMPANY_SUFFIX.sub(" ", company or ""))


@lru_cache(maxsize=4096)
def _place_key(location: str | None) -> str:
    return _norm(location)


def posting_group(company: str | None, title: str, location: str | None) -> str:
    """`sourcing.storage.jobs.posting_group`, with the company and place parts cached (they repeat in a crawl)."""
    key = "|".join((_company_key(company), _norm(title), _place_key(location)))
    return hashlib.sha1(key.encode()).hexdigest()


def _values(job: JobPosting) -> dict[str, Any]:
    values = {f: getattr(job, f) for f in _JOB_FIELDS}
    values["tags"] = list(job.tags or [])
    values["payload_hash"] = content_hash(job)
    values["fetched_at"] = job.fetched_at
    return values


def _sqlite_value(column: Any) -> Any:
    """A converter doing what SQLAlchemy's bind processing does for this column on SQLite."""
    if isinstance(column.type, t.UTCDateTime):
        @lru_cache(maxsize=64)  # first_seen, last_seen and updated_at share one `now` per batch
        def to_text(v: Any) -> Any:
            if v is None:
                return None
            if v.tzinfo is not None:
                v = v.astimezone(timezone.utc).replace(tzinfo=None)
            return v.isoformat(" ", "microseconds")  # SQLAlchemy's SQLite DATETIME storage format
        return to_text
    if isinstance(column.type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else json.dumps(v)
    return lambda v: v


def _insert_jobs(conn: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT the new postings with one executemany.

    On SQLite the statement is run through the driver with values converted as
    SQLAlchemy's bind processors would (tested equal to `Store.upsert_job`'s rows):
    per-row statement processing was most of the pipeline's cost in a crawl.
    """
    if conn.dialect.name != "sqlite":
        conn.execute(insert(t.job), rows)
        return
    names = list(rows[0])
    convert = [_sqlite_value(t.job.c[n]) for n in names]
    sql = f"INSERT INTO job ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn.exec_driver_sql(sql, [tuple(f(r[n]) for f, n in zip(convert, names)) for r in rows])


def upsert_jobs(store: Any, jobs: list[JobPosting]) -> list[UpsertResult]:
    """Upsert a batch of postings in one transaction (or the enclosing `store.batch()`).

    Returns:
        One UpsertResult per posting, in order: "new", "updated" or "unchanged". A
        posting repeated in the batch counts once as written, then as "unchanged"
        or "updated" against the earlier copy, as sequential upserts would.
    """
    if not jobs:
        return []
    now = utcnow()
    with store.transaction() as conn:
        source_ids = {(j.source_kind, j.source_key or j.source_kind): 0 for j in jobs}
        for kind, key in source_ids:
            source_ids[(kind, key)] = store._ensure_source(conn, kind, key)
        existing: dict[tuple[int, str], tuple[int, str]] = {}
        by_source: dict[int, list[str]] = {}
        for j in jobs:
            by_source.setdefault(source_ids[(j.source_kind, j.source_key or j.source_kind)], []).append(str(j.external_id))
        for sid, ids in by_source.items():
            unique = sorted(set(ids))
            for i in range(0, len(unique), _CHUNK):
                rows = conn.execute(select(t.job.c.id, t.job.c.external_id, t.job.c.payload_hash).where(
                    t.job.c.source_id == sid, t.job.c.external_id.in_(unique[i:i + _CHUNK])))
                existing.update({(sid, r.external_id): (r.id, r.payload_hash) for r in rows})

        inserts: dict[tuple[int, str], dict[str, Any]] = {}
        updates: dict[int, dict[str, Any]] = {}
        touched: dict[int, Any] = {}
        plan: list[tuple[tuple[int, str], str]] = []
        for j in jobs:
            sid = source_ids[(j.source_kind, j.source_key or j.source_kind)]
            k = (sid, str(j.external_id))
            values = _values(j)
            if k in inserts:  # seen earlier in this batch, not yet written
                status = "unchanged" if inserts[k]["payload_hash"] == values["payload_hash"] else "updated"
                inserts[k].update(values, posting_group=posting_group(j.company, j.title, j.location))
            elif k not in existing:
                inserts[k] = dict(values, posting_group=posting_group(j.company, j.title, j.location), source_id=sid,
                                  external_id=k[1], first_seen=now, last_seen=now, updated_at=now, own=False, status="open")
                status = "new"
            else:
                row_id, digest = existing[k]
                if digest == values["payload_hash"]:
                    touched[row_id] = values["fetched_at"]
                    status = "unchanged"
                else:
                    # the posting group is only computed for rows we write (unchanged ones are the bulk of a re-crawl)
                    updates[row_id] = dict(values, posting_group=posting_group(j.company, j.title, j.location))
                    existing[k] = (row_id, values["payload_hash"])
                    touched.pop(row_id, None)
                    status = "updated"
            plan.append((k, status))

        if inserts:
            _insert_jobs(conn, list(inserts.values()))
            for sid, ids in by_source.items():
                new_ids = sorted({e for (s, e) in inserts if s == sid})
                for i in range(0, len(new_ids), _CHUNK):
                    rows = conn.execute(select(t.job.c.id, t.job.c.external_id).where(
                        t.job.c.source_id == sid, t.job.c.external_id.in_(new_ids[i:i + _CHUNK])))
                    existing.update({(sid, r.external_id): (r.id, "") for r in rows})
        if updates:
            cols = [*_JOB_FIELDS, "posting_group", "payload_hash", "fetched_at"]
            stmt = update(t.job).where(t.job.c.id == bindparam("_id")).values(
                {c: bindparam(f"_{c}") for c in cols} | {"last_seen": bindparam("_now"), "updated_at": bindparam("_now")})
            conn.execute(stmt, [{"_id": rid, "_now": now, **{f"_{c}": v[c] for c in cols}} for rid, v in updates.items()])
        if touched:
            stmt = update(t.job).where(t.job.c.id == bindparam("_id")).values(last_seen=bindparam("_now"), fetched_at=bindparam("_fetched"))
            conn.execute(stmt, [{"_id": rid, "_now": now, "_fetched": f} for rid, f in touched.items()])
    return [UpsertResult(existing[k][0], status) for k, status in plan]
