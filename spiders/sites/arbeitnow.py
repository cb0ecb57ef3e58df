"""Provides the Arbeitnow spider (`scrapy crawl arbeitnow`), following `links.next`."""

from __future__ import annotations

from typing import Any, AsyncIterator
from urllib.parse import urlsplit

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import arbeitnow as parser
from spiders.parsers.common import MalformedPayload


class ArbeitnowSpider(SourcingSpider):
    """Reads GET /api/job-board-api?page=N until links.next is null."""

    name = "arbeitnow"
    default_base_url = "https://www.arbeitnow.com"

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(f"{self.base_url}/api/job-board-api?page=1", self.parse_page)

    def parse_page(self, response: Response) -> Any:
        try:
            payload = self.load_json(response)
            jobs = parser.records(payload)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        yield from self.each_record(response.url, jobs, lambda o: parser.to_job(o, source_key=self.source_key))
        nxt = parser.next_page(payload)
        if nxt:
            # The API answers absolute links on its own host; keep our base (a mirror, a test server).
            parts = urlsplit(nxt)
            yield self.request(f"{self.base_url}{parts.path}?{parts.query}", self.parse_page)
