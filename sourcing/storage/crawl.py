"""Provides the crawl pipeline's bulk writes: a batch of postings upserted in a few statements.

`Store.upsert_job` builds and compiles its statements for every posting, which
costs ~3 ms each: fine for a recruiter's typing, too slow for a crawl of
thousands. `upsert_jobs` has the same semantics (idempotent by source and
external id, payload hash for change detection, unchanged postings only get
`last_seen`/`fetched_at` bumped, `posting_group` links one posting seen on
several boards) but reads the batch's existing rows in one query and writes with
executemany. On SQLite the hot statements run on the sqlite3 connection; on
PostgreSQL a batch's new postings are `COPY`ed into a session's temporary table and
moved with one `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` (SQLAlchemy's
multi-row VALUES spent most of the writer's time having psycopg parse a 3,000-parameter
query text per batch), and lookups take the batch's ids as one array parameter, so
the statements' texts stay the same from batch to batch. `dnc_hashes` preloads a source kind's do-not-collect list so the
pipeline can check each record without a query.
"""

from __future__ import annotations

import hashlib
import json
from json.encoder import encode_basestring as _json_str  # what dumps(ensure_ascii=False) uses for str
from contextlib import contextmanager
from dataclasses import fields
from functools import lru_cache
from operator import attrgetter
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import JSON, Boolean, bindparam, select, update
from sqlalchemy.exc import DBAPIError

from sourcing.models import JobPosting, UpsertResult, utcnow
from sourcing.storage import schema as t
from sourcing.storage.candidates import normalise_url
from sourcing.storage.dnc import HashSet, load_key, lookup_hashes
from sourcing.storage.jobs import _JOB_FIELDS, posting_group
from sourcing.textsafe import clean_record

_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit


def _dumps(v: Any) -> str:
    return json.dumps(v, sort_keys=True, ensure_ascii=False, default=str)


def dnc_hashes(store: Any, source_kind: str) -> set[str]:
    """Return the do-not-collect hashes of one source kind (hashes only, never values), with the secret to test them."""
    with store.connection() as conn:
        out = HashSet(conn.execute(select(t.do_not_collect.c.value_hash).where(t.do_not_collect.c.source_kind == source_kind)).scalars())
    out.key = load_key(store, create=False) if out else None
    return out


def is_blocked(hashes: set[str], source_kind: str, *, external_id: str | None = None, url: str | None = None) -> bool:
    """Same test as `Store.is_do_not_collect`, against hashes preloaded with `dnc_hashes`."""
    if not hashes:  # the usual case: nothing to match, so no URL parsing and no hashing per record
        return False
    key = getattr(hashes, "key", None)
    if external_id and any(h in hashes for h in lookup_hashes(key, source_kind, str(external_id))):
        return True
    return bool(url) and any(h in hashes for h in lookup_hashes(key, source_kind, normalise_url(url)))


_HASHED = tuple(f.name for f in fields(JobPosting) if f.name != "fetched_at")
# `payload_hash` dumps a dict with sort_keys and default separators: '{"k": v, "k2": v2}'.
_HASH_PREFIXES = tuple(("{" if i == 0 else ", ") + _json_str(name) + ": " for i, name in enumerate(sorted(_HASHED)))
_hashed_values = attrgetter(*sorted(_HASHED))


def _json_value(v: Any) -> str:
    """One value as `json.dumps(..., sort_keys=True, ensure_ascii=False, default=str)` writes it."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    cls = type(v)
    if cls is str:
        return _json_str(v)
    if cls is datetime:  # default=str, then escaped as a string
        return _json_str(str(v))
    if cls is list and all(type(x) is str for x in v):  # tags
        return "[" + ", ".join(map(_json_str, v)) + "]"
    return _dumps(v)  # numbers, lists, datetimes (default=str), anything else: json itself


def content_hash(job: JobPosting) -> str:
    """`JobPosting.content_hash()`, same digest, without building a dict or a JSON encoder per posting.

    The JSON text is assembled field by field with json's own string escaper (the
    bulk of the work is escaping the description); tested equal to the model's hash.
    """
    parts = []
    for prefix, value in zip(_HASH_PREFIXES, _hashed_values(job)):
        parts.append(prefix)
        parts.append(_json_value(value))
    parts.append("}")
    text = "".join(parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _values(job: JobPosting, digest: str) -> dict[str, Any]:
    values = {f: getattr(job, f) for f in _JOB_FIELDS}
    values["tags"] = list(job.tags or [])
    values["payload_hash"] = digest
    values["fetched_at"] = job.fetched_at
    return values


# The text `UTCDateTime` is stored as on SQLite; cached: first_seen, last_seen and updated_at share one `now` per batch.
_sqlite_time = lru_cache(maxsize=64)(t.sqlite_time)


# The INSERT's columns, in the order `_sqlite_row` fills them.
_INSERT_COLS = ("source_id", "external_id", "posting_group", *_JOB_FIELDS, "payload_hash", "fetched_at",
                "first_seen", "last_seen", "updated_at", "own", "status")
_INSERT_SQL = f"INSERT INTO job ({', '.join(_INSERT_COLS)}) VALUES ({', '.join('?' * len(_INSERT_COLS))})"
_FIELD_TYPES = {f: t.job.c[f].type for f in _JOB_FIELDS}


def _sqlite_row(sid: int, ext: str, job: JobPosting, digest: str, now_text: str) -> tuple[Any, ...]:
    """One INSERT row with values converted as SQLAlchemy's bind processors would on SQLite.

    Tested equal to `Store.upsert_job`'s rows; built straight from the posting (no dict per row).
    """
    values = [sid, ext, posting_group(job.company, job.title, job.location), *_job_fields(job),
              digest, _sqlite_time(job.fetched_at), now_text, now_text, now_text, 0, "open"]
    for i, convert in _CONVERTED:
        if values[i] is not None:
            values[i] = convert(values[i])
    values[_TAGS] = json.dumps(list(values[_TAGS] or []))  # the JSON column (never NULL: default list)
    return tuple(values)


_job_fields = attrgetter(*_JOB_FIELDS)
# (index in the INSERT row, converter) for the job fields SQLAlchemy would convert on SQLite
_CONVERTED = [(3 + i, _sqlite_time if isinstance(ty, t.UTCDateTime) else (lambda v: int(bool(v))))
              for i, (f, ty) in enumerate(_FIELD_TYPES.items()) if isinstance(ty, (t.UTCDateTime, Boolean))]
_TAGS = 3 + _JOB_FIELDS.index("tags")
if any(isinstance(ty, JSON) for f, ty in _FIELD_TYPES.items() if f != "tags"):  # pragma: no cover - schema guard
    raise RuntimeError("sourcing.storage.crawl: a JSON job column besides tags needs a converter")


def _driver(conn: Any) -> Any:
    """The sqlite3 connection under `conn`, inside the same transaction (None on other databases).

    The crawl's hot statements run on it directly: compiling SQLAlchemy statements per
    batch was a large part of the pipeline's cost.
    """
    return conn.connection.driver_connection if conn.dialect.name == "sqlite" else None


def _pg_driver(conn: Any) -> Any:
    """The psycopg connection under `conn`, inside the same transaction (None on other databases)."""
    return conn.connection.driver_connection if conn.dialect.name == "postgresql" else None


_pg_time = t.naive_utc  # the value `UTCDateTime` binds on PostgreSQL (a naive UTC `timestamp`)


_PG_CONVERTED = [(i, _pg_time) for i, _ in _CONVERTED if isinstance(_FIELD_TYPES[_JOB_FIELDS[i - 3]], t.UTCDateTime)]
_PG_LOAD = "pg_temp.sourcing_job_load"  # this session's own table: other writers never see it
_PG_COLS = ", ".join(_INSERT_COLS)


def _pg_row(sid: int, ext: str, job: JobPosting, digest: str, now: datetime) -> tuple[Any, ...]:
    """One COPY row, in `_INSERT_COLS` order, with values as SQLAlchemy would bind them on PostgreSQL."""
    values = [sid, ext, posting_group(job.company, job.title, job.location), *_job_fields(job),
              digest, _pg_time(job.fetched_at), now, now, now, False, "open"]
    for i, convert in _PG_CONVERTED:
        if values[i] is not None:
            values[i] = convert(values[i])
    values[_TAGS] = json.dumps(list(values[_TAGS] or []))  # the JSON column, as SQLAlchemy's JSON type writes it
    return tuple(values)


def _pg_insert(pg: Any, rows: list[tuple[Any, ...]]) -> list[tuple[int, int, str]]:
    """COPY the rows into the session's load table, then insert those not stored yet; returns (id, source_id, external_id) of each inserted.

    ON CONFLICT DO NOTHING: a posting another writer stored since we looked (two nodes crawling
    one board, a resumed crawl) is not inserted and is compared by the caller. The load table
    empties at each commit (and a rollback drops what the transaction put in it).
    """
    with pg.cursor() as cur:
        cur.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_PG_LOAD.split('.', 1)[1]} ON COMMIT DELETE ROWS AS "
                    f"SELECT {_PG_COLS} FROM job WITH NO DATA")
        with cur.copy(f"COPY {_PG_LOAD} ({_PG_COLS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(f"INSERT INTO job ({_PG_COLS}) SELECT {_PG_COLS} FROM {_PG_LOAD} "
                    "ON CONFLICT (source_id, external_id) DO NOTHING RETURNING id, source_id, external_id")
        written = cur.fetchall()
        cur.execute(f"DELETE FROM {_PG_LOAD}")  # empty for the next batch of this transaction (store.batch())
    return written


@contextmanager
def _as_sqlalchemy_errors(conn: Any) -> Iterator[None]:
    """The driver's errors from the statements run on it directly, raised as SQLAlchemy raises them
    (`sqlalchemy.exc.IntegrityError`, `OperationalError`, …), as every other store write does."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as exc:
        raise DBAPIError.instance(None, None, exc, dbapi.Error, dialect=conn.dialect) from exc


def _source_id(store: Any, conn: Any, raw: Any, pg: Any, kind: str, key: str) -> int:
    if raw is not None or pg is not None:
        found = (raw or pg).execute("SELECT id FROM source WHERE key = " + ("?" if raw is not None else "%s"), (key,)).fetchone()
        if found is not None:
            return found[0]
    return store._ensure_source(conn, kind, key)


def pg_lookup_sql(with_hash: bool) -> str:
    """The PostgreSQL lookup of a batch's postings: one probe of the (source_id, external_id) index per id.

    Not `external_id = ANY(%s)`: while a table has no statistics yet (a first crawl of a big
    board, before autovacuum's ANALYZE) the planner takes the source for a few rows, scans
    all of them and filters with the array, so each batch costs as much as the rows already
    stored. The LIMIT keeps the lateral lookup from being flattened into such a join.
    """
    cols = "j.id, j.external_id, j.payload_hash" if with_hash else "j.id, j.external_id"
    return (f"SELECT {cols} FROM unnest(%s::text[]) AS k(ext) CROSS JOIN LATERAL "
            "(SELECT id, external_id, payload_hash FROM job WHERE source_id = %s AND external_id = k.ext LIMIT 1) AS j")


def _existing(conn: Any, raw: Any, sid: int, ids: list[str], with_hash: bool, pg: Any = None) -> list[tuple[Any, ...]]:
    """(id, external_id[, payload_hash]) of the source's rows among `ids`: SQLite in chunks, PostgreSQL as one array parameter."""
    cols = "id, external_id, payload_hash" if with_hash else "id, external_id"
    if pg is not None:
        return pg.execute(pg_lookup_sql(with_hash), (ids, sid)).fetchall()
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        sql = f"SELECT {cols} FROM job WHERE source_id = ? AND external_id IN ({', '.join('?' * len(part))})"
        out += raw.execute(sql, (sid, *part)).fetchall()
    return out


def upsert_jobs(store: Any, jobs: list[JobPosting]) -> list[UpsertResult]:
    """Upsert a batch of postings in one transaction (or the enclosing `store.batch()`).

    Returns:
        One UpsertResult per posting, in order: "new", "updated" or "unchanged". A
        posting repeated in the batch counts once as written, then as "unchanged"
        or "updated" against the earlier copy, as sequential upserts would.
    """
    if not jobs:
        return []
    jobs = [clean_record(j) for j in jobs]  # no terminal escape sequences or other control characters are stored
    now = utcnow()
    with store.transaction() as conn, _as_sqlalchemy_errors(conn):
        raw, pg = _driver(conn), _pg_driver(conn)
        source_ids = {(j.source_kind, j.source_key or j.source_kind): 0 for j in jobs}
        for kind, key in source_ids:
            source_ids[(kind, key)] = _source_id(store, conn, raw, pg, kind, key)
        existing: dict[tuple[int, str], tuple[int, str]] = {}
        by_source: dict[int, list[str]] = {}
        keyed = []
        for j in jobs:
            sid = source_ids[(j.source_kind, j.source_key or j.source_kind)]
            ext = str(j.external_id)
            by_source.setdefault(sid, []).append(ext)
            keyed.append(((sid, ext), j))
        for sid, ids in by_source.items():
            existing.update({(sid, ext): (rid, digest) for rid, ext, digest in _existing(conn, raw, sid, sorted(set(ids)), True, pg)})

        inserts: dict[tuple[int, str], tuple[JobPosting, str]] = {}
        late: dict[tuple[int, str], str] = {}  # postings another writer inserted first: their real status
        updates: dict[int, tuple[JobPosting, str]] = {}
        touched: dict[int, Any] = {}
        plan: list[tuple[tuple[int, str], str]] = []
        for k, j in keyed:
            digest = content_hash(j)
            if k in inserts:  # seen earlier in this batch, not yet written: the later copy is written
                status = "unchanged" if inserts[k][1] == digest else "updated"
                inserts[k] = (j, digest)
            elif k not in existing:
                inserts[k] = (j, digest)
                status = "new"
            else:
                row_id, old = existing[k]
                if old == digest:
                    touched[row_id] = j.fetched_at
                    status = "unchanged"
                else:
                    updates[row_id] = (j, digest)
                    existing[k] = (row_id, digest)
                    touched.pop(row_id, None)
                    status = "updated"
            plan.append((k, status))

        if inserts:
            if raw is not None:
                now_text = _sqlite_time(now)
                raw.executemany(_INSERT_SQL, [_sqlite_row(sid, ext, j, d, now_text) for (sid, ext), (j, d) in inserts.items()])
            else:
                # Each row ON CONFLICT DO NOTHING: a posting another writer stored since we looked
                # (two nodes crawling one board, a resumed crawl) comes back as not inserted, and
                # is compared below.
                written = _pg_insert(pg, [_pg_row(sid, ext, j, d, _pg_time(now)) for (sid, ext), (j, d) in inserts.items()])
                existing.update({(sid, ext): (rid, "") for rid, sid, ext in written})
                raced = [k for k in inserts if k not in existing]
                for sid in {s for s, _ in raced}:
                    ids = sorted(e for s, e in raced if s == sid)
                    for rid, ext, old in _existing(conn, raw, sid, ids, True, pg):
                        j, d = inserts.pop((sid, ext))
                        existing[(sid, ext)] = (rid, d)
                        if old == d:
                            touched[rid] = j.fetched_at
                            late[(sid, ext)] = "unchanged"
                        else:
                            updates[rid] = (j, d)
                            late[(sid, ext)] = "updated"
            for sid in (by_source if raw is not None else ()):
                new_ids = sorted({e for (s, e) in inserts if s == sid})
                existing.update({(sid, ext): (rid, "") for rid, ext in _existing(conn, raw, sid, new_ids, False)})
        if updates:  # rare in a crawl: through SQLAlchemy, as the store writes them
            cols = [*_JOB_FIELDS, "posting_group", "payload_hash", "fetched_at"]
            stmt = update(t.job).where(t.job.c.id == bindparam("_id")).values(
                {c: bindparam(f"_{c}") for c in cols} | {"last_seen": bindparam("_now"), "updated_at": bindparam("_now")})
            rows = []
            for rid, (j, d) in updates.items():
                v = dict(_values(j, d), posting_group=posting_group(j.company, j.title, j.location))
                rows.append({"_id": rid, "_now": now, **{f"_{c}": v[c] for c in cols}})
            conn.execute(stmt, rows)
        if touched:  # unchanged postings: only the sighting times move
            if raw is not None:
                now_text = _sqlite_time(now)
                raw.executemany("UPDATE job SET last_seen = ?, fetched_at = ? WHERE id = ?",
                                [(now_text, _sqlite_time(f), rid) for rid, f in touched.items()])
            else:  # PostgreSQL: one statement, the batch's ids and times as arrays
                pg.execute("UPDATE job SET last_seen = %s, fetched_at = v.fetched FROM unnest(%s::integer[], %s::timestamp[]) "
                           "AS v(id, fetched) WHERE job.id = v.id",
                           (_pg_time(now), list(touched), [_pg_time(f) for f in touched.values()]))
    return [UpsertResult(existing[k][0], late.get(k, status) if status == "new" else status) for k, status in plan]
