"""Provides the SQL side of the ranking indexes: derived features, the change log, FTS5, filters.

What the ranker derives from a candidate (texts, chunks, skills, language) is kept in
`rank_feature`; the plain full text is indexed in the FTS5 table `rank_fts` (rowid =
candidate id) for lexical retrieval with `bm25()`. SQL triggers (migration i11) delete
both and append to `rank_change` in the same transaction as any profile or candidate
write, so a derived row is either current or absent, never silently stale. The dense
vector index (files beside the database) is `sourcing.storage.vector_index`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import delete, insert, select

from sourcing.models import utcnow
from sourcing.storage import schema as t
from sourcing.storage.base import row_dict

_IN_CHUNK = 500
_FTS_WORD = re.compile(r"\w+", re.UNICODE)


def supported(store: Any) -> bool:
    """True when the store keeps the ranking indexes (SQLite with migration i11's triggers)."""
    return store.engine.dialect.name == "sqlite"


def db_file(store: Any) -> Path | None:
    """The database file, or None for an in-memory or non-SQLite store."""
    if not supported(store):
        return None
    name = store.engine.url.database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        return None
    return Path(name)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _IN_CHUNK):
        yield ids[i : i + _IN_CHUNK]


# --- change log ------------------------------------------------------------------
def max_change_seq(store: Any) -> int:
    """The newest change-log sequence number (0 when nothing was ever written)."""
    with store.connection() as conn:
        return int(conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM rank_change").scalar_one())


def changed_since(store: Any, seq: int) -> list[int]:
    """Candidates (existing or erased) whose ranker-visible data changed after `seq`."""
    with store.connection() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT candidate_id FROM rank_change WHERE seq > ?", (seq,))]


PRUNED_KEY = "change-pruned"


def pruned_below(store: Any) -> int:
    """Change-log rows with a sequence number below this were deleted (0: none ever were)."""
    value = get_state(store, PRUNED_KEY)
    return int(value) if value else 0


def prune_changes(store: Any, below: int) -> int:
    """Delete the change-log rows every reader has consumed (seq < `below`); returns rows deleted.

    The newest row always stays, so sequence numbers keep growing after a prune (SQLite
    reuses rowids above the largest one left). A reader behind the recorded bound
    (`pruned_below`) can no longer apply changes one by one and must rebuild.
    """
    with store.transaction() as conn:
        newest = int(conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM rank_change").scalar_one())
        bound = min(int(below), newest)
        done = conn.exec_driver_sql("DELETE FROM rank_change WHERE seq < ?", (bound,)).rowcount
        prev = conn.execute(select(t.rank_state.c.value).where(t.rank_state.c.key == PRUNED_KEY)).scalar()
        if bound > int(prev or 0):
            conn.execute(delete(t.rank_state).where(t.rank_state.c.key == PRUNED_KEY))
            conn.execute(insert(t.rank_state).values(key=PRUNED_KEY, value=str(bound)))
    return int(done or 0)


def get_state(store: Any, key: str) -> str | None:
    with store.connection() as conn:
        return conn.execute(select(t.rank_state.c.value).where(t.rank_state.c.key == key)).scalar()


def set_state(store: Any, key: str, value: str) -> None:
    with store.transaction() as conn:
        conn.execute(delete(t.rank_state).where(t.rank_state.c.key == key))
        conn.execute(insert(t.rank_state).values(key=key, value=value))


# --- features --------------------------------------------------------------------
def candidates_without_features(store: Any, blind: bool, among: Iterable[int] | None = None) -> list[int]:
    """Ids of candidates (of `among`, or all) with no derived row for this mode: new, changed, never computed."""
    with store.connection() as conn:
        if among is None:
            return [r[0] for r in conn.exec_driver_sql(
                "SELECT c.id FROM candidate c LEFT JOIN rank_feature f ON f.candidate_id = c.id AND f.blind = ? "
                "WHERE f.candidate_id IS NULL ORDER BY c.id", (int(blind),))]
        out: list[int] = []
        for part in _chunks(sorted(set(int(i) for i in among))):
            marks = ",".join("?" * len(part))
            out += [r[0] for r in conn.exec_driver_sql(
                f"SELECT c.id FROM candidate c WHERE c.id IN ({marks}) AND NOT EXISTS "
                "(SELECT 1 FROM rank_feature f WHERE f.candidate_id = c.id AND f.blind = ?) ORDER BY c.id", (*part, int(blind)))]
        return out


def candidates_with_profiles(store: Any, ids: Iterable[int]) -> list[dict[str, Any]]:
    """The given candidates (those that exist) with their profiles, newest fetch first, by id."""
    ids = sorted(set(int(i) for i in ids))
    out: dict[int, dict[str, Any]] = {}
    with store.connection() as conn:
        for part in _chunks(ids):
            for r in conn.execute(select(t.candidate).where(t.candidate.c.id.in_(part))):
                out[r.id] = dict(row_dict(r), profiles=[])
            for r in conn.execute(
                select(t.profile).where(t.profile.c.candidate_id.in_(part))
                .order_by(t.profile.c.candidate_id, t.profile.c.fetched_at.desc())
            ):
                if r.candidate_id in out:
                    out[r.candidate_id]["profiles"].append(row_dict(r))
    return [out[i] for i in ids if i in out]


def save_features(store: Any, rows: list[dict[str, Any]], *, read_seq: int, fts: dict[int, str] | None = None) -> int:
    """Store derived rows (and FTS bodies) computed from data read at change-log `read_seq`.

    A candidate changed since `read_seq` is skipped: its row would already be stale (the
    next refresh computes it again). Returns how many rows were stored.
    """
    if not rows:
        return 0
    fts = fts or {}
    with store.transaction() as conn:
        ids = sorted({r["candidate_id"] for r in rows})
        moved: set[int] = set()
        alive: set[int] = set()
        for part in _chunks(ids):
            marks = ",".join("?" * len(part))
            moved |= {r[0] for r in conn.exec_driver_sql(
                f"SELECT DISTINCT candidate_id FROM rank_change WHERE seq > ? AND candidate_id IN ({marks})", (read_seq, *part))}
            alive |= {r[0] for r in conn.exec_driver_sql(f"SELECT id FROM candidate WHERE id IN ({marks})", tuple(part))}
        keep = [r for r in rows if r["candidate_id"] in alive and r["candidate_id"] not in moved]
        if not keep:
            return 0
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO rank_feature (candidate_id, blind, seq, lang, location, remote, chunk_hashes, title_hash, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r["candidate_id"], int(r["blind"]), read_seq, r["lang"], r.get("location"),
              None if r.get("remote") is None else int(r["remote"]), r["chunk_hashes"], r["title_hash"],
              json.dumps(r["data"], ensure_ascii=False, separators=(",", ":"))) for r in keep],
        )
        bodies = [(cid, fts[cid]) for cid in sorted({r["candidate_id"] for r in keep}) if cid in fts]
        if bodies:
            conn.exec_driver_sql("DELETE FROM rank_fts WHERE rowid = ?", [(cid,) for cid, _ in bodies])
            conn.exec_driver_sql("INSERT INTO rank_fts (rowid, body) VALUES (?, ?)", bodies)
        return len(keep)


def load_features(store: Any, ids: Iterable[int], blind: bool, *, keys: bool = False) -> dict[int, Any]:
    """Derived data (`rank_feature.data`) of the given candidates, by id.

    With `keys`, each value is (data, chunk hashes, title hash): the cache keys stored beside the texts.
    """
    out: dict[int, Any] = {}
    ids = sorted(set(int(i) for i in ids))
    loads = json.loads
    cols = "candidate_id, data, chunk_hashes, title_hash" if keys else "candidate_id, data"  # only what is returned
    with store.connection() as conn:
        for part in _chunks(ids):
            marks = ",".join("?" * len(part))
            rows = conn.exec_driver_sql(
                f"SELECT {cols} FROM rank_feature WHERE blind = ? AND candidate_id IN ({marks})", (int(blind), *part))
            if keys:
                out.update((cid, (loads(data), hashes.split(), title)) for cid, data, hashes, title in rows)
            else:
                out.update((cid, loads(data)) for cid, data in rows)
    return out


def iter_chunk_hashes(store: Any, blind: bool, ids: Iterable[int] | None = None) -> Iterator[tuple[int, list[str], str]]:
    """(candidate id, prepared-chunk hashes, title hash) of every derived row, or of the given candidates."""
    cols = "candidate_id, chunk_hashes, title_hash"
    with store.connection() as conn:
        if ids is None:
            for cid, hashes, title in conn.exec_driver_sql(
                f"SELECT {cols} FROM rank_feature WHERE blind = ? ORDER BY candidate_id", (int(blind),)
            ):
                yield cid, hashes.split(), title
            return
        for part in _chunks(sorted(set(int(i) for i in ids))):
            marks = ",".join("?" * len(part))
            for cid, hashes, title in conn.exec_driver_sql(
                f"SELECT {cols} FROM rank_feature WHERE blind = ? AND candidate_id IN ({marks})", (int(blind), *part)
            ):
                yield cid, hashes.split(), title


def pool_languages(store: Any, blind: bool) -> dict[str, int]:
    """How many candidates of the ranked pool write in each language ({"en": 9000, "fr": 1000}).

    Counting scans every derived row (~2 s at 100k: each row carries its texts), so the
    counts are kept in `rank_state` with the change-log and feature positions they were
    counted at, and counted again only after a change.
    """
    mode = "blind" if blind else "plain"
    key = f"pool-langs-{mode}"
    # Derived rows change with the change log (deleted by its triggers) and when the features
    # are refreshed (`features-<mode>` records the log position they caught up to): both key
    # the counts. Read first: a change while counting makes the next call count again.
    seq = f"{max_change_seq(store)}/{get_state(store, f'features-{mode}')}"
    cached = get_state(store, key)
    if cached:
        try:
            data = json.loads(cached)
            if data.get("seq") == seq and isinstance(data.get("langs"), dict):
                return {str(k): int(v) for k, v in data["langs"].items()}
        except (ValueError, TypeError, AttributeError):
            pass
    with store.connection() as conn:
        langs = {lang: n for lang, n in conn.exec_driver_sql(
            "SELECT lang, count(*) FROM rank_feature WHERE blind = ? GROUP BY lang", (int(blind),))}
    set_state(store, key, json.dumps({"seq": seq, "langs": langs}))
    return langs


def pool_ids(store: Any, blind: bool, *, lang: str | None = None, location: str | None = None,
             remote: bool | None = None, undecided_for_job: int | None = None) -> list[int]:
    """Ids of the ranked pool that pass a recruiter's filters (one SQL query).

    Args:
        lang: profile language ("en", "fr").
        location: case-insensitive substring of the candidate's location.
        remote: only candidates who said they work remotely (True) or did not (False).
        undecided_for_job: leave out candidates with a decision on this job.
    """
    sql = ["SELECT f.candidate_id FROM rank_feature f WHERE f.blind = ?"]
    args: list[Any] = [int(blind)]
    if lang:
        sql.append("AND f.lang = ?")
        args.append(lang)
    if location:
        sql.append("AND lower(coalesce(f.location, '')) LIKE ?")
        args.append(f"%{location.lower()}%")
    if remote is not None:
        sql.append("AND f.remote = ?")
        args.append(int(remote))
    if undecided_for_job is not None:
        sql.append("AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.job_id = ? AND d.candidate_id = f.candidate_id "
                   "AND d.status IS NOT NULL)")
        args.append(int(undecided_for_job))
    sql.append("ORDER BY f.candidate_id")
    with store.connection() as conn:
        return [r[0] for r in conn.exec_driver_sql(" ".join(sql), tuple(args))]


def pool_size(store: Any, blind: bool) -> int:
    """Candidates in the ranked pool (the sum of `pool_languages`, kept with it)."""
    return sum(pool_languages(store, blind).values())


# --- lexical retrieval (FTS5) --------------------------------------------------------
MAX_FTS_TERMS = 64  # words of a job a lexical query reads at most (the first ones: title and must-haves come first)


def fts_query(words: Iterable[str], max_terms: int = MAX_FTS_TERMS) -> str:
    """An FTS5 OR-query of the distinct words (each quoted, so no word is read as syntax)."""
    return " OR ".join(f'"{tok}"' for tok in fts_terms(words)[:max_terms])


def fts_terms(words: Iterable[str]) -> list[str]:
    """The distinct FTS5 tokens of the words, in order (what `fts_query` ORs together)."""
    seen: list[str] = []
    for w in words:
        for tok in _FTS_WORD.findall(w.lower()):
            if len(tok) > 1 and tok not in seen:
                seen.append(tok)
    return seen


def term_doc_counts(store: Any, terms: Iterable[str], cap: int) -> dict[str, int]:
    """How many indexed candidates hold each term, counted up to `cap + 1` (more than `cap`: `cap + 1`).

    Counting reads the term's postings in FTS5 (~50-80 ns each), so a common word of a big
    pool is not counted to the end: its count stops past `cap`.
    """
    out: dict[str, int] = {}
    with store.connection() as conn:
        for term in dict.fromkeys(terms):
            out[term] = int(conn.exec_driver_sql(
                "SELECT count(*) FROM (SELECT 1 FROM rank_fts WHERE rank_fts MATCH ? LIMIT ?)",
                (f'"{term}"', int(cap) + 1)).scalar_one())
    return out


def lexical_top(store: Any, words: Iterable[str], k: int) -> list[int]:
    """The `k` candidates whose indexed text best matches the words (FTS5 `bm25()`), best first."""
    query = fts_query(words)
    if not query or k <= 0:
        return []
    with store.connection() as conn:
        return [r[0] for r in conn.exec_driver_sql(
            "SELECT rowid FROM rank_fts WHERE rank_fts MATCH ? ORDER BY bm25(rank_fts) LIMIT ?", (query, int(k)))]


def purge_fts_residue(conn: Any) -> None:
    """Merge the FTS5 segments so an erased person's words are not kept as deleted entries.

    FTS5 (SQLite < 3.42 has no 'secure-delete') records a delete as a marker and keeps the
    old segment until a merge; 'optimize' rewrites the index without it (secure_delete then
    zeroes the freed pages).
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO rank_fts (rank_fts) VALUES ('optimize')")


# --- what a ranking covered ---------------------------------------------------------
def save_scope(store: Any, job_id: int, *, pool: int, retrieved: int, saved: int, model: str) -> None:
    """Record that the job's ranking is the best `saved` of `pool` (inside the caller's batch, if any)."""
    with store.transaction() as conn:
        conn.execute(delete(t.ranking_scope).where(t.ranking_scope.c.job_id == job_id))
        conn.execute(insert(t.ranking_scope).values(job_id=job_id, pool=pool, retrieved=retrieved, saved=saved,
                                                    model=model, ranked_at=utcnow()))


def get_scope(store: Any, job_id: int) -> dict[str, Any] | None:
    """{"pool", "retrieved", "saved", "model", "ranked_at"} of the job's last ranking, or None."""
    with store.connection() as conn:
        row = conn.execute(select(t.ranking_scope).where(t.ranking_scope.c.job_id == job_id)).first()
    return row_dict(row) if row else None


def candidate_rows(store: Any, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The `candidate` rows (no profiles) of the given ids: what a ranking's shown lines need."""
    ids = sorted(set(int(i) for i in ids))
    out: dict[int, dict[str, Any]] = {}
    with store.connection() as conn:
        for part in _chunks(ids):
            for r in conn.execute(select(t.candidate).where(t.candidate.c.id.in_(part))):
                out[r.id] = row_dict(r)
    return out
