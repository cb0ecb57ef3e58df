"""Provides the Remote OK spider (`scrapy crawl remoteok [-a tag=python]`); credit and link back kept."""

from __future__ import annotations

import logging
from typing import Any, AsyncIterator

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import remoteok as parser
from spiders.parsers.common import MalformedPayload

logger = logging.getLogger(__name__)


class RemoteokSpider(SourcingSpider):
    """Reads GET /api (or /api?tag=X); element 0 is the legal notice and is not a job."""

    name = "remoteok"
    default_base_url = "https://remoteok.com"

    def __init__(self, tag: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tag = tag

    async def start(self) -> AsyncIterator[Any]:
        url = f"{self.base_url}/api" + (f"?tag={self.tag}" if self.tag else "")
        yield self.request(url, self.parse_api)

    def parse_api(self, response: Response) -> Any:
        try:
            payload = self.load_json(response)
            jobs = parser.records(payload)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        notice = parser.legal_notice(payload)
        if notice:
            logger.info("Remote OK terms: %s", notice.splitlines()[0])
        yield from self.each_record(response.url, jobs, lambda o: parser.to_job(o, source_key=self.source_key))
