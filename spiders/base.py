"""Provides the base spider: source arguments, the crawl report, and error accounting.

Every spider takes `-a source_key=…` (set by `sourcing.crawler`), `-a base_url=…`
(overrides the API host: tests, demos, self-hosted mirrors) and, for job boards,
`-a company=…` (the employer's name put on every posting, from the source entry's
`company` key; APIs such as Lever's carry none, so without it the board's slug is
used). Problems never stop a crawl: a malformed record is dropped and counted, a bad
payload or an HTTP failure is counted as an error with its URL and reason, and the
rest goes on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Iterator

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spiders.parsers.common import MalformedPayload

logger = logging.getLogger(__name__)
MAX_DETAILS = 50  # error details kept per run; the counts stay exact


@dataclass
class CrawlReport:
    """Counts of one crawl, written to its `crawl_run` row at the end."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped: int = 0
    errors: int = 0
    skipped: int = 0  # e.g. unlisted postings, detail pages already fetched before a resume
    details: list[dict[str, Any]] = field(default_factory=list)
    skip_reasons: dict[str, int] = field(default_factory=dict)  # "not hireable" -> 3

    @property
    def items(self) -> int:
        return self.new + self.updated + self.unchanged

    def add(self, kind: str, where: str, reason: str) -> None:
        if kind == "error":
            self.errors += 1
        else:
            self.dropped += 1
        if len(self.details) < MAX_DETAILS:
            self.details.append({"kind": kind, "where": where, "reason": reason})

    def skip(self, reason: str) -> None:
        """Count a record left out on purpose (not hireable, unlisted), by reason, so the run says so."""
        self.skipped += 1
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + 1

    def skip_note(self) -> str:
        """"skipped 2 not hireable, 1 unlisted" (empty when nothing was skipped for a reason)."""
        parts = [f"{n} {reason}" for reason, n in sorted(self.skip_reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
        return f"skipped {', '.join(parts)}" if parts else ""

    def all_details(self) -> list[dict[str, Any]]:
        """Error/drop details, then one "skipped" entry per reason (what `crawl_run.error_details` keeps)."""
        return self.details + [{"kind": "skipped", "where": "", "reason": reason, "count": n}
                               for reason, n in sorted(self.skip_reasons.items())]

    def as_dict(self) -> dict[str, Any]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "dropped": self.dropped,
                "errors": self.errors, "skipped": self.skipped, "items": self.items, "skip_note": self.skip_note()}


class SourcingSpider(scrapy.Spider):
    """Base of every sourcing spider (not a spider itself: it has no name)."""

    default_base_url: str = ""
    private_args: tuple[str, ...] = ()  # arguments that identify people: not written to crawl_run

    def __init__(self, *args: Any, base_url: str | None = None, source_key: str | None = None,
                 company: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        # Not `self.company`: recruitee/smartrecruiters use that name for their board identifier.
        self.company_name = (company or "").strip() or None
        self.source_key = source_key or self.name
        self.report = CrawlReport()
        self.spider_args: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "SourcingSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        # A callback that raises something unexpected (a parser bug, an import missing on the node)
        # must not end as an "ok" run with 0 items: Scrapy only logs it, so count it as an error.
        crawler.signals.connect(spider.on_callback_error, signal=scrapy.signals.spider_error)
        # Recorded in the crawl_run row. No secret is ever an argument; arguments naming people
        # (résumé URLs, GitHub logins) are recorded as a count, so erasing a person leaves no trace there.
        spider.spider_args = {k: (f"<{len(str(v).split(','))} value(s)>" if k in cls.private_args else v)
                              for k, v in kwargs.items() if k != "source_key"}  # the key has its own column
        return spider

    # --- problems ------------------------------------------------------------------
    def record_error(self, where: str, reason: str) -> None:
        """Count an error (bad payload, HTTP failure) with the URL and the reason."""
        logger.error("%s: %s", where, reason)
        self.report.add("error", where, reason)
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value("sourcing/errors")

    def record_drop(self, where: str, reason: str) -> None:
        """Count a dropped record (malformed, do-not-collect) with where it came from and why."""
        logger.warning("dropped record at %s: %s", where, reason)
        self.report.add("dropped", where, reason)
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value("sourcing/dropped")

    def on_error(self, failure: Failure) -> None:
        """Errback of every request: count the failure (after retries) and go on."""
        request = failure.request if hasattr(failure, "request") else None
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            response = failure.value.response
            refused = response.request.meta.get("retry_after_refused") if response.request is not None else None
            if refused:
                self.record_error(response.url, f"HTTP {response.status}: asked to wait {refused[0]:.0f} s, over "
                                                f"crawl.max_retry_after ({refused[1]:.0f} s); not retried")
            elif response.request is not None and response.request.meta.get("retry_times"):
                self.record_error(response.url, f"HTTP {response.status} (after {response.request.meta['retry_times']} retries)")
            else:
                self.record_error(response.url, f"HTTP {response.status}")
            return
        from spiders.middlewares import AlreadyFetched

        if failure.check(AlreadyFetched):
            self.report.skipped += 1
            return
        from scrapy.exceptions import IgnoreRequest

        if failure.check(IgnoreRequest):
            reason = str(failure.value) or "request ignored"
            if "robots" in reason.lower() or "Forbidden by robots.txt" in reason:
                reason = "robots.txt disallows this URL for our crawler; not fetched"
            self.record_error(url, reason)
            return
        self.record_error(url, f"{failure.type.__name__}: {failure.getErrorMessage()}")

    def on_callback_error(self, failure: Failure, response: Response, spider: Any) -> None:
        """`spider_error` handler: an exception escaped a callback; the page is counted as an error."""
        if spider is not self:
            return
        self.record_error(response.url, f"{failure.type.__name__}: {failure.getErrorMessage()} "
                                        "(unexpected error while reading this page; details in crawl.log)")

    # --- payload helpers -----------------------------------------------------------
    def load_json(self, response: Response) -> Any:
        """Decode a JSON body, or raise MalformedPayload saying what came instead."""
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        body = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        if "html" in ctype or body.lstrip()[:1] == "<":
            raise MalformedPayload(f"got an HTML page instead of JSON (HTTP {response.status}, {ctype or 'no content type'})")
        try:
            return json.loads(body)
        except json.JSONDecodeError as exc:
            raise MalformedPayload(f"malformed or truncated JSON: {exc.msg} (char {exc.pos} of {len(body)})") from exc

    def each_record(self, where: str, records: list[Any], build: Any) -> Iterator[Any]:
        """Yield `build(record)` for each record; a malformed one is dropped and counted.

        A job posting gets the configured company name (`-a company=…`) when one was given.
        """
        from sourcing.models import JobPosting
        from spiders.parsers.common import MalformedRecord

        for i, rec in enumerate(records):
            try:
                item = build(rec)
            except MalformedRecord as exc:
                self.record_drop(f"{where} #{i}", str(exc))
                continue
            except Exception as exc:  # noqa: BLE001 - one record's surprise must not lose the rest of the page
                logger.exception("unexpected error reading %s #%d", where, i)
                self.record_error(f"{where} #{i}", f"unexpected {type(exc).__name__} reading this record: {exc}")
                continue
            if item is not None:
                if self.company_name and isinstance(item, JobPosting):
                    item.company = self.company_name
                yield item

    def request(self, url: str, callback: Any, *, errback: Any = None, **kwargs: Any) -> scrapy.Request:
        """A request whose failures are counted (errback, `on_error` unless given) rather than lost."""
        return scrapy.Request(url, callback=callback, errback=errback or self.on_error, **kwargs)
