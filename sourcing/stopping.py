"""Provides hard-stop handling: SIGTERM becomes `Terminated`, and a crawl's owner file tells live runs from stale ones.

systemd sends SIGTERM on `stop` and `timeout` sends it on expiry. `sourcing nightly`
and `sourcing crawl` turn it into `Terminated` (a BaseException, so no `except
Exception` on the way swallows it): the crawl children are stopped (SIGTERM, a
then SIGKILL after 10 s),
their `crawl_run` rows are recorded `interrupted` with what was committed, the
nightly lock is released by its context manager, and the process exits 143.

Each crawl child's pid and start time go to `<jobdir>/owner.json`, its latest
committed counts to `<jobdir>/progress.json`; a `running` row whose owner is gone
(killed with `kill -9`, machine rebooted) is stale (`is_alive`).
"""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EXIT_TERMINATED = 128 + signal.SIGTERM  # 143, what shells and systemd expect
STOP_SECONDS = 30.0


class Terminated(BaseException):
    """SIGTERM reached this process: stop the children, record the runs as interrupted, exit 143."""


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, the first SIGTERM raises `Terminated` in the main thread (later ones are ignored)."""
    fired = False

    def _handler(_signum, _frame) -> None:
        nonlocal fired
        if fired:
            return  # already stopping: the stop is bounded by STOP_SECONDS
        fired = True
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, _handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def process_start(pid: int) -> str | None:
    """The kernel's start time of `pid` (field 22 of /proc/PID/stat), None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


def write_owner(jobdir: Path, pid: int) -> None:
    """Record which process runs this crawl folder's crawl."""
    (jobdir / "owner.json").write_text(json.dumps({"pid": pid, "start": process_start(pid)}), encoding="utf-8")


def write_progress(jobdir: Path, counts: dict[str, Any]) -> None:
    """Keep the crawl's latest committed counts (what a stale row is closed with)."""
    tmp = jobdir / "progress.json.tmp"
    tmp.write_text(json.dumps(counts), encoding="utf-8")
    os.replace(tmp, jobdir / "progress.json")


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_alive(jobdir: Path) -> bool | None:
    """True when the crawl owning `jobdir` still runs, False when it is gone, None when unknown (no owner file)."""
    owner = read_json(jobdir / "owner.json")
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process with that pid: compare start times below
    try:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
            return False  # a zombie: dead, only not reaped yet
    except OSError:
        pass
    start = process_start(pid)
    if start is None or owner.get("start") is None:
        return True  # no /proc: a live pid is the best we know
    return start == owner["start"]  # same pid, other start time: the pid was reused


def close_row(db_url: str, last: dict[str, Any], reason: str) -> None:
    """Close the child's `crawl_run` row as interrupted when it died before closing it (counts = what was committed)."""
    run_id = last.get("run_id")
    if run_id is None:
        return
    from sourcing.storage import Store
    from sourcing.storage.crawl_runs import close_interrupted

    try:
        store = Store.open(db_url)
    except Exception:  # noqa: BLE001 - the outcome still says why; the next crawl closes the stale row
        logging.getLogger(__name__).exception("could not record crawl run %s as interrupted", run_id)
        return
    try:
        close_interrupted(store, int(run_id), counts=last, reason=reason)
    finally:
        store.close()


def close_stale_runs(db_url: str) -> list[int]:
    """Mark `running` rows whose crawl process is gone (kill -9, reboot) `interrupted`, with their committed counts.

    A run is stale when its folder's owner (pid + start time) no longer runs; rows without
    an owner file (older versions) are left to `--resume`. Returns the ids closed.
    """
    from sourcing.storage import Store
    from sourcing.storage.crawl_runs import close_interrupted, running_runs

    store = Store.open(db_url)
    closed = []
    try:
        for run in running_runs(store):
            jobdir = Path(run["jobdir"]) if run.get("jobdir") else None
            if jobdir is None or is_alive(jobdir) is not False:
                continue
            progress = read_json(jobdir / "progress.json")
            counts = progress if progress.get("run_id") == run["id"] else {}
            pid = read_json(jobdir / "owner.json").get("pid")
            items = sum(int(counts.get(k) or 0) for k in ("new", "updated", "unchanged"))
            reason = f"the crawl process (pid {pid}) ended without finishing (killed?); {items} items were committed"
            if close_interrupted(store, run["id"], counts=counts, reason=reason):
                closed.append(run["id"])
    finally:
        store.close()
    return closed


def mark_previous_interrupted(db_url: str, jobdir: Path) -> None:
    """Close the `crawl_run` row of the attempt we resume (it died while "running")."""
    from sourcing.storage import Store

    store = Store.open(db_url)
    try:
        for run in store.list_crawl_runs(limit=50):
            if run.get("jobdir") == str(jobdir) and run.get("status") == "running":
                store.finish_crawl_run(run["id"], status="interrupted", error_details=[
                    {"kind": "error", "where": str(jobdir), "reason": "the crawl process ended without finishing; resumed"}])
    finally:
        store.close()
