"""A server store's do-not-collect secret is the team's: a machine with another one (or none) is refused,
and with the shared secret (copied, or SOURCING_DNC_KEY_FILE) it sees the other machine's erasures."""

from __future__ import annotations

import shutil

import pytest

from sourcing.errors import StoreError
from sourcing.storage import Store

pytestmark = pytest.mark.postgres_only


def open_as(machine, db_url, monkeypatch):
    """The store opened as another machine would: its own user data dir, so its own dnc.key."""
    monkeypatch.setenv("XDG_DATA_HOME", str(machine))
    return Store.open(db_url)


def test_a_second_machine_must_share_the_secret_to_see_the_first_ones_erasures(db_url, tmp_path, monkeypatch):
    a = open_as(tmp_path / "a", db_url, monkeypatch)
    a.add_do_not_collect("github", url="https://github.com/gone-person")
    assert a.is_do_not_collect("github", url="https://github.com/gone-person")
    a.close()
    key_a = tmp_path / "a" / "sourcing" / "dnc.key"
    assert key_a.is_file()

    b = open_as(tmp_path / "b", db_url, monkeypatch)  # no secret of its own yet
    with pytest.raises(StoreError, match="has no secret .*keyed with another .*SOURCING_DNC_KEY_FILE"):
        b.is_do_not_collect("github", url="https://github.com/gone-person")
    b.close()
    c = open_as(tmp_path / "c", db_url, monkeypatch)
    (tmp_path / "c" / "sourcing").mkdir(parents=True)
    (tmp_path / "c" / "sourcing" / "dnc.key").write_bytes(b"x" * 32)  # a secret, but not the team's
    with pytest.raises(StoreError, match="has another secret"):
        c.add_do_not_collect("github", url="https://github.com/someone-else")
    c.close()

    monkeypatch.setenv("SOURCING_DNC_KEY_FILE", str(key_a))  # the team's secret, wherever it is kept
    d = open_as(tmp_path / "d", db_url, monkeypatch)
    assert d.is_do_not_collect("github", url="https://github.com/gone-person")
    d.add_do_not_collect("github", url="https://github.com/also-gone")
    d.close()
    monkeypatch.delenv("SOURCING_DNC_KEY_FILE")
    (tmp_path / "b" / "sourcing").mkdir(parents=True)
    shutil.copy(key_a, tmp_path / "b" / "sourcing" / "dnc.key")  # copied to the second machine
    b = open_as(tmp_path / "b", db_url, monkeypatch)
    assert b.is_do_not_collect("github", url="https://github.com/also-gone")
    assert not b.is_do_not_collect("github", url="https://github.com/still-here")
    b.close()
