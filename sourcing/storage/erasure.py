"""Provides what makes an erasure reach the disk: the space that held a person's rows rewritten.

Deleting rows does not remove their bytes: SQLite leaves them in free pages and the
WAL, PostgreSQL in dead tuples, indexes, statistics and WAL segments. After
`forget_candidate` (or a purge) has deleted a person, `compact_after_erasure`:

- **SQLite**: `secure_delete` (set on every connection) already zeroed the freed
  pages; a `wal_checkpoint(TRUNCATE)` moves that into the main file and empties the WAL.
- **PostgreSQL**: `VACUUM (FULL, ANALYZE)` rewrites each table that can hold a person's
  rows (every table but `NOT_PERSONAL`; heap, TOAST and indexes go to new files, the
  old ones are truncated) and
  refreshes their statistics, `VACUUM FULL pg_statistic` drops the old statistics'
  rows (which may quote column values), then `pg_switch_wal()` and `CHECKPOINT` end the
  WAL segment holding the deletes and let the server delete it. What this cannot reach
  — WAL recycled rather than deleted (`wal_recycle = on`), archived WAL, replicas'
  and backups' copies — is returned as `remains` and logged (docs/deploy.md says it).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

# Tables that never hold a person's data; every other table of the store is rewritten, so a
# table added later is covered without anyone remembering to list it here.
NOT_PERSONAL = ("job", "do_not_collect", "brand_idea", "rank_state", "ranking_scope", "store_meta")


def erased_tables() -> list[str]:
    """The store's tables that can hold a person's data or identifiers (see schema.py, forget_candidate)."""
    from sourcing.storage import schema as t

    return sorted(name for name in t.metadata.tables if name not in NOT_PERSONAL)


def compact_after_erasure(store: Any) -> dict[str, Any]:
    """Rewrite the storage of the erased rows; return {"done": [...], "remains": [...]} (plain words).

    Must run outside any transaction (VACUUM cannot run in one): `forget_candidate` calls it
    after committing, unless told to leave it to its caller (a purge compacts once at the end).
    """
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {"done": ["freed pages zeroed (secure_delete)", "WAL checkpointed and truncated"], "remains": []}
    return _compact_postgres(store)


def _compact_postgres(store: Any) -> dict[str, Any]:
    done: list[str] = []
    remains: list[str] = []
    with store.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        tables = ", ".join(erased_tables())
        conn.execute(text(f"VACUUM (FULL, ANALYZE) {tables}"))
        done.append(f"tables rewritten: {tables}")
        # Allowed to the database's owner; for anyone else the server skips it with a warning.
        conn.execute(text("VACUUM FULL pg_catalog.pg_statistic"))
        done.append("old column statistics removed")
        for what, sql in (("WAL segment switched", "SELECT pg_switch_wal()"), ("checkpoint", "CHECKPOINT")):
            try:
                conn.execute(text(sql))
                done.append(what)
            except DBAPIError as exc:
                remains.append(f"the deleted rows stay in the WAL until the server's next checkpoint and segment "
                               f"switch ({what} refused: {str(exc.orig).strip().splitlines()[0]}; grant the role "
                               "pg_checkpoint and EXECUTE on pg_switch_wal(), see docs/deploy.md)")
                break
        settings = dict(conn.execute(text(
            "SELECT name, setting FROM pg_settings WHERE name IN ('wal_recycle', 'archive_mode', 'wal_keep_size')")).all())
    if settings.get("wal_recycle") == "on":
        remains.append("wal_recycle is on: old WAL segments are renamed for reuse, not deleted, and keep the deleted "
                       "rows until overwritten (set wal_recycle = off)")
    if settings.get("archive_mode") not in (None, "off"):
        remains.append("archive_mode is on: archived WAL segments keep the deleted rows as long as the archive keeps them")
    if settings.get("wal_keep_size") not in (None, "0"):
        remains.append(f"wal_keep_size is {settings['wal_keep_size']} MB: that much WAL is kept for replicas")
    for line in remains:
        log.warning("erasure: %s", line)
    return {"done": done, "remains": remains}
