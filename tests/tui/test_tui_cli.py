"""`sourcing review` as a command: the console script in a real pseudo-terminal, not `make_app`."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

from sourcing.storage import Store

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b[()][A-Z0-9]|\x1b[=>]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def _read_until(fd: int, wanted: bytes, limit: float = 300.0) -> bytes:
    """Read the terminal until `wanted` shows up in the text (escape codes removed).

    `limit` only turns a hang into a failure; nothing here depends on how fast the app starts.
    """
    seen = b""
    deadline = time.monotonic() + limit
    while wanted not in ANSI.sub(b"", seen):
        if time.monotonic() > deadline:
            raise AssertionError(f"{wanted!r} never appeared; the screen showed: {ANSI.sub(b'', seen)[-2000:]!r}")
        ready, _, _ = select.select([fd], [], [], 1.0)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                raise AssertionError(f"the app exited before showing {wanted!r}: {ANSI.sub(b'', seen)[-2000:]!r}")
    return seen


def test_review_command_opens_the_jobs_screen_and_quits_with_q(tmp_path):
    """`sourcing review` starts the Textual app on a real terminal, lists the jobs, and `q` exits 0.

    Mutant caught: `review` building the app without `.run()` (exit at once, nothing on screen),
    or the app not listing the store's jobs.
    """
    db = tmp_path / "s.db"
    with Store.open(str(db)) as s:
        s.add_job("Zebra wrangler", "Python and zebras")
    env = {**os.environ, "TERM": "xterm-256color", "HF_HUB_OFFLINE": "1", "NO_COLOR": "1"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the console script, as a user would run it
        os.execve(sys.executable, [sys.executable, "-c", "from sourcing.cli import main; main()", "--db", str(db), "review"], env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        _read_until(fd, b"Zebra wrangler")
        os.write(fd, b"q")
        status = None
        deadline = time.monotonic() + 300  # only turns a hang into a failure
        while status is None and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:  # drain the terminal so the app's last writes never block
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = code
        assert status is not None, "the app did not quit on q"
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def test_review_unknown_job_exits_4_before_any_ui(tmp_path):
    db = tmp_path / "s.db"
    Store.open(str(db)).close()
    r = subprocess.run([sys.executable, "-c", "from sourcing.cli import main; main()", "--db", str(db), "review", "99"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 4 and "no job with id 99" in r.stderr and "\x1b[" not in r.stdout
