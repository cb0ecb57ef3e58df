"""The crawl pipeline's do-not-collect check, run in this process (not in a `scrapy crawl` child).

`test_spiders_robustness.py::test_do_not_collect_records_are_dropped` proves the drop end to end
through a real crawl; these call `StorePipeline.process_item` directly so that a mutation of
`_blocked` (which mutmut can only see in-process) fails a test.
"""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from sourcing.models import JobPosting, ProfileRecord
from sourcing.storage import Store
from spiders.pipelines import StorePipeline
from spiders.sites.greenhouse import GreenhouseSpider

pytestmark = pytest.mark.postgres


@pytest.fixture
def pipeline(db_url: str) -> Any:
    """A StorePipeline on a real store, its spider built by Scrapy's own crawler (no crawl started)."""
    crawler = get_crawler(GreenhouseSpider, {"SOURCING_DB": db_url, "SOURCING_WRITER": "inline"})
    crawler.spider = GreenhouseSpider.from_crawler(crawler, board="acme", source_key="greenhouse:acme")
    p = StorePipeline(crawler)
    p.store = Store.open(db_url)
    yield p
    p.store.close()


def _job(ext: str, url: str | None = None, kind: str = "greenhouse") -> JobPosting:
    return JobPosting(source_kind=kind, source_key=f"{kind}:acme", external_id=ext, title="Data engineer", url=url)


def test_pipeline_drops_a_do_not_collect_id_and_keeps_the_others(pipeline):
    """Mutants killed: `_blocked` returning `bool(hashes) or ...`, `not bool(hashes)`, `external_id=None`, or
    looking the hashes up under another source kind (`dnc_hashes(self.store, None)`); `process_item` raising
    `DropItem("XXdo-not-collectXX")` (the reason Scrapy logs)."""
    pipeline.store.add_do_not_collect("greenhouse", external_id="5193736007")
    with pytest.raises(DropItem, match="^do-not-collect$"):
        pipeline.process_item(_job("5193736007"))
    kept = _job("5099964007")
    assert pipeline.process_item(kept) is kept
    assert pipeline._pending == [kept]
    assert pipeline.spider.report.details == [
        {"kind": "dropped", "where": "greenhouse:5193736007", "reason": "do-not-collect"}]


def test_pipeline_drops_a_do_not_collect_url_of_a_profile(pipeline):
    """Mutant killed: `_blocked` passing `url=None` (an erased person's profile URL is collected again)."""
    pipeline.store.add_do_not_collect("github", url="https://GitHub.com/nvie/")
    person = ProfileRecord(source_kind="github", external_id="327146", url="https://github.com/nvie")
    with pytest.raises(DropItem, match="do-not-collect"):
        pipeline.process_item(person)
    other = ProfileRecord(source_kind="github", external_id="1", url="https://github.com/other")
    assert pipeline.process_item(other) is other


def test_pipeline_entries_are_per_source_kind(pipeline):
    """An entry for one source kind does not block the same id on another.

    Mutant killed: `_blocked` caching the hashes under a fixed key (`self._dnc[None] = ...`), so the
    first kind's list is reused for every kind."""
    pipeline.store.add_do_not_collect("greenhouse", external_id="42")
    with pytest.raises(DropItem):
        pipeline.process_item(_job("42"))
    lever = _job("42", kind="lever")
    assert pipeline.process_item(lever) is lever
    with pytest.raises(DropItem):
        pipeline.process_item(_job("42"))


def test_pipeline_reads_the_list_once_per_crawl(pipeline):
    """The do-not-collect list is read from the store once per source kind, not once per record
    (a crawl checks thousands of records).

    Mutants killed: `_blocked` with `hashes = None` or `self._dnc.get(None)` (the cache never hit, a query per record)."""
    pipeline.store.add_do_not_collect("greenhouse", external_id="42")
    with pytest.raises(DropItem):
        pipeline.process_item(_job("42"))
    store, pipeline.store = pipeline.store, None  # any further read of the list would fail
    try:
        with pytest.raises(DropItem, match="^do-not-collect$"):
            pipeline.process_item(_job("42"))
        kept = _job("43")
        assert pipeline.process_item(kept) is kept
    finally:
        pipeline.store = store


def test_pipeline_drops_a_posting_without_id_or_title_and_says_why(pipeline):
    """Mutants killed: `not item.external_id and (... not item.title)` (a posting with an id but no title, or a
    title but no id, stored); the recorded drop's place or reason lost or altered (`record_drop(None, ...)`,
    `record_drop(where, None)`, "XX...XX", upper case); `DropItem(None)` and altered messages."""
    for job in (JobPosting(source_kind="greenhouse", external_id="7", title=""),
                JobPosting(source_kind="greenhouse", external_id="", title="Data engineer")):
        with pytest.raises(DropItem, match="^missing external id or title$"):
            pipeline.process_item(job)
    assert pipeline._pending == []
    assert pipeline.spider.report.details == [
        {"kind": "dropped", "where": "greenhouse:7", "reason": "missing external id or title"},
        {"kind": "dropped", "where": "greenhouse:", "reason": "missing external id or title"}]
    with pytest.raises(DropItem, match="^not a JobPosting or ProfileRecord: dict$"):
        pipeline.process_item({"external_id": "8"})


def test_pipeline_off_counts_every_record_as_new(pipeline):
    """`SOURCING_PIPELINE_ENABLED=False` (the pipeline-off throughput baseline) counts each record once.

    Mutants killed: `self.report.new = 1`, `-= 1`, `+= 2`."""
    pipeline.enabled = False
    for ext in ("1", "2", "3"):
        pipeline.process_item(_job(ext))
    assert pipeline.spider.report.new == 3
