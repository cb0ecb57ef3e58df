"""Provides the crawl's store writer: a child process that commits the pipeline's batches.

Hashing, row building and SQLite writes were most of the pipeline's cost, and they
ran in the crawl's own process (a writer *thread* measured slower: GIL hand-offs).
`StoreWriter` starts `python -m spiders.writer DB_URL` and sends it each batch
through a pipe; the child upserts it in one transaction (`write_batch`, the same
code the in-process path runs) and acknowledges the commit with the batch's
counts. The pipeline marks a batch's pages done for a resume only on that
acknowledgement, so a `kill -9` of either process loses nothing and duplicates
nothing: unacknowledged pages are fetched again and upserted idempotently.

Messages are length-prefixed pickles over the pair of pipes private to the two
processes: ("batch", seq, records) and ("close",) one way, where a JobPosting
travels as the plain tuple of its field values (`pack`/`unpack`: a third of the
pickling and half the unpickling of dataclass instances); ("ready", pid),
("ok", seq, counts), ("error", seq, reason) and ("closed", stats) the other. At
most `max_in_flight` batches wait for acknowledgement (memory stays flat; the
crawl waits when the writer falls behind).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import time
from collections import Counter
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from sourcing.models import JobPosting, ProfileRecord

_HEADER = struct.Struct("<I")
_job_values = attrgetter(*(f.name for f in fields(JobPosting)))  # every field, in the constructor's order
_PIPE_BYTES = 1 << 20  # room for a few batches in flight (Linux default is 64 KiB)


class WriterGone(RuntimeError):
    """The writer process ended or broke its pipe; its unacknowledged batches are of unknown fate."""


def write_batch(store: Any, items: list[Any]) -> dict[str, int]:
    """Upsert one batch of JobPosting / ProfileRecord items in one transaction.

    Returns:
        Counts by upsert status ("new", "updated", "unchanged", "blocked").
    """
    from sourcing.storage.crawl import upsert_jobs

    jobs = [i for i in items if isinstance(i, JobPosting)]
    profiles = [i for i in items if isinstance(i, ProfileRecord)]
    with store.batch():
        results = upsert_jobs(store, jobs)
        results += [store.upsert_profile(p) for p in profiles]
    return dict(Counter(r.status for r in results))


def pack(items: list[Any]) -> list[Any]:
    """The batch as sent to the writer: each JobPosting as the tuple of its field values, other records as they are."""
    return [_job_values(i) if type(i) is JobPosting else i for i in items]


def unpack(records: list[Any]) -> list[Any]:
    """The inverse of `pack`."""
    return [JobPosting(*r) if type(r) is tuple else r for r in records]


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: that one carries over the crawl
    process's peak through fork and exec, which would count the crawl's memory twice."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _send(fd: int, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    head = _HEADER.pack(len(data))
    sent = os.writev(fd, [head, data])  # no copy of the batch to glue the header on
    view = memoryview(data)[max(0, sent - len(head)):]
    if sent < len(head):  # pragma: no cover - a pipe never takes less than 4 bytes of a blocking write
        os.write(fd, head[sent:])
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, n: int) -> bytearray | None:
    """Exactly n bytes read into one buffer (no chunks to join), or None at end of file."""
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = os.readv(fd, [view[got:]])
        if not k:
            return None
        got += k
    return buf


def _recv(fd: int) -> Any:
    """The next message, or None at end of file (the other process is gone)."""
    head = _read_exact(fd, _HEADER.size)
    if head is None:
        return None
    body = _read_exact(fd, _HEADER.unpack(head)[0])
    return None if body is None else pickle.loads(body)  # noqa: S301 - our own child's pipe


def _grow_pipe(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or over pipe-max-size: smaller pipe, less overlap
        pass


class StoreWriter:
    """The crawl side of the writer process: submit batches, collect acknowledgements."""

    def __init__(self, db_url: str, *, max_in_flight: int = 4) -> None:
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=root + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else ""))
        env["SOURCING_WRITER_DB"] = db_url  # not on the command line: `ps` would show a server URL's password
        # stderr is inherited (the crawl's log file); stdout is our pipe, never the crawl's progress stream
        self.proc = subprocess.Popen([sys.executable, "-m", "spiders.writer"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, bufsize=0)
        self._out, self._in = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        _grow_pipe(self._out)
        self.max_in_flight = max(1, max_in_flight)
        self.in_flight: dict[int, Any] = {}
        self._seq = 0
        self.stats: dict[str, Any] = {}
        self.wait_seconds = 0.0  # time the crawl spent blocked on the writer (a full window, the last commits)
        ready = _recv(self._in)
        if not (isinstance(ready, tuple) and ready[0] == "ready"):
            self.abandon()
            raise WriterGone(f"store writer did not start (exit code {self.proc.returncode}); see the crawl log")

    def submit(self, items: list[Any], tag: Any) -> list[tuple[Any, str, Any]]:
        """Send one batch; `tag` comes back with its outcome. Returns the outcomes that arrived meanwhile."""
        self._seq += 1
        self.in_flight[self._seq] = tag
        try:
            _send(self._out, ("batch", self._seq, pack(items)))
        except OSError as exc:
            raise WriterGone(f"store writer pipe broken: {exc}") from exc
        return self.poll(wait=len(self.in_flight) >= self.max_in_flight)

    @property
    def ack_fd(self) -> int:
        """The descriptor acknowledgements arrive on (readable at end of file too), for an event loop."""
        return self._in

    def poll(self, *, wait: bool = False) -> list[tuple[Any, str, Any]]:
        """Collect acknowledgements: (tag, "ok", counts) or (tag, "error", reason); `wait` blocks for one.

        Raises:
            WriterGone: the writer ended (its pipe is at end of file) or sent something unexpected.
        """
        done = []
        blocked = time.monotonic() if wait and self.in_flight else None
        while (wait and self.in_flight) or select.select([self._in], [], [], 0)[0]:
            message = _recv(self._in)
            if message is None or message[0] not in ("ok", "error") or message[1] not in self.in_flight:
                raise WriterGone(f"store writer ended (exit code {self.proc.poll()})")
            done.append((self.in_flight.pop(message[1]), message[0], message[2]))
            wait = False
        if blocked is not None:
            self.wait_seconds += time.monotonic() - blocked
        return done

    def close(self, timeout: float = 600) -> list[tuple[Any, str, Any]]:
        """Ask the writer to finish, wait for every acknowledgement and its exit; returns the last outcomes."""
        done = []
        blocked = time.monotonic()
        try:
            _send(self._out, ("close",))
            while True:
                message = _recv(self._in)
                if message is None:
                    raise WriterGone(f"store writer ended before closing (exit code {self.proc.poll()})")
                if message[0] == "closed":
                    self.stats = message[1]
                    break
                done.append((self.in_flight.pop(message[1]), message[0], message[2]))
        except OSError as exc:
            raise WriterGone(f"store writer pipe broken: {exc}") from exc
        finally:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
            self.wait_seconds += time.monotonic() - blocked
        return done

    def abandon(self) -> None:
        """Stop the writer without waiting for its batches (after an error on our side)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for fh in (self.proc.stdin, self.proc.stdout):
            fh.close()


def serve(db_url: str, inp: int = 0, out: int = 1) -> int:
    """The writer process: open the store, then upsert and acknowledge batches until "close" or end of input."""
    from sourcing.storage import Store

    store = Store.open(db_url)
    gc.freeze()  # SQLAlchemy and the schema stay for the whole run: out of the full collections' walk
    try:
        _send(out, ("ready", os.getpid()))
        cpu_started, started, batches = _cpu(), time.monotonic(), 0
        while (message := _recv(inp)) is not None and message[0] != "close":
            _, seq, records = message
            try:
                reply = ("ok", seq, write_batch(store, unpack(records)))
            except Exception as exc:  # noqa: BLE001 - a failed transaction loses this batch only; the crawl goes on
                reply = ("error", seq, f"{type(exc).__name__}: {exc}")
            try:
                _send(out, reply)
            except BrokenPipeError:  # the crawl process is gone: nothing more to acknowledge
                return 0
            batches += 1
        if message is None:  # the crawl process is gone (e.g. killed): nothing to report to
            return 0
        _send(out, ("closed", {"cpu_seconds": _cpu() - cpu_started, "seconds": time.monotonic() - started, "batches": batches,
                               "peak_rss_mb": _peak_rss_mb()}))
    finally:
        store.close()
    return 0


def main(argv: list[str]) -> None:
    """Serve, then end without the interpreter's teardown.

    The store is closed and every acknowledgement sent by then; tearing down the modules
    took ~90 ms that the crawl spent waiting for the writer's exit at its close.
    """
    code = serve(os.environ["SOURCING_WRITER_DB"])
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv)
