"""Provides the Personio XML feed spider (`scrapy crawl personio -a account=acme`)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import personio as parser
from spiders.parsers.common import MalformedPayload


class PersonioSpider(SourcingSpider):
    """Reads GET https://{account}.jobs.personio.de/xml?language=en (when the employer enabled it)."""

    name = "personio"

    def __init__(self, account: str = "", language: str = "en", **kwargs: Any) -> None:
        if not account:
            raise ValueError("personio needs -a account=<subdomain>")
        self.default_base_url = f"https://{account}.jobs.personio.de"
        super().__init__(**kwargs)
        self.account = account
        self.language = language

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(f"{self.base_url}/xml?language={self.language}", self.parse_feed)

    def parse_feed(self, response: Response) -> Any:
        try:
            positions = parser.records(response.body)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        yield from self.each_record(response.url, positions, lambda el: parser.to_job(
            el, source_key=self.source_key, account=self.account, base_url=self.default_base_url))
