"""Provides `run_crawl` / `run_crawls`: each source's crawl in a child `python -m scrapy crawl` process.

Twisted's reactor cannot be restarted inside one process, and a crawl must never
take the caller (the CLI, the review app, the nightly run) down with it, so every
crawl is a child process. Nothing here imports Scrapy. The child's item pipeline
writes the store and the `crawl_run` row, prints progress lines on stdout
(`SOURCING-PROGRESS {json}`) and leaves a JSON summary in a result file that
becomes the `CrawlOutcome`.

With `crawl.scrapyd` set, the crawls run on scrapyd nodes instead (`sourcing.scrapyd`).
Resumable state lives in `<jobdir_root>/<source>/<started-at>/` (default root: the
`crawl.jobdir` setting, else `<user state dir>/crawls`). A run that finishes writes a
`finished` marker there; `resume=True` continues the newest unfinished folder of
that source (even after `kill -9`), otherwise a new folder is started.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sourcing.errors import CrawlError
from sourcing.scrapyd import run_on_nodes, scrapyd_nodes
from sourcing.sources import REGISTRY, check_allowed, redact_url, source_key, source_settings, spider_args, validate_entry
from sourcing.stopping import close_row as _close_row
from sourcing.stopping import close_stale_runs, mark_previous_interrupted, write_owner, write_progress

logger = logging.getLogger(__name__)
PROGRESS_PREFIX = "SOURCING-PROGRESS "
STDERR_TAIL = 20  # lines of the child's log quoted when it fails
Progress = Callable[[str, dict[str, Any]], None]
_LIVE: set[subprocess.Popen[str]] = set()  # crawl children running now (stopped together on SIGTERM)
_LIVE_LOCK = threading.Lock()
_stopping = threading.Event()  # set while this process stops its children (SIGTERM)


@dataclass
class CrawlOutcome:
    """What one source's crawl did.

    `status` is "ok" (no errors), "partial" (errors, but items stored, or interrupted)
    or "failed" (nothing stored, or the process crashed / timed out).
    """

    source_key: str
    spider: str
    exit_code: int
    status: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped: int = 0
    errors: int = 0
    skipped: int = 0
    error_summary: str = ""
    error_details: list[dict[str, Any]] = field(default_factory=list)
    duration: float = 0.0
    crawl_run_id: int | None = None
    jobdir: str | None = None
    resumed: bool = False
    log_file: str | None = None
    crawl_seconds: float | None = None  # time inside the crawl (without the child's start-up)
    peak_rss_mb: float | None = None  # the child's peak resident memory
    cpu_seconds: float | None = None  # CPU time of the crawl (all threads of the child, plus its store writer)
    crawl_cpu_seconds: float | None = None  # the crawl process's part of cpu_seconds
    writer_cpu_seconds: float | None = None  # the store writer process's part (0 when writing inline)
    writer_peak_rss_mb: float | None = None  # the store writer process's peak resident memory
    writer_wait_seconds: float | None = None  # of crawl_seconds, the time the crawl waited for the writer's commits
    setup_seconds: float | None = None  # opening the store in the child (one-off, not in crawl_seconds)
    field_counts: dict[str, int] | None = None  # postings stored with a date, salary, location… (None: no postings)

    @property
    def items(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def returncode(self) -> int:
        return self.exit_code


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:80] or "source"


def default_jobdir_root(config_path: str | None = None) -> Path:
    """Return the `crawl.jobdir` setting, else `<user state dir>/crawls`."""
    from sourcing.config import load_config, state_dir

    configured = load_config(config_path).get("crawl.jobdir")
    return Path(configured) if configured else state_dir() / "crawls"


def pick_jobdir(root: Path, key: str, resume: bool) -> tuple[Path, bool]:
    """Return (jobdir, resumed): the newest unfinished folder of `key` when resuming, else a new one."""
    # Folder names are source keys (a person's résumé URL, a login): only we may list them.
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    base = root / _slug(key)
    if resume and base.is_dir():
        unfinished = sorted(d for d in base.iterdir() if d.is_dir() and not (d / "finished").exists())
        if unfinished:
            return unfinished[-1], True
    if base.is_dir():  # finished or abandoned runs: their state is of no further use
        for d in base.iterdir():
            if d.is_dir():
                shutil.rmtree(d, ignore_errors=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    jobdir = base / stamp
    jobdir.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o700)
    return jobdir, False


def build_command(entry: dict[str, Any], *, db_url: str, jobdir: Path, result_file: Path,
                  extra_settings: dict[str, Any] | None = None) -> list[str]:
    """Return the child command line: `python -m scrapy crawl SPIDER -a ... -s ...` (`db_url`: see `_child_env`)."""
    sk = REGISTRY[entry["kind"]]
    cmd = [sys.executable, "-m", "scrapy", "crawl", sk.spider]
    for name, value in spider_args(entry).items():
        cmd += ["-a", f"{name}={value}"]
    settings = {
        **source_settings(entry),  # the entry's own politeness; explicit extra_settings win
        "SOURCING_JOBDIR": str(jobdir),
        "SOURCING_RESULT_FILE": str(result_file),
        "SOURCING_PROGRESS": "1",
        **(extra_settings or {}),
    }
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def _child_env(config_path: str | None, db_url: str) -> dict[str, str]:
    # The store's URL goes in the environment, not on the command line: `ps` shows every
    # user's argv, and a server URL may carry a password (spiders.settings reads SOURCING_DB).
    env = dict(os.environ, SOURCING_DB=db_url)
    env["SCRAPY_SETTINGS_MODULE"] = "spiders.settings"  # works from any working directory
    env["PYTHONUNBUFFERED"] = "1"
    if config_path:
        env["SOURCING_CONFIG"] = str(config_path)
    # The repo root must be importable even when the package is not installed.
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_crawl(entry: dict[str, Any], *, db_url: str, config_path: str | None = None, resume: bool = False,
              jobdir_root: str | None = None, extra_settings: dict[str, Any] | None = None,
              timeout: float | None = None, progress: Progress | None = None) -> CrawlOutcome:
    """Run one source's crawl in a child process and return what it did.

    Args:
        entry: a `[[sources]]` entry, e.g. {"kind": "greenhouse", "board": "acme", "base_url": "http://127.0.0.1:8000"}.
        db_url: the store the child writes (file path or SQLAlchemy URL).
        config_path: config file for the child (User-Agent, contact, politeness).
        resume: continue the newest unfinished run of this source instead of starting over.
        jobdir_root: folder of resumable state (default `crawl.jobdir` or `<user state dir>/crawls`).
        extra_settings: Scrapy settings for this crawl (`-s NAME=VALUE`), e.g. {"DOWNLOAD_DELAY": 0}.
        timeout: seconds before the child is stopped (SIGTERM, then SIGKILL 10 s later).
        progress: called as `progress(source_key, counts)` while items arrive.

    Returns:
        CrawlOutcome. A crash is an outcome with status "failed", never an exception.

    Raises:
        SourceRefusedError: the entry points at a refused site.
        UsageError: the entry is not a valid source.
    """
    if nodes := scrapyd_nodes(config_path):  # `crawl.scrapyd`: on a scrapyd node (sourcing.scrapyd)
        return run_on_nodes([entry], nodes, db_url=db_url, config_path=config_path, extra_settings=extra_settings, timeout=timeout, progress=progress)[0]
    check_allowed(entry)
    validate_entry(entry)
    key = source_key(entry)
    sk = REGISTRY[entry["kind"]]
    close_stale_runs(db_url)
    root = Path(jobdir_root) if jobdir_root else default_jobdir_root(config_path)
    try:
        jobdir, resumed = pick_jobdir(root, key, resume)
    except OSError as exc:  # a file where the folder should be, a full or read-only disk: this source fails
        raise CrawlError(f"{key}: cannot create its crawl folder under {root}: {exc.strerror or exc}", "Crawl failed") from exc
    if resumed:
        mark_previous_interrupted(db_url, jobdir)
    result_file = jobdir / f"result-{os.getpid()}-{threading.get_ident()}.json"
    result_file.unlink(missing_ok=True)
    log_file = jobdir / "crawl.log"
    cmd = build_command(entry, db_url=db_url, jobdir=jobdir, result_file=result_file, extra_settings=extra_settings)
    started = time.monotonic()
    timed_out = False
    last: dict[str, Any] = {}  # the child's latest committed counts (and its run id)
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, env=_child_env(config_path, db_url),
                                cwd=str(Path(__file__).resolve().parent.parent), text=True, bufsize=1)
        with _LIVE_LOCK:
            _LIVE.add(proc)
        write_owner(jobdir, proc.pid)
        timer = None
        if timeout is not None:
            def _stop() -> None:
                nonlocal timed_out
                timed_out = True
                _terminate(proc)
            timer = threading.Timer(timeout, _stop)
            timer.daemon = True
            timer.start()
        assert proc.stdout is not None

        def follow() -> None:
            for line in proc.stdout:
                if line.startswith(PROGRESS_PREFIX):
                    try:
                        counts = json.loads(line[len(PROGRESS_PREFIX):])
                    except ValueError:
                        continue  # a garbled progress line only costs one progress update
                    last.update(counts)
                    write_progress(jobdir, last)
                    if progress is not None:
                        _notify(progress, key, counts)

        try:
            follow()
            code = proc.wait()
        except BaseException:  # SIGTERM (Terminated), Ctrl-C: the child must not outlive us
            # The child's last commits may still be in the pipe, unread when the signal came:
            # keep reading while it stops, so the row records every committed item, not 0.
            reader = threading.Thread(target=follow, daemon=True)
            reader.start()
            _terminate(proc)
            reader.join(timeout=5)
            _close_row(db_url, last, "stopped by SIGTERM before finishing; resume with --resume")
            raise
        finally:
            with _LIVE_LOCK:
                _LIVE.discard(proc)
            if timer is not None:
                timer.cancel()
    outcome = CrawlOutcome(source_key=key, spider=sk.spider, exit_code=code, status="failed",
                           duration=round(time.monotonic() - started, 3), jobdir=str(jobdir), resumed=resumed,
                           log_file=str(log_file))
    summary = _read_summary(result_file)
    if summary:
        for name in ("new", "updated", "unchanged", "dropped", "errors", "skipped"):
            setattr(outcome, name, int(summary.get(name, 0)))
        outcome.crawl_run_id = summary.get("run_id")
        outcome.crawl_seconds = summary.get("crawl_seconds")
        outcome.peak_rss_mb = summary.get("peak_rss_mb")
        outcome.cpu_seconds = summary.get("cpu_seconds")
        outcome.crawl_cpu_seconds = summary.get("crawl_cpu_seconds")
        outcome.writer_cpu_seconds = summary.get("writer_cpu_seconds")
        outcome.writer_peak_rss_mb = summary.get("writer_peak_rss_mb")
        outcome.writer_wait_seconds = summary.get("writer_wait_seconds")
        outcome.setup_seconds = summary.get("setup_seconds")
        outcome.field_counts = summary.get("field_counts")
        outcome.error_details = list(summary.get("error_details") or [])
        outcome.status = {"ok": "ok", "partial": "partial", "interrupted": "partial"}.get(summary.get("status"), "failed")
        problems = [d for d in outcome.error_details if d.get("kind") != "skipped"]
        if problems:
            first = problems[0]
            more = f" (+{outcome.errors + outcome.dropped - 1} more)" if outcome.errors + outcome.dropped > 1 else ""
            outcome.error_summary = f"{first['where']}: {first['reason']}{more}"
        if summary.get("skip_note"):  # "skipped 1 not hireable": records left out on purpose leave a trace
            outcome.error_summary = "; ".join(x for x in (outcome.error_summary, summary["skip_note"]) if x)
        if summary.get("status") == "interrupted":
            outcome.error_summary = ("timed out; " if timed_out else "interrupted; ") + (outcome.error_summary or "resume with --resume")
    else:
        tail = _tail(log_file)
        if timed_out:
            why = "timed out"
        elif _stopping.is_set():
            why = "stopped by SIGTERM before finishing"
        elif code < 0:
            why = f"crawl process killed by {signal.Signals(-code).name} before finishing"
        else:
            why = f"crawl process exited with {code} before finishing"
        outcome.error_summary = f"{why}: {tail}" if tail else why
        outcome.crawl_run_id = last.get("run_id")
        for name in ("new", "updated", "unchanged", "dropped", "errors"):
            setattr(outcome, name, int(last.get(name) or 0))  # what was committed before it stopped
        _close_row(db_url, last, outcome.error_summary)
        if outcome.exit_code == 0:
            outcome.exit_code = 1
    if code != 0 and outcome.status == "ok":
        outcome.status = "partial"
    if progress is not None:
        _notify(progress, key, {"event": "done", "status": outcome.status, "new": outcome.new, "updated": outcome.updated,
                                "unchanged": outcome.unchanged, "dropped": outcome.dropped, "errors": outcome.errors,
                                "items": outcome.items})
    return outcome


def _notify(progress: Progress, key: str, counts: dict[str, Any]) -> None:
    """Call the caller's progress callback; its bugs must not leave a crawl running unattended."""
    try:
        progress(key, counts)
    except Exception:  # noqa: BLE001 - logged with its traceback, the crawl and its bookkeeping go on
        logger.exception("progress callback failed for %s", key)


def _terminate(proc: subprocess.Popen[str], grace: float = 10.0) -> None:
    """SIGTERM first (Scrapy closes the spider cleanly), SIGKILL if it has not stopped `grace` seconds later.

    Scrapy's graceful stop waits for requests in flight (retries, delays): the kill bounds it.
    """
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def stop_all() -> None:
    """Stop every crawl child of this process at once (on SIGTERM); each `run_crawl` then records its run."""
    _stopping.set()
    with _LIVE_LOCK:
        live = list(_LIVE)
    stoppers = [threading.Thread(target=_terminate, args=(p,), daemon=True) for p in live]
    for t in stoppers:
        t.start()
    for t in stoppers:
        t.join()


def _read_summary(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path.unlink(missing_ok=True)
    return data if isinstance(data, dict) else None


_CAUSE_RE = re.compile(r"\] (?:ERROR|CRITICAL):|^\s*[\w.]*(?:Error|Exception|Interrupt|Exit)\b(?::|$)|^\s*Killed\b")


def _tail(log_file: Path) -> str:
    """The last meaningful lines of the child's log (errors first), on one line."""
    try:
        lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-STDERR_TAIL:]
    except OSError:
        return ""
    # The real cause: Scrapy's ERROR/CRITICAL lines and a traceback's last line ("sqlite3.OperationalError: …"),
    # not any line that merely contains the word (a middleware's name, "HttpErrorMiddleware").
    errors = [ln for ln in lines if _CAUSE_RE.search(ln)]
    picked = (errors or lines)[-2:]
    return redact_url(" | ".join(ln.strip()[:300] for ln in picked))


def run_crawls(entries: Iterable[dict[str, Any]], *, db_url: str, config_path: str | None = None,
               resume: bool = False, jobdir_root: str | None = None, extra_settings: dict[str, Any] | None = None,
               timeout: float | None = None, progress: Progress | None = None, parallel: int = 1) -> list[CrawlOutcome]:
    """Run several sources' crawls (one after another, or `parallel` at a time); one failing never stops the others.

    A source that is refused or invalid becomes a "failed" outcome with the reason.

    Returns:
        One CrawlOutcome per entry, in the order given.
    """
    from sourcing.errors import SourcingError

    entries = list(entries)
    if nodes := scrapyd_nodes(config_path):  # `crawl.scrapyd`: all at once, spread over the nodes
        return run_on_nodes(entries, nodes, db_url=db_url, config_path=config_path, extra_settings=extra_settings, timeout=timeout, progress=progress)

    def one(entry: dict[str, Any]) -> CrawlOutcome:
        try:
            return run_crawl(entry, db_url=db_url, config_path=config_path, resume=resume, jobdir_root=jobdir_root,
                             extra_settings=extra_settings, timeout=timeout, progress=progress)
        except SourcingError as exc:
            try:
                key = redact_url(source_key(entry))  # a refused entry may carry credentials in a URL
            except (KeyError, TypeError):
                key = redact_url(str(entry))
            spider = REGISTRY[entry["kind"]].spider if entry.get("kind") in REGISTRY else str(entry.get("kind"))
            return CrawlOutcome(source_key=key, spider=spider, exit_code=int(exc.exit_status), status="failed", error_summary=exc.msg)

    if parallel <= 1 or len(entries) <= 1:
        return [one(e) for e in entries]
    # Open (create, switch to WAL, migrate) the store once before the crawls start together:
    # on a fresh file, connections opening it at the same moment can get SQLite's "database is
    # locked" while another sets up the file, without waiting on busy_timeout.
    from sourcing.storage import Store

    Store.open(db_url).close()
    with ThreadPoolExecutor(max_workers=min(parallel, 4)) as pool:
        try:
            return list(pool.map(one, entries))
        except BaseException:  # SIGTERM in the main thread: stop every child, each thread records its run
            stop_all()
            raise
