"""Provides the Greenhouse job board spider (`scrapy crawl greenhouse -a board=acme`)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import greenhouse as parser
from spiders.parsers.common import MalformedPayload


class GreenhouseSpider(SourcingSpider):
    """Reads every published posting of one board: GET /v1/boards/{board}/jobs?content=true."""

    name = "greenhouse"
    default_base_url = "https://boards-api.greenhouse.io"

    def __init__(self, board: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not board:
            raise ValueError("greenhouse needs -a board=<board token>")
        self.board = board

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(f"{self.base_url}/v1/boards/{self.board}/jobs?content=true", self.parse_board)

    def parse_board(self, response: Response) -> Any:
        try:
            jobs = parser.records(self.load_json(response))
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        yield from self.each_record(response.url, jobs, lambda o: parser.to_job(o, source_key=self.source_key, board=self.board))
