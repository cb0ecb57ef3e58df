"""Provides the Workable spider (`scrapy crawl workable -a account=acme`)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import workable as parser
from spiders.parsers.common import MalformedPayload


class WorkableSpider(SourcingSpider):
    """Reads GET /api/v1/widget/accounts/{account}?details=true; one posting per shortcode."""

    name = "workable"
    default_base_url = "https://apply.workable.com"

    def __init__(self, account: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not account:
            raise ValueError("workable needs -a account=<account slug>")
        self.account = account

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(f"{self.base_url}/api/v1/widget/accounts/{self.account}?details=true", self.parse_account)

    def parse_account(self, response: Response) -> Any:
        try:
            payload = self.load_json(response)
            jobs = parser.merge_locations(parser.records(payload))
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        company = payload.get("name") if isinstance(payload.get("name"), str) else None
        yield from self.each_record(response.url, jobs, lambda o: parser.to_job(o, source_key=self.source_key, account=self.account, company=company))
