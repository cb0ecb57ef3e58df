"""Provides the HN "Who is hiring?" spider (`scrapy crawl hn_jobs [-a thread=ID]`), via the Algolia API."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import hn as parser
from spiders.parsers.common import MalformedPayload

HITS_PER_PAGE = 500


class HNThreadSpider(SourcingSpider):
    """Finds the latest monthly thread (or takes -a thread=ID) and reads its top-level comments."""

    default_base_url = "https://hn.algolia.com"
    thread_title = ""
    custom_settings = {"DOWNLOAD_DELAY": 1.0}  # Algolia's public API: stay well under its limits

    def __init__(self, thread: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.thread = thread

    def comments_url(self, story: str, page: int) -> str:
        return f"{self.base_url}/api/v1/search?tags=comment,story_{story}&hitsPerPage={HITS_PER_PAGE}&page={page}"

    async def start(self) -> AsyncIterator[Any]:
        if self.thread:
            yield self.request(self.comments_url(self.thread, 0), self.parse_comments, cb_kwargs={"story": self.thread, "page": 0})
        else:
            yield self.request(f"{self.base_url}/api/v1/search_by_date?tags=story,author_whoishiring&hitsPerPage=30", self.parse_stories)

    def parse_stories(self, response: Response) -> Any:
        try:
            story = parser.latest_thread(self.load_json(response), self.thread_title)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        if story is None:
            self.record_error(response.url, f"no story titled {self.thread_title!r} found")
            return
        self.thread = story
        yield self.request(self.comments_url(story, 0), self.parse_comments, cb_kwargs={"story": story, "page": 0})

    def parse_comments(self, response: Response, story: str, page: int) -> Any:
        try:
            payload = self.load_json(response)
            hits = parser.hits(payload)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        top = [h for h in hits if isinstance(h, dict) and parser.is_top_level(h, payload.get("story_id") or story)]
        self.report.skipped += len(hits) - len(top)
        yield from self.each_record(response.url, top, self.build)
        if page + 1 < int(payload.get("nbPages") or 1):
            yield self.request(self.comments_url(story, page + 1), self.parse_comments, cb_kwargs={"story": story, "page": page + 1})

    def build(self, hit: dict[str, Any]) -> Any:
        raise NotImplementedError


class HnJobsSpider(HNThreadSpider):
    """Job posts: `Company | Role | Location | REMOTE | ...` header lines."""

    name = "hn_jobs"
    thread_title = "Ask HN: Who is hiring?"

    def build(self, hit: dict[str, Any]) -> Any:
        return parser.to_job(hit, source_key=self.source_key)
