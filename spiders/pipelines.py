"""Provides the item pipeline that writes items into the sourcing store, batched.

The store is opened from the `SOURCING_DB` setting (a path or SQLAlchemy URL) in
`open_spider` and closed in `close_spider`. Upserts are idempotent by (source,
external id) with a payload hash, so an unchanged posting is not rewritten and a
second crawl creates no duplicates; `SOURCING_BATCH_SIZE` items are buffered and
written in one transaction (postings in bulk, `sourcing.storage.crawl.upsert_jobs`). Each crawl writes one `crawl_run` row (counts, errors, status).
Records on the do-not-collect list (loaded once per crawl) are dropped (reason "do-not-collect").

With `SOURCING_WRITER = "process"` (the default) the batches are committed by a
writer child process (`spiders.writer`), so hashing and SQLite run on another
core; a batch's pages are marked done for a resume only once the writer
acknowledges its commit. `"inline"` writes in the crawl's own thread; the crawl
also falls back to it if the writer cannot start or dies.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from sourcing.fillcounts import FillCounter
from sourcing.models import JobPosting, ProfileRecord
from sourcing.storage import Store
from sourcing.storage.crawl import dnc_hashes, is_blocked
from spiders.base import CrawlReport
from spiders.middlewares import ResumeState
from spiders.writer import StoreWriter, WriterGone, write_batch

logger = logging.getLogger(__name__)
PROGRESS_PREFIX = "SOURCING-PROGRESS "


def _cpu() -> float:
    """CPU seconds used by this process so far (all threads): a load-independent cost measure."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_status(report: CrawlReport, reason: str) -> str:
    """"ok" (clean finish), "partial" (errors but items, or interrupted), "failed" (errors, nothing stored)."""
    if reason not in ("finished",) and not reason.startswith("closespider"):
        return "interrupted"
    if report.errors == 0:
        return "ok"
    return "partial" if report.items else "failed"


class StorePipeline:
    """Upserts JobPosting / ProfileRecord items into the store and records the crawl run."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        s = crawler.settings
        self.enabled = s.getbool("SOURCING_PIPELINE_ENABLED", True)
        self.db_url = s.get("SOURCING_DB")
        self.batch_size = max(1, s.getint("SOURCING_BATCH_SIZE", 100))
        self.jobdir = s.get("SOURCING_JOBDIR") or None
        self.result_file = s.get("SOURCING_RESULT_FILE") or None
        self.progress = s.getbool("SOURCING_PROGRESS", False)
        self.writer_mode = s.get("SOURCING_WRITER", "process")
        if self.writer_mode not in ("process", "inline"):
            raise ValueError(f"SOURCING_WRITER={self.writer_mode!r}: expected 'process' or 'inline'")
        self.writer: StoreWriter | None = None
        self.writer_stats: dict[str, Any] = {}
        self._loop: Any = None  # the event loop watching the writer's acknowledgements
        self.token = s.get("SOURCING_RESUME_TOKEN") or None  # a scrapyd job's run: resume state in the store
        self.resume = ResumeState(self.jobdir, self.token)
        self.store: Store | None = None
        self.run_id: int | None = None
        self._pending: list[Any] = []  # items buffered for the next transaction
        self.fill = FillCounter()  # per-field fill counts of the postings passed to the store
        self._dnc: dict[str, set[str]] = {}  # do-not-collect hashes per source kind, loaded once
        self._pending_done: list[str] = []
        self._last_progress = 0.0
        self._started = time.monotonic()
        self._cpu_started = _cpu()
        self._setup_seconds = 0.0
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        # The close reason ("finished", "shutdown", ...) is only known at spider_closed, after close_spider.
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StorePipeline":
        return cls(crawler)

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    @property
    def report(self) -> CrawlReport:
        return self.spider.report

    def open_spider(self) -> None:
        setup_started = time.monotonic()
        self._started, self._cpu_started = setup_started, _cpu()
        if not self.crawler.settings.get("SOURCING_CONTACT"):
            logger.warning("!!! crawl.contact is not set: site owners cannot reach you. "
                           "Set it with `sourcing init --contact you@example.com` or SOURCING_CRAWL__CONTACT. !!!")
        if self.enabled:
            self._open_store()
        # Scrapy, SQLAlchemy, the schema and every imported module live as long as the crawl. Moved
        # out of the collector's reach, its full collections stop re-walking them all: they cost
        # ~30-50 us per item in the crawl process (measured), more than the pipeline's own work.
        # Done with the pipeline on or off, so the off baseline is tuned the same way.
        gc.freeze()
        # Opening the store (and its first import of Alembic) is a one-off cost, reported apart
        # from the crawl's own time so that throughput figures are per item.
        self._setup_seconds = time.monotonic() - setup_started
        self._started, self._cpu_started = time.monotonic(), _cpu()

    def _open_store(self) -> None:
        """Open the store, start the `crawl_run` row and, by default, the writer process."""
        if not self.db_url:
            raise RuntimeError("SOURCING_DB is not set: pass -s SOURCING_DB=path/to/file.db")
        self.store = Store.open(self.db_url)
        self.resume.store = self.store
        self.run_id = self.store.start_crawl_run(self.spider.name, self.spider.source_key,
                                                 dict(self.spider.spider_args), jobdir=self.jobdir)
        if self.writer_mode == "process":
            try:
                self.writer = StoreWriter(self.db_url)
            except (OSError, WriterGone) as exc:
                logger.warning("store writer process unavailable (%s): writing in the crawl process", exc)
            else:
                self._watch_writer()
        self._emit({"event": "started", "run_id": self.run_id}, force=True)

    def _flush(self) -> None:
        """Write the buffered items in one transaction, then mark their pages done for a resume.

        With the writer process the batch is sent and the pages are marked when its commit
        is acknowledged (`_settle`). Inline, the write happens in the crawl's own thread (a
        writer thread was measured slower: GIL hand-offs; see the crawl benchmark).
        """
        if not self._pending and not self._pending_done:
            return
        batch, done = self._pending, self._pending_done
        self._pending, self._pending_done = [], []
        if self.writer is not None:
            try:
                self._settle(self.writer.submit(batch, (len(batch), done)))
            except WriterGone as exc:
                self._writer_lost(exc)
            return
        try:
            counts = write_batch(self.store, batch) if self.store is not None and batch else {}
        except Exception as exc:  # noqa: BLE001 - a failed transaction loses this batch only; the crawl goes on
            self.spider.record_error(f"store ({len(batch)} items)", f"{type(exc).__name__}: {exc}")
            return
        self._count(counts)
        # Only now are these pages' items durable: record them so a resume skips them.
        self.resume.mark(done)
        # Not throttled: after each commit the parent holds the exact committed counts, which is
        # what it records if this process is killed before it can close its crawl_run row.
        self._emit({"event": "items"}, force=True)

    def _count(self, counts: dict[str, int]) -> None:
        for status, n in counts.items():
            if status == "blocked":  # matched do-not-collect through another identity key
                self.report.dropped += n
            else:
                setattr(self.report, status, getattr(self.report, status) + n)

    def _settle(self, outcomes: list[tuple[Any, str, Any]]) -> None:
        """Count acknowledged batches and mark their pages done; a failed batch is an error, its pages stay to do."""
        for (size, done), kind, payload in outcomes:
            if kind == "ok":
                self._count(payload)
                self.resume.mark(done)
            else:
                self.spider.record_error(f"store ({size} items)", payload)
        if outcomes:
            self._emit({"event": "items"}, force=True)  # after commits: not throttled (see _flush)

    def _watch_writer(self) -> None:
        """Read acknowledgements as they arrive (event loop), so pages are marked done even while the crawl waits."""
        try:
            loop = asyncio.get_event_loop()
            loop.add_reader(self.writer.ack_fd, self._on_acks)
        except (RuntimeError, NotImplementedError, AttributeError):  # no asyncio reactor: read at each flush and at the end
            return
        self._loop = loop

    def _unwatch_writer(self) -> None:
        if self._loop is not None and self.writer is not None:
            self._loop.remove_reader(self.writer.ack_fd)
        self._loop = None

    def _on_acks(self) -> None:
        if self.writer is None:
            return
        try:
            self._settle(self.writer.poll())
        except WriterGone as exc:
            self._writer_lost(exc)

    def _writer_lost(self, exc: Exception) -> None:
        """The writer died: its unacknowledged batches are errors (a resume fetches them again); go on inline."""
        assert self.writer is not None
        self._unwatch_writer()
        for size, _done in self.writer.in_flight.values():
            self.spider.record_error(f"store ({size} items)", f"not confirmed by the store writer: {exc}")
        self.writer.abandon()
        self.writer = None
        logger.warning("store writer lost (%s): writing in the crawl process from now on", exc)

    def _blocked(self, item: Any) -> bool:
        kind = item.source_kind
        hashes = self._dnc.get(kind)
        if hashes is None:
            hashes = self._dnc[kind] = dnc_hashes(self.store, kind)
        # An empty list (the usual case) needs no per-item call at all.
        return bool(hashes) and is_blocked(hashes, kind, external_id=str(item.external_id), url=item.url)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, (JobPosting, ProfileRecord)):
            raise DropItem(f"not a JobPosting or ProfileRecord: {type(item).__name__}")
        if not item.external_id or (isinstance(item, JobPosting) and not item.title):
            self.spider.record_drop(f"{item.source_kind}:{item.external_id}", "missing external id or title")
            raise DropItem("missing external id or title")
        if not self.enabled:
            self.report.new += 1
            return item
        if self._blocked(item):
            self.spider.record_drop(f"{item.source_kind}:{item.external_id}", "do-not-collect")
            raise DropItem("do-not-collect")
        if isinstance(item, JobPosting):
            self.fill.add(item)
        self._pending.append(item)
        return item  # written by item_scraped's flush, so each batch carries its pages' resume keys

    def item_scraped(self, item: Any, response: Any, spider: Any = None) -> None:
        key = getattr(getattr(response, "request", None), "meta", {}).get("resume_key") if response is not None else None
        if key:
            # Marked done only once the batch holding this item is committed: late is safe, early is not.
            self._pending_done.append(key)
        if len(self._pending) >= self.batch_size:
            self._flush()

    def close_spider(self) -> None:
        self._flush()

    def spider_closed(self, spider: Any = None, reason: str = "finished") -> None:
        try:
            self._flush()
            if self.writer is not None:
                self._unwatch_writer()
                try:
                    self._settle(self.writer.close())
                    self.writer_stats = {**self.writer.stats, "wait_seconds": self.writer.wait_seconds}
                    self.writer = None
                except WriterGone as exc:
                    self._writer_lost(exc)
            status = run_status(self.report, reason)  # only now are the last batches counted
            if self.store is not None and self.run_id is not None:
                self.store.finish_crawl_run(
                    self.run_id, status=status, new=self.report.new, updated=self.report.updated,
                    unchanged=self.report.unchanged, dropped=self.report.dropped, errors=self.report.errors,
                    error_details=self.report.all_details(), field_counts=self.fill.as_dict(),
                )
        finally:
            self.resume.close()
            if self.writer is not None:  # an error above left it running
                self._unwatch_writer()
                self.writer.abandon()
            if self.store is not None:
                self.store.close()
        summary = {"run_id": self.run_id, "status": status, "finish_reason": reason,
                   "spider": self.spider.name, "source_key": self.spider.source_key,
                   **self.report.as_dict(), "error_details": self.report.all_details(),
                   "field_counts": self.fill.as_dict(),
                   "crawl_seconds": round(time.monotonic() - self._started, 3),
                   # the writer process's CPU is part of the crawl's cost; both are also given apart
                   "cpu_seconds": round(_cpu() - self._cpu_started + self.writer_stats.get("cpu_seconds", 0.0), 3),
                   "crawl_cpu_seconds": round(_cpu() - self._cpu_started, 3),
                   "writer_cpu_seconds": round(self.writer_stats.get("cpu_seconds", 0.0), 3),
                   "writer_peak_rss_mb": round(self.writer_stats.get("peak_rss_mb", 0.0), 1),
                   "writer_wait_seconds": round(self.writer_stats.get("wait_seconds", 0.0), 3),
                   "setup_seconds": round(self._setup_seconds, 3),
                   # ru_maxrss is in KiB on Linux: the child's peak memory, for the benchmark and the logs
                   "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
        if self.result_file:
            Path(self.result_file).write_text(json.dumps(summary), encoding="utf-8")
        if self.jobdir and status in ("ok", "partial", "failed"):
            Path(self.jobdir).mkdir(parents=True, exist_ok=True)
            (Path(self.jobdir) / "finished").write_text(status, encoding="utf-8")
        self._emit({"event": "finished", "status": status}, force=True)

    def _emit(self, extra: dict[str, Any], force: bool = False) -> None:
        """Print a progress line for the parent process (at most ~4 per second)."""
        if not self.progress:
            return
        now = time.monotonic()
        if not force and now - self._last_progress < 0.25:
            return
        self._last_progress = now
        sys.stdout.write(PROGRESS_PREFIX + json.dumps({**self.report.as_dict(), **extra}) + "\n")
        sys.stdout.flush()
