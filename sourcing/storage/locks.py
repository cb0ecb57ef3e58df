"""Provides `AdvisoryLock`: a PostgreSQL advisory lock, the nightly run's lock when the store is shared.

A file lock only keeps two runs on one machine apart; with a team's PostgreSQL store,
nightly runs on two machines must exclude each other too. The lock is a session-level
`pg_try_advisory_lock` held on a connection of its own for the whole run: the server
releases it when that session ends, even when the process is killed (as `flock` does).
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from sourcing.errors import LockedError
from sourcing.storage.dialect import advisory_key
from sourcing.storage.engine import create_store_engine


class AdvisoryLock:
    """An exclusive, non-blocking advisory lock on the store `db_url` (PostgreSQL), held until `release()`.

    Raises `LockedError` (exit status LOCKED) from `acquire()` when another session holds it.
    """

    def __init__(self, db_url: str, *, what: str = "nightly run", purpose: str = "nightly") -> None:
        self.db_url = db_url
        self.what = what
        self.purpose = purpose
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._key: int | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def acquire(self) -> "AdvisoryLock":
        """Take the lock without waiting.

        Raises:
            LockedError: another session holds it; the message says which (server pid, client, since when).
        """
        if self._conn is not None:
            return self
        engine = create_store_engine(self.db_url)
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            key = advisory_key(conn, self.purpose)
            if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
                hint = self._holder(conn, key)
                raise LockedError(
                    f"another {self.what} is in progress ({hint or 'holder unknown'}; PostgreSQL advisory lock "
                    f"{self.purpose!r} on {engine.url.render_as_string(hide_password=True)}). Wait for it to finish; "
                    "the lock is released automatically when its session ends.",
                    "Locked",
                )
        except BaseException:
            conn.close()
            engine.dispose()
            raise
        self._engine, self._conn, self._key = engine, conn, key
        return self

    @staticmethod
    def _holder(conn: Connection, key: int) -> str:
        """"server pid 123 from 10.0.0.5 since …" of the session holding the lock (empty when not visible)."""
        row = conn.execute(text(
            "SELECT a.pid, a.client_addr, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND ((l.classid::bigint << 32) | l.objid::bigint) = (:k)::bigint & x'ffffffffffffffff'::bigint"
        ), {"k": key}).first()
        if row is None:
            return ""
        where = f" from {row.client_addr}" if row.client_addr else ""
        since = f" since {row.backend_start.isoformat(timespec='seconds')}" if row.backend_start else ""
        return f"server pid {row.pid}{where}{since}"

    def release(self) -> None:
        """Release the lock (a no-op when not held)."""
        if self._conn is None:
            return
        conn, engine, self._conn, self._engine = self._conn, self._engine, None, None
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
        finally:
            conn.close()
            assert engine is not None
            engine.dispose()

    def __enter__(self) -> "AdvisoryLock":
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
