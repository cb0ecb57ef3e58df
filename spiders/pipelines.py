"""Provides the item pipeline that writes items into the sourcing store, batched.

The store is opened from the `SOURCING_DB` setting (a path or SQLAlchemy URL) in
`open_spider` and closed in `close_spider`. Upserts are idempotent by (source,
external id) with a payload hash, so an unchanged posting is not rewritten and a
second crawl creates no duplicates; `SOURCING_BATCH_SIZE` items are buffered and
written in one transaction (postings in bulk, `sourcing.storage.crawl.upsert_jobs`). Each crawl writes one `crawl_run` row (counts, errors, status).
Records on the do-not-collect list (loaded once per crawl) are dropped (reason "do-not-collect").
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from sourcing.models import JobPosting, ProfileRecord
from sourcing.storage import Store
from sourcing.storage.crawl import dnc_hashes, is_blocked, upsert_jobs
from spiders.base import CrawlReport
from spiders.middlewares import ResumeState

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
        self.resume = ResumeState(self.jobdir)
        self.store: Store | None = None
        self.run_id: int | None = None
        self._pending: list[Any] = []  # items buffered for the next transaction
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
        if not self.enabled:
            return
        if not self.db_url:
            raise RuntimeError("SOURCING_DB is not set: pass -s SOURCING_DB=path/to/file.db")
        self.store = Store.open(self.db_url)
        self.run_id = self.store.start_crawl_run(self.spider.name, self.spider.source_key,
                                                 dict(self.spider.spider_args), jobdir=self.jobdir)
        self._emit({"event": "started", "run_id": self.run_id}, force=True)
        # Opening the store (and its first import of Alembic) is a one-off cost, reported apart
        # from the crawl's own time so that throughput figures are per item.
        self._setup_seconds = time.monotonic() - setup_started
        self._started, self._cpu_started = time.monotonic(), _cpu()

    def _flush(self) -> None:
        """Write the buffered items in one transaction, then mark their pages done for a resume.

        Writes happen in the crawl's own thread: a separate writer thread was measured slower
        (GIL hand-offs cost more than SQLite's GIL-free part saves; see the crawl benchmark).
        """
        if not self._pending and not self._pending_done:
            return
        batch, done = self._pending, self._pending_done
        self._pending, self._pending_done = [], []
        jobs = [i for i in batch if isinstance(i, JobPosting)]
        profiles = [i for i in batch if isinstance(i, ProfileRecord)]
        try:
            if self.store is not None and batch:
                with self.store.batch():
                    results = upsert_jobs(self.store, jobs)
                    for p in profiles:
                        results.append(self.store.upsert_profile(p))
                for r in results:
                    if r.status == "blocked":  # matched do-not-collect through another identity key
                        self.report.dropped += 1
                    else:
                        setattr(self.report, r.status, getattr(self.report, r.status) + 1)
        except Exception as exc:  # noqa: BLE001 - a failed transaction loses this batch only; the crawl goes on
            self.spider.record_error(f"store ({len(batch)} items)", f"{type(exc).__name__}: {exc}")
            return
        # Only now are these pages' items durable: record them so a resume skips them.
        self.resume.mark(done)
        self._emit({"event": "items"})

    def _blocked(self, item: Any) -> bool:
        kind = item.source_kind
        if kind not in self._dnc:
            self._dnc[kind] = dnc_hashes(self.store, kind)
        return is_blocked(self._dnc[kind], kind, external_id=str(item.external_id), url=item.url)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, (JobPosting, ProfileRecord)):
            raise DropItem(f"not a JobPosting or ProfileRecord: {type(item).__name__}")
        where = f"{item.source_kind}:{item.external_id}"
        if not item.external_id or (isinstance(item, JobPosting) and not item.title):
            self.spider.record_drop(where, "missing external id or title")
            raise DropItem("missing external id or title")
        if not self.enabled:
            self.report.new += 1
            return item
        if self._blocked(item):
            self.spider.record_drop(where, "do-not-collect")
            raise DropItem("do-not-collect")
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
        status = run_status(self.report, reason)
        try:
            self._flush()
            if self.store is not None and self.run_id is not None:
                self.store.finish_crawl_run(
                    self.run_id, status=status, new=self.report.new, updated=self.report.updated,
                    unchanged=self.report.unchanged, dropped=self.report.dropped, errors=self.report.errors,
                    error_details=self.report.details,
                )
        finally:
            self.resume.close()
            if self.store is not None:
                self.store.close()
        summary = {"run_id": self.run_id, "status": status, "finish_reason": reason,
                   "spider": self.spider.name, "source_key": self.spider.source_key,
                   **self.report.as_dict(), "error_details": self.report.details,
                   "crawl_seconds": round(time.monotonic() - self._started, 3),
                   "cpu_seconds": round(_cpu() - self._cpu_started, 3),
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
