"""Tests `sourcing.lock.FileLock` across real processes (flock is per open file, so use two)."""

from __future__ import annotations

import signal
import subprocess
import sys
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
