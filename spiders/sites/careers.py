"""Provides the generic career-site spider (`scrapy crawl careers -a url=https://acme.example/careers`).

It stays on the start URL's host, follows links up to `max_depth`, and reads
schema.org `JobPosting` records from JSON-LD blocks and microdata. Pages whose
robots.txt disallows us are never fetched (ROBOTSTXT_OBEY).
"""

from __future__ import annotations

from typing import Any, AsyncIterator
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from spiders.base import SourcingSpider
from spiders.parsers import careers as parser


class CareersSpider(SourcingSpider):
    """Crawls one career site and extracts JobPosting JSON-LD / microdata."""

    name = "careers"
    custom_settings = {"DEPTH_LIMIT": 3, "CLOSESPIDER_PAGECOUNT": 1000}

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not url:
            raise ValueError("careers needs -a url=<start page of the career site>")
        self.site_url = url  # the career site's real address: stored postings point there, not at a mirror
        if self.base_url:  # point the site's URL at another host (tests, demo), keeping its path
            base, start = urlsplit(self.base_url), urlsplit(url)
            url = urlunsplit((base.scheme, base.netloc, start.path or "/", start.query, ""))
        self.start_url = url
        self.allowed_domains = [urlsplit(url).hostname or ""]
        # Host filtering is ours: LinkExtractor's allow_domains compares netlocs, so "host:port" never matches.
        self.links = LinkExtractor(tags=("a",), attrs=("href",))

    def real_url(self, fetched: str) -> str:
        """The address a page has on the real site (`fetched` may be on the `base_url` mirror)."""
        if not self.base_url:
            return fetched
        site, got = urlsplit(self.site_url), urlsplit(fetched)
        return urlunsplit((site.scheme, site.netloc, got.path, got.query, ""))

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.start_url, self.parse_page, meta={"resume_key": self.start_url})

    def parse_page(self, response: Response) -> Any:
        if not isinstance(response, TextResponse):
            return
        postings, bad = parser.jsonld_postings(response.text)
        for reason in bad:
            self.record_error(response.url, reason)
        if not postings:
            postings = parser.microdata_postings(response.text)
        yield from self.each_record(response.url, postings, lambda o: parser.to_job(o, source_key=self.source_key, page_url=self.real_url(response.url)))
        for link in self.links.extract_links(response):
            if urlsplit(link.url).hostname != self.allowed_domains[0]:
                continue
            if link.url.lower().endswith((".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".zip", ".css", ".js")):
                continue
            yield self.request(link.url, self.parse_page, meta={"resume_key": link.url})
