"""Provides the store's base: engine, transactions, sources, the audit log and crawl runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from sourcing.models import utcnow
from sourcing.storage import schema as t
from sourcing.storage.dialect import insert_for
from sourcing.storage.engine import READ_ONLY, create_store_engine, migrate


def row_dict(row: Any) -> dict[str, Any]:
    """A result row as a plain dict."""
    return dict(row._mapping)


class BaseStore:
    """Engine and transaction handling shared by every part of the store."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._local = threading.local()

    @classmethod
    def open(cls, url_or_path: str):
        """Open (creating and migrating as needed) the database at a path or SQLAlchemy URL.

        Raises:
            StoreError: the database cannot be created, read, or is newer than this code.
        """
        engine = create_store_engine(url_or_path)
        try:
            migrate(engine)
        except Exception:
            engine.dispose()
            raise
        return cls(engine, url_or_path)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection inside a transaction, committed on exit (or the enclosing batch's)."""
        outer = getattr(self._local, "batch", None)
        if outer is not None:
            yield outer
            return
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection for reads (inside the current batch when there is one).

        Outside a batch it begins a deferred transaction (`READ_ONLY`): in WAL mode a read
        neither waits for a writer (an import, a crawl) nor holds one back.
        """
        outer = getattr(self._local, "batch", None)
        if outer is not None:
            yield outer
            return
        with self.engine.connect() as conn:
            yield conn.execution_options(**{READ_ONLY: True})

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group the writes made inside into one transaction (committed on exit, rolled back on error)."""
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        with self.engine.begin() as conn:
            self._local.batch = conn
            try:
                yield
            finally:
                self._local.batch = None

    # --- sources -----------------------------------------------------------------
    def ensure_source(self, kind: str, key: str, address: str | None = None, terms: str | None = None) -> int:
        """Return the id of the source `key`, creating it on first sight."""
        with self.transaction() as conn:
            return self._ensure_source(conn, kind, key, address, terms)

    def _ensure_source(self, conn: Connection, kind: str, key: str, address: str | None = None, terms: str | None = None) -> int:
        found = conn.execute(select(t.source.c.id).where(t.source.c.key == key)).scalar()
        if found is None:  # two crawls of one new source may both get here: one inserts, both read it
            conn.execute(insert_for(conn, t.source).values(kind=kind, key=key, address=address, terms=terms, created_at=utcnow())
                         .on_conflict_do_nothing(index_elements=["key"]))
            found = conn.execute(select(t.source.c.id).where(t.source.c.key == key)).scalar_one()
        return found

    def list_sources(self) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return [row_dict(r) for r in conn.execute(select(t.source).order_by(t.source.c.key))]

    # --- audit log (append-only) -------------------------------------------------
    def audit(self, action: str, *, actor: str, target_type: str, target_id: Any, before: Any = None, after: Any = None) -> None:
        """Append one audit row."""
        with self.transaction() as conn:
            self._audit(conn, action, actor=actor, target_type=target_type, target_id=target_id, before=before, after=after)

    @staticmethod
    def _audit(conn: Connection, action: str, *, actor: str, target_type: str, target_id: Any, before: Any = None, after: Any = None) -> None:
        conn.execute(
            insert(t.audit_log).values(
                at=utcnow(), actor=actor, action=action, target_type=target_type,
                target_id=str(target_id), before=before, after=after,
            )
        )

    def audit_entries(self, *, target_type: str | None = None, target_id: Any = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Audit rows, oldest first."""
        q = select(t.audit_log).order_by(t.audit_log.c.id)
        if target_type is not None:
            q = q.where(t.audit_log.c.target_type == target_type)
        if target_id is not None:
            q = q.where(t.audit_log.c.target_id == str(target_id))
        if limit is not None:
            q = q.limit(limit)
        with self.connection() as conn:
            return [row_dict(r) for r in conn.execute(q)]

    # --- crawl runs --------------------------------------------------------------
    def start_crawl_run(self, spider: str, source_key: str | None, args: dict[str, Any], jobdir: str | None = None) -> int:
        with self.transaction() as conn:
            return conn.execute(
                insert(t.crawl_run).values(
                    spider=spider, source_key=source_key, args=args, jobdir=jobdir,
                    started_at=utcnow(), status="running", error_details=[],
                )
            ).inserted_primary_key[0]

    def finish_crawl_run(
        self, run_id: int, *, status: str, new: int = 0, updated: int = 0, unchanged: int = 0,
        dropped: int = 0, errors: int = 0, error_details: list[dict[str, Any]] | None = None,
        field_counts: dict[str, int] | None = None,
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                update(t.crawl_run).where(t.crawl_run.c.id == run_id).values(
                    finished_at=utcnow(), status=status, items_new=new, items_updated=updated,
                    items_unchanged=unchanged, items_dropped=dropped, errors=errors,
                    error_details=error_details or [], field_counts=field_counts,
                )
            )

    def list_crawl_runs(self, *, limit: int = 100, spider: str | None = None) -> list[dict[str, Any]]:
        """Crawl runs, newest first."""
        q = select(t.crawl_run).order_by(t.crawl_run.c.id.desc()).limit(limit)
        if spider:
            q = q.where(t.crawl_run.c.spider == spider)
        with self.connection() as conn:
            return [row_dict(r) for r in conn.execute(q)]
