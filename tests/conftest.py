"""Provides suite-wide fixtures: isolation from the developer's real config and data, a store.

The store fixtures (`db_url`, `store`) give a real SQLite file by default. With
`SOURCING_TEST_DB=postgresql+psycopg://user:pw@host:port/db` set (CI's Postgres pass,
`.ci/postgres-pass`), they give a fresh schema of that PostgreSQL database instead, and
only the tests marked `postgres` (store, import, crawl, rank, review decisions, export,
forget, purge, nightly) or `postgres_only` that use them run: the same tests, a second
time, on the other dialect. Tests marked `postgres_only` are skipped without it, tests
marked `sqlite_only` are skipped with it, each with a one-line reason.
"""

from __future__ import annotations

import os
import pytest

from db_backends import TEST_DB, files_holding, pg_schema

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

NO_POSTGRES = ("needs PostgreSQL: set SOURCING_TEST_DB=postgresql+psycopg://… "
               "(CI's Postgres pass does; `make test-postgres` starts a throwaway server)")


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: runs a second time on the Postgres pass (when it uses the store fixtures)")
    config.addinivalue_line("markers", "postgres_only: needs the PostgreSQL store of SOURCING_TEST_DB (skipped without it)")
    config.addinivalue_line("markers", "sqlite_only(reason): tests a SQLite-specific behaviour (skipped on the Postgres pass)")


def pytest_collection_modifyitems(config, items):
    if TEST_DB is None:
        for item in items:
            if item.get_closest_marker("postgres_only"):
                item.add_marker(pytest.mark.skip(reason=NO_POSTGRES))
        return
    # The Postgres pass runs the chosen tests that use the store fixtures; all ran on the SQLite pass.
    kept, dropped = [], []
    for item in items:
        chosen = item.get_closest_marker("postgres") or item.get_closest_marker("postgres_only")
        uses_store = {"db_url", "new_db_url"} & set(getattr(item, "fixturenames", ()))
        (kept if chosen and uses_store else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    for item in kept:
        marker = item.get_closest_marker("sqlite_only")
        if marker:
            why = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "SQLite-specific")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


def pytest_report_header(config):
    if TEST_DB is not None:
        from sqlalchemy.engine import make_url

        return f"store: PostgreSQL {make_url(TEST_DB).render_as_string(hide_password=True)} (a schema per test)"
    return "store: SQLite files (set SOURCING_TEST_DB for the Postgres pass)"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory, monkeypatch):
    """Keep the developer's real config, data and state dirs out of every test (harlequin)."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in list(os.environ):
        if var.startswith("SOURCING_"):
            monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    yield


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "sourcing.db"


@pytest.fixture
def db_url(db_path):
    """The store under test: `db_path` (SQLite), or a fresh PostgreSQL schema on the Postgres pass."""
    if TEST_DB is None:
        yield str(db_path)
        return
    with pg_schema(TEST_DB) as url:
        yield url


@pytest.fixture
def new_db_url(tmp_path):
    """A factory of more fresh stores of the pass's dialect (a second SQLite file, a second schema)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        def make(name: str = "other") -> str:
            if TEST_DB is None:
                return str(tmp_path / f"{name}.db")
            return stack.enter_context(pg_schema(TEST_DB))

        yield make


@pytest.fixture
def on_disk(db_url):
    """`on_disk(b"text", ...)` -> the store's files holding any of them ([] when none does).

    The SQLite file and its WAL, or the Postgres pass's whole data directory.
    """
    return lambda *needles: files_holding(db_url, *needles)


@pytest.fixture
def store(db_url):
    """A real store (SQLite file, or Postgres schema on the Postgres pass), closed at teardown."""
    from sourcing.storage import Store

    s = Store.open(db_url)
    yield s
    s.close()

