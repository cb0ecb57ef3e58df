"""Tests that an unexpected exception while reading a page is counted and reported, never a silent "ok".

Found at the end of session 3: a crawl whose child lacked a module (ftfy) raised ModuleNotFoundError in
every record; Scrapy only logged it, and the run came back "ok" with 0 new and no error detail.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.http import TextResponse
from twisted.python.failure import Failure

from spiders.sites.remoteok import RemoteokSpider

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "remoteok" / "internship_hunter.json"


def test_a_record_that_breaks_the_parser_is_that_records_error_and_the_page_goes_on(site, db, crawl, open_store):
    """Mutant: without the generic `except` in `each_record`, the page's later records are lost and the
    run says 0 errors."""
    payload = json.loads(REAL.read_text(encoding="utf-8"))
    jobs = [o for o in payload if "position" in o]
    broken = dict(jobs[0], id="999", tags=5)  # an int where the API sends a list: TypeError in the parser
    site.add("/api", [payload[0], broken, *jobs])
    out = crawl({"kind": "remoteok", "base_url": site.url}, db, settings={"RETRY_ENABLED": "False"})
    assert (out.status, out.new, out.errors) == ("partial", len(jobs), 1)
    [detail] = [d for d in out.error_details if d["kind"] == "error"]
    assert detail["where"].endswith("/api #0")
    assert detail["reason"].startswith("unexpected TypeError reading this record")
    assert len(open_store(db).list_jobs(open_only=False)) == len(jobs)


def test_an_exception_escaping_a_callback_is_counted_as_that_pages_error():
    """Mutant: without the `spider_error` handler the run is "ok" with 0 items and no detail."""
    spider = RemoteokSpider(base_url="http://127.0.0.1:1")
    response = TextResponse("http://127.0.0.1:1/api", body=b"[]", encoding="utf-8")
    try:
        raise ModuleNotFoundError("No module named 'ftfy'")
    except ModuleNotFoundError:
        failure = Failure()
    spider.on_callback_error(failure, response, spider)
    spider.on_callback_error(failure, response, object())  # another spider's error is not ours
    assert spider.report.errors == 1
    assert spider.report.details == [{"kind": "error", "where": "http://127.0.0.1:1/api", "reason":
                                      "ModuleNotFoundError: No module named 'ftfy' (unexpected error while "
                                      "reading this page; details in crawl.log)"}]
