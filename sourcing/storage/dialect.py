"""Provides the store's few dialect-specific pieces, so every write is written once for SQLite and PostgreSQL.

`insert_for(conn, table)` is the dialect's INSERT, which has `on_conflict_do_nothing()`
and `on_conflict_do_update()` on both (SQLite's `INSERT … ON CONFLICT` and PostgreSQL's
have the same semantics for a unique constraint). `advisory_key` names a PostgreSQL
advisory lock; `SUPPORTED` says which databases the store runs on.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.engine import Connection

SUPPORTED = ("sqlite", "postgresql")


def insert_for(conn: Connection, table: Any) -> Any:
    """The INSERT of `conn`'s dialect for `table` (with `on_conflict_do_nothing` / `on_conflict_do_update`)."""
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # create_store_engine refuses other databases; this is the guard for direct callers
        raise ValueError(f"the store runs on {' or '.join(SUPPORTED)}, not {name}")
    return insert(table)


def advisory_key(conn: Connection, purpose: str) -> int:
    """A 64-bit PostgreSQL advisory-lock key for `purpose` in this store (database and schema).

    Advisory locks are per database; the schema is part of the key so two stores in two
    schemas of one database (the test suite does that) do not share their locks.
    """
    where = conn.exec_driver_sql("SELECT current_database() || '.' || current_schema()").scalar()
    digest = hashlib.sha256(f"sourcing:{purpose}:{where}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
