"""Provides the JSON Resume spider (`scrapy crawl jsonresume -a url=https://example.com/resume.json[,…]`)."""

from __future__ import annotations

from typing import Any, AsyncIterator
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import jsonresume as parser
from spiders.parsers.common import MalformedPayload, MalformedRecord


class JsonresumeSpider(SourcingSpider):
    """Reads public resume.json documents that people published themselves."""

    name = "jsonresume"
    private_args = ("url",)

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = [u.strip() for u in url.split(",") if u.strip()]
        if not self.urls:
            raise ValueError("jsonresume needs -a url=<resume.json URL>[,<another>]")

    def fetch_url(self, url: str) -> str:
        if not self.base_url:
            return url
        base, u = urlsplit(self.base_url), urlsplit(url)
        return urlunsplit((base.scheme, base.netloc, u.path, u.query, ""))

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield self.request(self.fetch_url(url), self.parse_resume, cb_kwargs={"published_at": url}, meta={"resume_key": url})

    def parse_resume(self, response: Response, published_at: str) -> Any:
        try:
            doc = self.load_json(response)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        try:
            yield parser.to_profile(doc, source_key=self.source_key, url=published_at)
        except MalformedRecord as exc:
            self.record_drop(response.url, str(exc))
