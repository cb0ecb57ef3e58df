"""Provides suite-wide fixtures: isolation from the developer's real config and data, a store."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


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
def store(db_path):
    """A real SQLite store in a temporary file, closed at teardown."""
    from sourcing.storage import Store

    s = Store.open(str(db_path))
    yield s
    s.close()
