"""Provides the Ashby job board spider (`scrapy crawl ashby -a name=acme`)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import ashby as parser
from spiders.parsers.common import MalformedPayload


class AshbySpider(SourcingSpider):
    """Reads a board: GET /posting-api/job-board/{name}?includeCompensation=true; unlisted jobs skipped."""

    name = "ashby"
    default_base_url = "https://api.ashbyhq.com"

    def __init__(self, name: str = "", **kwargs: Any) -> None:
        # `name` is the board's name here; the spider's own name stays "ashby".
        super().__init__(**kwargs)
        if not name:
            raise ValueError("ashby needs -a name=<job board name>")
        self.board_name = name
        self.name = "ashby"

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(f"{self.base_url}/posting-api/job-board/{self.board_name}?includeCompensation=true", self.parse_board)

    def parse_board(self, response: Response) -> Any:
        try:
            jobs = parser.records(self.load_json(response))
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        listed = [j for j in jobs if parser.is_listed(j)]
        self.report.skipped += len(jobs) - len(listed)
        yield from self.each_record(response.url, listed, lambda o: parser.to_job(o, source_key=self.source_key, name=self.board_name))
