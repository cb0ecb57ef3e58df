"""Tests runs that stop badly: SIGTERM to the real `sourcing` process, kill -9 of the whole crawl tree, a dying child.

A SmartRecruiters-shaped site on 127.0.0.1 serves postings whose detail pages block
after the first two, so a crawl is reliably mid-way when it is stopped.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hostile_helpers import SOURCING

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "spiders"))
from spiders_helpers import gated_postings_site, start_site, wait_until  # noqa: E402

from sourcing.crawler import _tail  # noqa: E402
from sourcing.lock import FileLock  # noqa: E402
from sourcing.stopping import EXIT_TERMINATED, read_json  # noqa: E402
from sourcing.storage import Store  # noqa: E402

FLAGS = ["-s", "DOWNLOAD_DELAY=0.001", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "SOURCING_BATCH_SIZE=1"]


@contextmanager
def _gated_site(tmp_path: Path) -> Iterator[tuple[Path, threading.Event, threading.Event]]:
    site, server = start_site()
    reached, release, _details = gated_postings_site(site, 12, 2)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[crawl]\ncontact = "tests@example.org"\njobdir = "{tmp_path / "crawls"}"\nautothrottle = false\n'
                   'download_delay = 0.001\nretry_times = 0\n\n'
                   f'[[sources]]\nkind = "smartrecruiters"\ncompany = "acme"\nbase_url = "{site.url}"\n', encoding="utf-8")
    try:
        yield cfg, reached, release
    finally:
        release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def gated(tmp_path):
    with _gated_site(tmp_path) as (cfg, reached, _release):
        yield cfg, reached


@pytest.fixture
def gated_with_release(tmp_path):
    with _gated_site(tmp_path) as site:
        yield site


def _start(cfg: Path, db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([SOURCING, "--config", str(cfg), "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ, HF_HUB_OFFLINE="1"))


def _wait_for_two_commits(db: Path, reached) -> Store:
    assert reached.wait(120), "the crawl never reached the gated detail pages"
    wait_until(lambda: db.exists(), what="the database")
    store = Store.open(str(db))
    wait_until(lambda: len(store.list_jobs(open_only=False)) >= 2, timeout=60, what="2 committed postings")
    return store


def _crawl_pids(tmp_path: Path) -> list[int]:
    return [read_json(f).get("pid") for f in (tmp_path / "crawls").rglob("owner.json")]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] == "Z"


def test_hostile_sigterm_to_crawl_stops_the_child_records_interrupted_and_exits_143(gated, tmp_path):
    cfg, reached = gated
    db = tmp_path / "s.db"
    proc = _start(cfg, db, "crawl", "--all", *FLAGS)
    store = _wait_for_two_commits(db, reached)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_TERMINATED, err
    assert "Traceback" not in err and "Stopped by SIGTERM" in err
    (run,) = store.list_crawl_runs()
    assert run["status"] == "interrupted"
    assert run["items_new"] == len(store.list_jobs(open_only=False)) == 2  # the committed count, not 0
    assert all(_gone(pid) for pid in _crawl_pids(tmp_path))  # the scrapy child did not outlive us
    store.close()


def test_hostile_sigterm_while_the_parent_lags_on_progress_still_records_every_committed_posting(gated, tmp_path):
    """Timing-free: the progress callback holds the parent at the first commit's line until the store
    holds both commits before the gate, then SIGTERM arrives; the second commit's line is still unread
    in the pipe. Mutant (the stop closed the row with the lines read so far, never reading the rest
    while the child stopped): the row said 1 committed posting instead of 2 (CI once saw 0)."""
    import tomllib

    from sourcing.crawler import run_crawl
    from sourcing.stopping import Terminated, sigterm_raises

    cfg, _reached = gated
    (entry,) = tomllib.loads(cfg.read_text(encoding="utf-8"))["sources"]
    db = tmp_path / "s.db"
    held: list[dict] = []

    def committed() -> int:
        store = Store.open(str(db))
        try:
            return len(store.list_jobs(open_only=False))
        finally:
            store.close()

    def lag(_key: str, counts: dict) -> None:
        if counts.get("event") == "items" and not held:
            held.append(dict(counts))
            wait_until(lambda: committed() == 2, timeout=60, what="2 committed postings")
            os.kill(os.getpid(), signal.SIGTERM)  # raises Terminated here, in the main thread

    with sigterm_raises(), pytest.raises(Terminated):
        run_crawl(entry, db_url=str(db), config_path=str(cfg), jobdir_root=str(tmp_path / "crawls"), progress=lag,
                  extra_settings={"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": False,
                                  "SOURCING_BATCH_SIZE": 1, "SOURCING_WRITER": "inline"})
    assert held[0]["new"] == 1  # inline writes: one line per commit, so the second one was still unread
    store = Store.open(str(db))
    (run,) = store.list_crawl_runs()
    assert (run["status"], run["items_new"]) == ("interrupted", 2)
    store.close()


def test_hostile_sigterm_to_nightly_releases_the_lock_and_records_the_runs(gated, tmp_path):
    cfg, reached = gated
    db = tmp_path / "s.db"
    lock = tmp_path / "nightly.lock"
    proc = _start(cfg, db, "nightly", "--lock-file", str(lock), "--reports-dir", str(tmp_path / "reports"),
                  "--log-file", str(tmp_path / "nightly.log"))
    # The nightly crawl buffers 100 items per transaction: nothing is committed before the gate.
    assert reached.wait(120), "the crawl never reached the gated detail pages"
    store = Store.open(str(db))
    wait_until(lambda: len(store.list_crawl_runs()) == 1, what="the crawl_run row")
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_TERMINATED, err
    (run,) = store.list_crawl_runs()
    assert run["status"] == "interrupted" and run["items_new"] == len(store.list_jobs(open_only=False))
    assert all(_gone(pid) for pid in _crawl_pids(tmp_path))
    with FileLock(lock):  # released: the next night can run
        pass
    raw = sqlite3.connect(db)
    (status,) = raw.execute("SELECT status FROM nightly_run ORDER BY id DESC LIMIT 1").fetchone()
    raw.close()
    assert status == "interrupted"
    store.close()


def _progress_new(tmp_path: Path) -> int:
    """The committed `new` count the parent last wrote to the crawl folder (what a stale row is closed with)."""
    return sum(int(read_json(f).get("new") or 0) for f in (tmp_path / "crawls").rglob("progress.json"))


def test_hostile_kill_9_of_the_crawl_tree_leaves_a_stale_row_the_next_plain_crawl_closes(gated_with_release, tmp_path):
    """Timing-free: the kill waits until both the store and the parent's progress file hold the two
    postings committed before the gate (the gate holds every later detail page, so no third one can
    land), and the gate is opened only after the kill, so the next crawl runs to its end.
    (Killing as soon as the store held 2 postings once caught the parent before it had written the
    second one to progress.json: the stale row was closed with 1.)"""
    cfg, reached, release = gated_with_release
    db = tmp_path / "s.db"
    proc = _start(cfg, db, "crawl", "--all", *FLAGS)
    store = _wait_for_two_commits(db, reached)
    wait_until(lambda: _progress_new(tmp_path) == 2, timeout=60, what="the parent to record the 2 committed postings")
    (child,) = _crawl_pids(tmp_path)
    for pid in (proc.pid, child):  # the whole tree, as `kill -9` of a process group would
        os.kill(pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    wait_until(lambda: _gone(child), what="the scrapy child to die")
    assert [r["status"] for r in store.list_crawl_runs()] == ["running"]  # nobody was left to close it
    release.set()
    again = subprocess.run([SOURCING, "--config", str(cfg), "--db", str(db), "crawl", "--all", *FLAGS],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    first, second = sorted(store.list_crawl_runs(), key=lambda r: r["id"])
    assert first["status"] == "interrupted" and first["items_new"] == 2
    assert first["error_details"][0]["reason"] == (
        f"the crawl process (pid {child}) ended without finishing (killed?); 2 items were committed")
    assert (second["status"], second["items_new"], second["items_updated"] + second["items_unchanged"]) == ("ok", 10, 2)
    assert len(store.list_jobs(open_only=False)) == 12
    store.close()


def test_hostile_log_tail_quotes_the_real_cause_not_a_middleware_name(tmp_path):
    log = tmp_path / "crawl.log"
    log.write_text(
        "2026-12-03 [scrapy.middleware] INFO: Enabled spider middlewares:\n"
        "['scrapy.spidermiddlewares.httperror.HttpErrorMiddleware',\n"
        " 'scrapy.spidermiddlewares.referer.RefererMiddleware']\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "sqlite3.OperationalError: disk I/O error\n", encoding="utf-8")
    tail = _tail(log)
    assert "HttpErrorMiddleware" not in tail and "sqlite3.OperationalError: disk I/O error" in tail
