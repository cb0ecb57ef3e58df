"""Provides the test suite's two store backends: SQLite files, or schemas of a PostgreSQL test server.

`SOURCING_TEST_DB` (a SQLAlchemy URL of a database the tests may create schemas in) and
`SOURCING_TEST_PGDATA` (that server's data directory) are read once at import, before the
suite-wide fixture removes every SOURCING_* variable from the tests' environment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEST_DB = os.environ.get("SOURCING_TEST_DB") or None
PG_DATA = os.environ.get("SOURCING_TEST_PGDATA") or None
ON_POSTGRES = TEST_DB is not None


@contextmanager
def pg_schema(base_url: str) -> Iterator[str]:
    """A new, empty schema; yields a URL whose connections use it (search_path), dropped at the end.

    Each connection made through the URL carries the schema's name as its application_name,
    so connections a test left open are ended before the drop (instead of blocking it).
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "t_" + secrets.token_hex(6)
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={name}", "application_name": name})
        yield url.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    finally:
        admin.dispose()


def files_holding(db_url: str, *needles: bytes) -> list[str]:
    """The files of the store that hold any of `needles`, as "file: needle" (empty: none does).

    SQLite: the database file and its -wal/-shm. Postgres: every file under
    `SOURCING_TEST_PGDATA` (heap, indexes, TOAST, catalogs, WAL): what erasure promises is
    that none of them holds the erased text.
    """
    if "://" not in db_url:
        path = Path(db_url)
        files = [f for f in sorted(path.parent.glob(path.name + "*")) if f.is_file()]
    else:
        if not PG_DATA:
            raise RuntimeError("SOURCING_TEST_PGDATA is not set: the test cannot read the server's data directory")
        files = [Path(root, n) for root, _dirs, names in os.walk(PG_DATA) for n in names]
    found = []
    for f in files:
        try:
            data = f.read_bytes()
        except OSError:  # a file the server removed while we walked
            continue
        found += [f"{f}: {n.decode(errors='replace')}" for n in needles if n in data]
    return found
