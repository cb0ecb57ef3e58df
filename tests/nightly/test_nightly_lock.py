"""Tests `sourcing.lock.FileLock` across real processes (flock is per open file, so use two)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sourcing.errors import ExitStatus, LockedError
from sourcing.lock import FileLock

HOLDER = (
    "import sys; from sourcing.lock import FileLock; "
    "l = FileLock(sys.argv[1]).acquire(); print('held', flush=True); sys.stdin.read()"
)


def _hold(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_holder_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "state" / "nightly.lock"
    proc = _hold(path)
    try:
        with pytest.raises(LockedError) as info:
            FileLock(path).acquire()
        assert info.value.exit_status == ExitStatus.LOCKED
        assert f"pid {proc.pid}" in info.value.msg and str(path) in info.value.msg
        assert "another nightly run is in progress" in info.value.msg
    finally:
        proc.communicate("")
    # Released on exit: it can be taken now.
    with FileLock(path) as lock:
        assert lock.held
    assert not lock.held


def test_lock_of_a_killed_process_is_released(tmp_path: Path) -> None:
    path = tmp_path / "nightly.lock"
    proc = _hold(path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with FileLock(path) as lock:
        assert lock.holder().startswith("pid ")


PG_HOLDER = (
    "import sys; from sourcing.storage.locks import AdvisoryLock; "
    "l = AdvisoryLock(sys.argv[1]).acquire(); print('held', flush=True); sys.stdin.read()"
)


@pytest.mark.postgres_only
def test_on_postgres_the_nightly_lock_is_shared_by_every_machine(tmp_path: Path, db_url: str) -> None:
    """Another machine's run (another lock file, same store) holds the lock: this run is refused, then runs once it ends."""
    from sqlalchemy.engine import make_url

    from sourcing.config import load_config
    from sourcing.nightly import run_nightly
    from sourcing.storage import Store

    Store.open(db_url).close()
    proc = subprocess.Popen([sys.executable, "-c", PG_HOLDER, db_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    config = load_config(None, db=db_url, env={"SOURCING_RANKING__MODEL": "fake", "SOURCING_RANKING__MULTILINGUAL_MODEL": "fake"})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(LockedError) as info:
            run_nightly(config, lock_path=tmp_path / "this-machine.lock", reports_dir=tmp_path / "r", log_path=tmp_path / "n.log")
        assert info.value.exit_status == ExitStatus.LOCKED
        assert "another nightly run is in progress (server pid " in info.value.msg and "advisory lock" in info.value.msg
        assert make_url(db_url).password not in info.value.msg
    finally:
        proc.communicate("")
    # The holder's session ended: the lock is free, whichever machine asks.
    result = run_nightly(config, lock_path=tmp_path / "this-machine.lock", reports_dir=tmp_path / "r", log_path=tmp_path / "n.log")
    assert result.exit_code == 0
    assert not (tmp_path / "this-machine.lock").exists()  # no file lock was used


@pytest.mark.postgres_only
def test_an_advisory_lock_of_a_killed_process_is_released(db_url: str) -> None:
    from sourcing.storage import Store
    from sourcing.storage.locks import AdvisoryLock

    Store.open(db_url).close()
    proc = subprocess.Popen([sys.executable, "-c", PG_HOLDER, db_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The server ends the killed process's session, and its lock, as soon as it reads the closed socket.
    deadline = time.monotonic() + 60
    while True:
        try:
            lock = AdvisoryLock(db_url).acquire()
            break
        except LockedError:
            if time.monotonic() > deadline:
                raise
    assert lock.held
    lock.release()
    assert not lock.held
