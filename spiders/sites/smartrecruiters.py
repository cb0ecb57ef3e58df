"""Provides the SmartRecruiters spider (`scrapy crawl smartrecruiters -a company=acme`)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import smartrecruiters as parser
from spiders.parsers.common import MalformedPayload, MalformedRecord

PAGE = 100


class SmartrecruitersSpider(SourcingSpider):
    """Reads /v1/companies/{company}/postings?limit=100&offset=N, then each posting's detail."""

    name = "smartrecruiters"
    default_base_url = "https://api.smartrecruiters.com"

    def __init__(self, company: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not company:
            raise ValueError("smartrecruiters needs -a company=<company identifier>")
        self.company = company

    def list_url(self, offset: int) -> str:
        return f"{self.base_url}/v1/companies/{self.company}/postings?limit={PAGE}&offset={offset}"

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.list_url(0), self.parse_list, cb_kwargs={"offset": 0})

    def parse_list(self, response: Response, offset: int = 0) -> Any:
        try:
            payload = self.load_json(response)
            postings = parser.records(payload)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        for i, summary in enumerate(postings):
            if not isinstance(summary, dict) or not summary.get("id"):
                self.record_drop(f"{response.url} #{i}", "smartrecruiters posting: missing 'id'")
                continue
            url = f"{self.base_url}/v1/companies/{self.company}/postings/{summary['id']}"
            # Detail pages are leaves: marked done once stored, so a resume does not refetch them.
            yield self.request(url, self.parse_posting, cb_kwargs={"summary": summary}, meta={"resume_key": url},
                               errback=self.on_detail_error)
        # The next offset follows the one we asked for: the payload's `offset` is optional (and absent on some accounts).
        nxt = parser.next_offset(payload, requested=offset)
        if nxt is not None:
            yield self.request(self.list_url(nxt), self.parse_list, cb_kwargs={"offset": nxt})

    def on_detail_error(self, failure: Any) -> Any:
        """A detail request failed (404, timeout): count the error and store what the listing has."""
        self.on_error(failure)
        summary = failure.request.cb_kwargs.get("summary") if getattr(failure, "request", None) is not None else None
        if summary is None:
            return
        try:
            yield parser.to_job(summary, source_key=self.source_key, company=self.company, detail=None)
        except MalformedRecord as exc:
            self.record_drop(failure.request.url, str(exc))

    def parse_posting(self, response: Response, summary: dict[str, Any]) -> Any:
        try:
            detail = self.load_json(response)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            detail = None  # the listing's title, company, location and dates are still worth keeping
        try:
            yield parser.to_job(summary, source_key=self.source_key, company=self.company, detail=detail if isinstance(detail, dict) else None)
        except MalformedRecord as exc:
            self.record_drop(response.url, str(exc))
