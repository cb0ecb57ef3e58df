"""Provides the HN "Who wants to be hired?" spider (`scrapy crawl hn_candidates [-a thread=ID]`).

People post about themselves in this thread, for this purpose: only what they
wrote is kept, with the comment's URL as provenance.
"""

from __future__ import annotations

from typing import Any

from spiders.parsers import hn as parser
from spiders.sites.hn_jobs import HNThreadSpider


class HnCandidatesSpider(HNThreadSpider):
    """Self-descriptions: `Location: / Remote: / Willing to relocate: / Technologies: / Résumé: / Email:`."""

    name = "hn_candidates"
    thread_title = "Ask HN: Who wants to be hired?"

    def build(self, hit: dict[str, Any]) -> Any:
        return parser.to_profile(hit, source_key=self.source_key)
