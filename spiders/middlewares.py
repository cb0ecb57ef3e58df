"""Provides the downloader middlewares: Retry-After aware retries, resume skipping, private logs.

- `RetryAfterMiddleware` replaces Scrapy's RetryMiddleware: on 429/503 it waits
  what the server's `Retry-After` asks (seconds or an HTTP date; GitHub's
  `X-RateLimit-Reset` too) before retrying, and holds every other request to that
  host meanwhile; without the header it backs off exponentially. A wait longer
  than `SOURCING_MAX_RETRY_AFTER` gives up on the request (counted as an error).
- `ResumeSkipMiddleware` skips detail pages whose items were committed before an
  interruption (`SOURCING_JOBDIR/done.txt`), so `sourcing crawl --resume` does not
  refetch them.
- `PrivateLogFormatter` keeps people's data out of the log: a dropped item is
  logged by its source and id, never by its fields.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.logformatter import LogFormatter
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(response: Response, now: float | None = None) -> float | None:
    """Return how long the server asks us to wait, from Retry-After or X-RateLimit-Reset (None = not said)."""
    now = time.time() if now is None else now
    raw = response.headers.get(b"Retry-After")
    if raw:
        text = raw.decode("latin-1").strip()
        if text.isdigit():
            return float(text)
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - now)
    if response.headers.get(b"X-RateLimit-Remaining", b"") == b"0":
        reset = response.headers.get(b"X-RateLimit-Reset", b"").decode("latin-1")
        if reset.isdigit():
            return max(0.0, float(reset) - now)
    return None


class RetryAfterMiddleware(RetryMiddleware):
    """Retries 429/5xx/timeouts, honouring Retry-After, with exponential backoff otherwise."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_retry_after = settings.getfloat("SOURCING_MAX_RETRY_AFTER", 600.0)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 120.0)
        self.not_before: dict[str, float] = {}  # host -> monotonic time before which we send nothing

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).netloc
        wait = self.not_before.get(host, 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False):
            return response
        rate_limited = response.status == 403 and response.headers.get(b"X-RateLimit-Remaining") == b"0"
        if response.status not in self.retry_http_codes and not rate_limited:
            return response
        asked = retry_after_seconds(response) if response.status in (429, 503) or rate_limited else None
        if asked is not None and asked > self.max_retry_after:
            logger.error("%s asks us to wait %.0f s (over SOURCING_MAX_RETRY_AFTER=%.0f): giving up on it",
                         request.url, asked, self.max_retry_after)
            # The errback says so: no retry was made, unlike "HTTP 429 (after retries)".
            request.meta["retry_after_refused"] = (asked, self.max_retry_after)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        attempt = retry.meta.get("retry_times", 1)
        wait = asked if asked is not None else min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        if wait > 0:
            host = urlsplit(request.url).netloc
            self.not_before[host] = max(self.not_before.get(host, 0.0), time.monotonic() + wait)
            logger.info("HTTP %s from %s: waiting %.1f s before retry %d", response.status, host, wait, attempt)
        return retry


class AlreadyFetched(IgnoreRequest):
    """A detail page whose items were committed before the crawl was interrupted."""


class ResumeState:
    """Keys of detail requests whose items are committed: a run's `done.txt`, or the store's `crawl_resume`.

    A crawl on this machine keeps them in `<jobdir>/done.txt`. A crawl with a run token (a
    scrapyd job, `SOURCING_RESUME_TOKEN`) keeps them in the store, so that another node can
    resume the run when this one dies; `store` is then the pipeline's open store.
    """

    def __init__(self, jobdir: str | os.PathLike[str] | None, token: str | None = None, store: Any = None) -> None:
        self.path = Path(jobdir) / "done.txt" if jobdir and not token else None
        self.token = token or None
        self.store = store
        self._fh: Any = None

    def load(self) -> set[str]:
        if self.token is not None:
            from sourcing.storage.resume import done_keys

            return done_keys(self.store, self.token)
        if self.path is None or not self.path.exists():
            return set()
        return {line.strip() for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()}

    def mark(self, keys: list[str]) -> None:
        """Record keys durably (the file is flushed, so they survive even a `kill -9` of this process)."""
        if not keys:
            return
        if self.token is not None:
            from sourcing.storage.resume import mark_done

            if self.store is not None:
                mark_done(self.store, self.token, keys)
            return
        if self.path is None:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        self._fh.write("".join(k + "\n" for k in keys))
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class ResumeSkipMiddleware:
    """Skips requests carrying `meta["resume_key"]` that a previous attempt of this run completed."""

    def __init__(self, jobdir: str, token: str = "", db_url: str = "") -> None:
        if token and db_url:
            from sourcing.storage import Store

            store = Store.open(db_url)
            try:
                self.done = ResumeState(None, token, store).load()
            finally:
                store.close()
        else:
            self.done = ResumeState(jobdir).load()
        if self.done:
            logger.info("resuming: %d detail pages already done will not be fetched again", len(self.done))

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ResumeSkipMiddleware":
        s = crawler.settings
        return cls(s.get("SOURCING_JOBDIR") or "", s.get("SOURCING_RESUME_TOKEN") or "", s.get("SOURCING_DB") or "")

    def process_request(self, request: Request) -> None:
        key = request.meta.get("resume_key")
        if key and key in self.done:
            raise AlreadyFetched(f"already fetched before the interruption: {request.url}")
        return None


class PrivateLogFormatter(LogFormatter):
    """Logs dropped and scraped items by source and id only (no personal fields in logs)."""

    @staticmethod
    def _name(item: Any) -> str:
        return f"{getattr(item, 'source_kind', type(item).__name__)}:{getattr(item, 'external_id', '?')}"

    def dropped(self, item: Any, exception: BaseException, response: Response | None, spider: Any = None) -> dict[str, Any]:
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped %(item)s: %(exception)s"
        entry["args"] = {"item": self._name(item), "exception": exception}
        return entry

    def scraped(self, item: Any, response: Response | None, spider: Any = None) -> dict[str, Any]:
        entry = super().scraped(item, response, spider)
        entry["msg"] = "Scraped %(item)s from %(src)s"
        entry["args"] = {"item": self._name(item), "src": getattr(response, "url", "?")}
        return entry

    def item_error(self, item: Any, exception: BaseException, response: Response | None, spider: Any = None) -> dict[str, Any]:
        entry = super().item_error(item, exception, response, spider)
        entry["msg"] = "Error processing %(item)s"
        entry["args"] = {"item": self._name(item)}
        return entry
