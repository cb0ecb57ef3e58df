"""Spider callbacks called directly on saved payloads: the items and the follow-up requests they yield."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from sourcing.models import JobPosting
from spiders.sites.arbeitnow import ArbeitnowSpider
from spiders.sites.careers import CareersSpider
from spiders.sites.github import GithubSpider
from spiders.sites.greenhouse import GreenhouseSpider
from spiders.sites.lever import LeverSpider
from spiders.sites.smartrecruiters import SmartrecruitersSpider
from spiders_helpers import fixture_path, load


def fake_response(url: str, body: bytes | str, content_type: str = "application/json", **meta) -> TextResponse:
    """A response as the downloader would hand it to the callback (hepcrawl's fake_response_from_file)."""
    data = body.encode() if isinstance(body, str) else body
    cls = HtmlResponse if "html" in content_type else TextResponse
    return cls(url=url, body=data, encoding="utf-8", headers={"Content-Type": content_type}, request=Request(url, meta=meta))


def first_requests(spider) -> list[Request]:
    async def collect():
        return [r async for r in spider.start()]
    return asyncio.run(collect())


def test_greenhouse_callback_items_and_source_key():
    spider = GreenhouseSpider(board="smarterdx", source_key="greenhouse:smarterdx")
    [start] = first_requests(spider)
    assert start.url == "https://boards-api.greenhouse.io/v1/boards/smarterdx/jobs?content=true"
    assert start.callback == spider.parse_board and start.errback == spider.on_error
    out = list(spider.parse_board(fake_response(start.url, fixture_path("real/greenhouse.json").read_bytes())))
    assert [type(i) for i in out] == [JobPosting, JobPosting]
    assert {i.source_key for i in out} == {"greenhouse:smarterdx"}


def test_callback_counts_an_html_error_page_as_an_error():
    spider = GreenhouseSpider(board="acme")
    out = list(spider.parse_board(fake_response("https://x/v1/boards/acme/jobs", "<html>Oops</html>", "text/html")))
    assert out == [] and spider.report.errors == 1
    assert spider.report.details[0]["reason"].startswith("got an HTML page instead of JSON")


def test_lever_pages_until_a_short_page_and_eu_host():
    spider = LeverSpider(site="palantir", page_size="2")
    [start] = first_requests(spider)
    assert start.url == "https://api.lever.co/v0/postings/palantir?mode=json&skip=0&limit=2"
    out = list(spider.parse_page(fake_response(start.url, json.dumps(load("real/lever.json"))), skip=0))
    nxt = [r for r in out if isinstance(r, Request)]
    assert [r.url for r in nxt] == ["https://api.lever.co/v0/postings/palantir?mode=json&skip=2&limit=2"]
    assert nxt[0].cb_kwargs == {"skip": 2}
    assert list(spider.parse_page(fake_response(nxt[0].url, "[]"), skip=2)) == []
    assert first_requests(LeverSpider(site="acme", region="eu"))[0].url.startswith("https://api.eu.lever.co/v0/postings/acme")


def test_smartrecruiters_detail_requests_carry_resume_keys():
    spider = SmartrecruitersSpider(company="LumenHealth", base_url="http://127.0.0.1:9")
    page = fake_response("http://127.0.0.1:9/v1/companies/LumenHealth/postings?limit=100&offset=0",
                         fixture_path("synthetic/smartrecruiters-list.json").read_bytes())
    reqs = list(spider.parse_list(page))
    assert [r.url for r in reqs] == ["http://127.0.0.1:9/v1/companies/LumenHealth/postings/744000012345678",
                                     "http://127.0.0.1:9/v1/companies/LumenHealth/postings/744000012345679"]
    assert all(r.meta["resume_key"] == r.url and r.callback == spider.parse_posting for r in reqs)
    [job] = list(spider.parse_posting(fake_response(reqs[0].url, fixture_path("synthetic/smartrecruiters-744000012345678.json").read_bytes()),
                                      **reqs[0].cb_kwargs))
    assert job.title == "Backend Developer (Java)" and "Spring Boot" in job.description


def test_arbeitnow_follows_next_on_our_base():
    spider = ArbeitnowSpider(base_url="http://127.0.0.1:9")
    out = list(spider.parse_page(fake_response("http://127.0.0.1:9/api/job-board-api?page=1",
                                               fixture_path("synthetic/arbeitnow-1.json").read_bytes())))
    assert [r.url for r in out if isinstance(r, Request)] == ["http://127.0.0.1:9/api/job-board-api?page=2"]


def test_github_search_pages_and_hireable_filter(monkeypatch):
    spider = GithubSpider(location="Lyon", language="python", hireable_only="true", max_users="1")
    [search] = first_requests(spider)
    assert search.url == "https://api.github.com/search/users?q=location%3ALyon%20language%3Apython&per_page=100"
    assert "Authorization" not in search.headers  # no token in the environment
    resp = TextResponse(search.url, body=json.dumps({"items": [{"login": "a"}, {"login": "b"}]}).encode(),
                        headers={"Content-Type": "application/json",
                                 "Link": '<https://api.github.com/search/users?q=x&page=2>; rel="next"'}, request=search)
    reqs = list(spider.parse_search(resp))
    assert [r.url for r in reqs] == ["https://api.github.com/users/a"]  # max_users=1: no second user, no next page
    assert reqs[0].meta["resume_key"] == "github:a"
    not_hireable = fake_response("https://api.github.com/users/a", json.dumps({"login": "a", "hireable": None}))
    assert list(spider.parse_user(not_hireable)) == [] and spider.report.skipped == 1


def test_careers_rewrites_host_and_extracts():
    spider = CareersSpider(url="https://orchard.example/careers/", base_url="http://127.0.0.1:9")
    assert spider.start_url == "http://127.0.0.1:9/careers/" and spider.allowed_domains == ["127.0.0.1"]
    page = fake_response("http://127.0.0.1:9/careers/jobs/robotics-engineer",
                         fixture_path("synthetic/careers/robotics-engineer.html").read_bytes(), "text/html; charset=utf-8")
    out = list(spider.parse_page(page))
    assert isinstance(out[0], JobPosting) and out[0].external_id == "OR-101"
    assert [r.url for r in out[1:]] == ["http://127.0.0.1:9/careers/"]


@pytest.mark.parametrize("spider, kwargs, message", [
    (GreenhouseSpider, {}, "board"), (LeverSpider, {}, "site"), (SmartrecruitersSpider, {}, "company"),
    (GithubSpider, {}, "login"), (CareersSpider, {}, "url"),
])
def test_missing_arguments_are_named(spider, kwargs, message):
    with pytest.raises(ValueError, match=message):
        spider(**kwargs)


def test_scrapy_list_from_repo_root():
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == sorted(["arbeitnow", "ashby", "careers", "github", "greenhouse", "hn_candidates", "hn_jobs",
                                         "jsonresume", "lever", "personio", "recruitee", "remoteok", "smartrecruiters", "workable"])
