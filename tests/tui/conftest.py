"""Provides the TUI tests' fixtures: a real store (SQLite; Postgres on that pass) with fixed review data, a config, the app.

The suite-wide autouse fixture in tests/conftest.py (`no_user_config`) already keeps
the developer's real config, data dirs and SOURCING_* variables out of these tests;
`review_config` below writes a throwaway config file so nothing else is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pilot_helpers import write_config  # noqa: E402
from review_data import populate  # noqa: E402


@pytest.fixture
def review_db(db_url):
    """The review tests' store: a SQLite file, or a fresh Postgres schema on the Postgres pass."""
    return db_url


@pytest.fixture
def review_store(review_db):
    """A store holding one job ranked against five people; yields (store, job_id, ids)."""
    from sourcing.storage import Store

    store = Store.open(review_db)
    job_id, ids = populate(store)
    yield store, job_id, ids
    store.close()


@pytest.fixture
def review_config(tmp_path, review_db):
    """A resolved config from a temporary file: actor "tester", defaults otherwise."""
    return write_config(tmp_path, db=review_db)


@pytest.fixture
def make_review_app(review_store, review_config, tmp_path):
    """Factory for the app under test, built with the same `make_app` the CLI uses."""
    from tui.app import make_app

    store, _job_id, _ids = review_store

    def build(config=None, **kwargs):
        kwargs.setdefault("export_dir", tmp_path / "exports")
        return make_app(config or review_config, store, **kwargs)

    return build
