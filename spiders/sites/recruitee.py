"""Provides the Recruitee spider (`scrapy crawl recruitee -a company=acme`)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import recruitee as parser
from spiders.parsers.common import MalformedPayload


class RecruiteeSpider(SourcingSpider):
    """Reads GET https://{company}.recruitee.com/api/offers."""

    name = "recruitee"

    def __init__(self, company: str = "", **kwargs: Any) -> None:
        if not company:
            raise ValueError("recruitee needs -a company=<subdomain>")
        self.default_base_url = f"https://{company}.recruitee.com"
        super().__init__(**kwargs)
        self.company = company

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(f"{self.base_url}/api/offers", self.parse_offers)

    def parse_offers(self, response: Response) -> Any:
        try:
            offers = parser.records(self.load_json(response))
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        yield from self.each_record(response.url, offers, lambda o: parser.to_job(o, source_key=self.source_key, company=self.company))
