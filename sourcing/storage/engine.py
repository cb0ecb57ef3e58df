"""Provides engine creation and schema migration for the store.

SQLite files are created with mode 0600 (they hold personal data), opened in WAL
mode with foreign keys on and a busy timeout, so a crawl writing and the review
app reading can share one file. PostgreSQL (`postgresql+psycopg://…`, the
`sourcing[postgres]` extra) is the team's store; other databases are refused.
Alembic migrations shipped in `sourcing.migrations` run on open when the schema is
behind (only then is SQLite's write lock taken) — on PostgreSQL under an advisory
lock, so processes opening a fresh database at once (`crawl --all --parallel 4`)
migrate it once; a database written by a newer sourcing is refused.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, SQLAlchemyError

from sourcing.errors import StoreError
from sourcing.storage.dialect import SUPPORTED, advisory_key

BUSY_TIMEOUT_MS = 30_000


def to_url(url_or_path: str) -> str:
    """Turn a file path into a SQLite URL; leave SQLAlchemy URLs alone."""
    if "://" in url_or_path:
        return url_or_path
    if url_or_path == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(url_or_path).expanduser().resolve())


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process (a parallel crawl) created it first: same file, same mode
            return
        os.close(fd)


def _on_connect(dbapi_conn, _record) -> None:
    # pysqlite's own transaction handling is turned off so SQLAlchemy's BEGIN is the only one.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA secure_delete = ON")  # erased people's data is overwritten, not just unlinked
    cur.close()


READ_ONLY = "sourcing_read_only"
"""Execution option for a connection that only reads: it begins a plain (deferred) transaction."""


def _on_begin(conn) -> None:
    # IMMEDIATE takes the write lock up front: two writers wait on busy_timeout
    # instead of failing with "database is locked" when a read upgrades to a write.
    # A connection marked READ_ONLY never writes, so it begins deferred: in WAL mode a
    # long read (the review app listing 10,000 rows) then never holds writers back.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def create_store_engine(url_or_path: str) -> Engine:
    """Create an engine; for SQLite, create the file 0600 and set the pragmas."""
    url_s = to_url(url_or_path)
    try:
        url = make_url(url_s)
    except ArgumentError as exc:
        raise StoreError(f"{url_or_path}: not a file path or database URL ({exc})") from exc
    backend = url.get_backend_name()
    if backend not in SUPPORTED:
        raise StoreError(f"{url.render_as_string(hide_password=True)}: the store runs on SQLite (a file path) or "
                         f"PostgreSQL (postgresql+psycopg://user@host/db), not {backend}", "Unsupported database")
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            try:
                _create_private_file(Path(url.database))
            except OSError as exc:
                raise StoreError(f"cannot create database file {url.database}: {exc.strerror}. Check the folder exists and is writable, or pass --db.") from exc
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    else:
        if url.drivername == "postgresql":  # SQLAlchemy's default would be psycopg2, which we do not ship
            url = url.set(drivername="postgresql+psycopg")
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except ImportError as exc:
            raise StoreError(f"cannot use database {url.render_as_string(hide_password=True)}: {exc}. "
                             "Install the PostgreSQL driver: pip install 'sourcing[postgres]'", "Driver missing") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot use database {url.render_as_string(hide_password=True)}: {exc}") from exc
    return engine


def _alembic_config(connection):
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(files("sourcing") / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


def code_head() -> str | None:
    """The head revision of the shipped migrations, read from their files without importing Alembic.

    None when the files do not name exactly one head (then Alembic itself decides).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (files("sourcing") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py") or path.name.startswith("_"):
            continue
        found = dict((k, v) for k, v in _REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found or not found["revision"]:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(engine: Engine) -> str | None:
    """The store's alembic_version, None when it has none yet (read-only, a deferred BEGIN)."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        try:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        finally:
            conn.rollback()


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest revision this code knows; return that revision.

    A store already at the head the migration files name is recognised from its
    `alembic_version` row alone: Alembic is imported only when an upgrade (or a
    refusal) is needed.

    Raises:
        StoreError: the database was written by a newer sourcing, or cannot be read.
    """
    head = code_head()
    if head is not None:
        try:
            if _current_revision(engine) == head:
                return head
        except DatabaseError:
            pass  # the full path below reports it
    from alembic import command
    from alembic.script import ScriptDirectory

    try:
        # The version check only reads (a deferred BEGIN): opening a store whose schema is
        # current never waits for, or holds back, a writer such as a running import or crawl.
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            lock = None
            if conn.dialect.name == "postgresql":
                # Session-level, held across the check and the upgrade: a second process opening
                # the same fresh database waits here, then finds it at head.
                lock = advisory_key(conn, "migrate")
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock})
                conn.commit()
            try:
                cfg = _alembic_config(conn)
                script = ScriptDirectory.from_config(cfg)
                head = script.get_current_head()
                current = None
                if inspect(conn).has_table("alembic_version"):
                    current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                conn.rollback()
                if current == head:
                    return head
                if current is not None and current not in {r.revision for r in script.walk_revisions()}:
                    raise StoreError(
                        f"the database schema (revision {current}) is newer than this version of sourcing "
                        f"knows (newest: {head}). Upgrade sourcing, or use another --db.",
                        "Schema too new",
                    )
                if lock is not None:  # on the connection that holds the advisory lock
                    with conn.begin():
                        command.upgrade(cfg, "head")
                    return head
                # Only a schema that is behind takes the write lock (BEGIN IMMEDIATE) to upgrade;
                # Alembic re-reads the version inside it, so two processes upgrading at once is fine.
                with engine.begin() as tx:
                    cfg.attributes["connection"] = tx
                    command.upgrade(cfg, "head")
                return head
            finally:
                if lock is not None:
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
                    conn.commit()
    except DatabaseError as exc:
        if engine.dialect.name == "postgresql":
            where = engine.url.render_as_string(hide_password=True)
            raise StoreError(f"cannot open the database {where}: {str(exc.orig).strip()}. Is the server running, "
                             "and may this role connect and create tables there?") from exc
        raise StoreError(f"cannot open the database: {exc.orig}. Is it a sourcing database, and is the disk writable?") from exc
