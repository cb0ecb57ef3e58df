"""The store on PostgreSQL as on SQLite: what a new user met on Postgres (issue 14), each as a test.

Most of them run on both passes (`postgres` marker); the other failures have their tests
where their feature is tested: merging a person across sources (test_store,
test_import_batch, the jsonresume crawl in test_spiders_e2e), erasure that reaches the
disk (test_store, test_nightly_privacy, test_cli_core's forget), two review apps at once
(tests/tui/test_tui_concurrent.py).
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import metadata

import pytest

from sourcing.errors import StoreError
from sourcing.storage import Store

# Imports first, then waits on stdin: the parent releases every process at the same moment.
OPENER = "import sys\nfrom sourcing.storage import Store\nprint('ready', flush=True)\nsys.stdin.read()\nStore.open(sys.argv[1]).close()\n"


@pytest.mark.postgres
def test_processes_opening_a_fresh_store_at_once_migrate_it_once(db_url):
    """`crawl --all --parallel 4` on a new database: every child opens (and would migrate) it at once."""
    procs = [subprocess.Popen([sys.executable, "-c", OPENER, db_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.close()
    results = [(p.wait(120), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0] * 4, [err[-800:] for _, err in results]
    with Store.open(db_url) as store, store.connection() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar_one() == 1


@pytest.mark.postgres
def test_one_new_source_seen_by_two_writers_is_one_source_row(db_url):
    """Two crawls of one new board start at once: both get the same source id (no duplicate, no error)."""
    a, b = Store.open(db_url), Store.open(db_url)
    try:
        assert a.ensure_source("greenhouse", "greenhouse:acme") == b.ensure_source("greenhouse", "greenhouse:acme")
        assert [s["key"] for s in a.list_sources()] == ["greenhouse:acme"]
    finally:
        a.close()
        b.close()


def test_without_the_driver_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `sourcing[postgres]` were not installed
    with pytest.raises(StoreError, match=r"pip install 'sourcing\[postgres\]'") as info:
        Store.open("postgresql+psycopg://sourcing:s3cret@127.0.0.1:1/sourcing")
    assert "s3cret" not in info.value.msg  # the password is never echoed
    assert "postgres" in (metadata("sourcing").get_all("Provides-Extra") or [])


def test_plain_postgresql_urls_use_psycopg_3(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match="No module named 'psycopg'|import of psycopg halted"):
        Store.open("postgresql://sourcing@127.0.0.1:1/sourcing")  # not psycopg2, which we do not ship


def test_other_databases_are_refused_with_what_works():
    with pytest.raises(StoreError, match=r"runs on SQLite \(a file path\) or PostgreSQL"):
        Store.open("mysql://user:pw@127.0.0.1/db")


@pytest.mark.postgres_only
def test_an_unreachable_server_is_a_clear_error(db_url):
    from sqlalchemy.engine import make_url

    url = make_url(db_url).set(port=1).render_as_string(hide_password=False)
    with pytest.raises(StoreError, match="Is the server running") as info:
        Store.open(url)
    assert make_url(db_url).password not in info.value.msg
