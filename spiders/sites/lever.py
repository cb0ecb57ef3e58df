"""Provides the Lever postings spider (`scrapy crawl lever -a site=acme [-a region=eu]`)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import lever as parser
from spiders.parsers.common import MalformedPayload

PAGE = 100


class LeverSpider(SourcingSpider):
    """Reads a site's postings page by page: GET /v0/postings/{site}?mode=json&skip=N&limit=100."""

    name = "lever"
    default_base_url = "https://api.lever.co"

    def __init__(self, site: str = "", region: str = "", **kwargs: Any) -> None:
        if region == "eu" and not kwargs.get("base_url"):
            kwargs["base_url"] = "https://api.eu.lever.co"
        super().__init__(**kwargs)
        if not site:
            raise ValueError("lever needs -a site=<site name>")
        self.site = site
        self.page_size = int(kwargs.get("page_size", PAGE)) if str(kwargs.get("page_size", "")).isdigit() else PAGE

    def page_url(self, skip: int) -> str:
        return f"{self.base_url}/v0/postings/{self.site}?mode=json&skip={skip}&limit={self.page_size}"

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.page_url(0), self.parse_page, cb_kwargs={"skip": 0})

    def parse_page(self, response: Response, skip: int) -> Any:
        try:
            postings = parser.records(self.load_json(response))
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        yield from self.each_record(response.url, postings, lambda o: parser.to_job(o, source_key=self.source_key, site=self.site))
        if len(postings) >= self.page_size:
            yield self.request(self.page_url(skip + self.page_size), self.parse_page, cb_kwargs={"skip": skip + self.page_size})
