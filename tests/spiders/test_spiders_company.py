"""The `company = "…"` key of a source entry: validated, kept out of the source key, put on every posting."""

from __future__ import annotations

import json

import pytest
from scrapy.http import Request, TextResponse

from sourcing.errors import UsageError
from sourcing.sources import source_key, spider_args, validate_entry
from spiders.sites.ashby import AshbySpider
from spiders.sites.greenhouse import GreenhouseSpider
from spiders.sites.lever import LeverSpider
from spiders_helpers import fixture_path


def response(url: str, body: bytes) -> TextResponse:
    return TextResponse(url=url, body=body, encoding="utf-8", headers={"Content-Type": "application/json"},
                        request=Request(url))


def lever_items(**kwargs):
    spider = LeverSpider(site="palantir", source_key="lever:palantir", **kwargs)
    url = spider.page_url(0)
    return [i for i in spider.parse_page(response(url, fixture_path("real/lever.json").read_bytes()), skip=0)
            if not isinstance(i, Request)]


def test_lever_postings_carry_the_configured_company_else_the_slug():
    slug = lever_items()
    named = lever_items(company="Palantir Technologies")
    assert slug and {i.company for i in slug} == {"palantir"}  # Lever's API has no company field
    assert len(named) == len(slug) and {i.company for i in named} == {"Palantir Technologies"}
    # only the company changes
    assert [(i.external_id, i.title, i.location) for i in named] == [(i.external_id, i.title, i.location) for i in slug]


def test_ashby_postings_carry_the_configured_company():
    body = fixture_path("real/ashby.json").read_bytes()
    url = "https://api.ashbyhq.com/posting-api/job-board/openevidence?includeCompensation=true"
    plain = list(AshbySpider(name="openevidence").parse_board(response(url, body)))
    named = list(AshbySpider(name="openevidence", company="OpenEvidence Inc.").parse_board(response(url, body)))
    assert plain and {i.company for i in plain} == {"openevidence"}
    assert len(named) == len(plain) and {i.company for i in named} == {"OpenEvidence Inc."}


def test_greenhouse_configured_company_wins_over_the_api_name_and_blank_means_unset():
    body = fixture_path("real/greenhouse.json").read_bytes()
    url = "https://boards-api.greenhouse.io/v1/boards/smarterdx/jobs?content=true"
    api_names = {i.company for i in GreenhouseSpider(board="smarterdx").parse_board(response(url, body))}
    assert api_names and "smarterdx" not in api_names  # the API's company_name is used without `company`
    named = {i.company for i in GreenhouseSpider(board="smarterdx", company="SmarterDx").parse_board(response(url, body))}
    assert named == {"SmarterDx"}
    blank = {i.company for i in GreenhouseSpider(board="smarterdx", company="  ").parse_board(response(url, body))}
    assert blank == api_names


def test_company_is_validated_and_is_not_part_of_the_source_key():
    entry = {"kind": "lever", "site": "brightwave", "company": "Brightwave Labs", "base_url": "http://127.0.0.1:1"}
    validate_entry(entry)
    assert source_key(entry) == "lever:brightwave"  # naming the company keeps the key (and its history)
    assert spider_args(entry)["company"] == "Brightwave Labs"
    for kind, param in (("greenhouse", "board"), ("ashby", "name"), ("workable", "account"), ("personio", "account"),
                        ("careers", "url")):
        value = "https://acme.example/careers" if param == "url" else "acme"
        e = {"kind": kind, param: value, "company": "Acme Corp"}
        validate_entry(e)
        assert "Acme Corp" not in source_key(e)
    with pytest.raises(UsageError, match=r"source: company must be the employer's name as text.*got ''"):
        validate_entry({"kind": "lever", "site": "x", "company": ""})
    with pytest.raises(UsageError, match=r"company must be the employer's name as text.*got 3"):
        validate_entry({"kind": "ashby", "name": "x", "company": 3})
    # aggregators list many employers: one company name would be wrong for all but one
    with pytest.raises(UsageError, match="'remoteok' does not take company"):
        validate_entry({"kind": "remoteok", "company": "Acme"})
    # smartrecruiters/recruitee: `company` is still the board identifier, and the key
    assert source_key({"kind": "smartrecruiters", "company": "acme"}) == "smartrecruiters:acme"
    assert spider_args({"kind": "recruitee", "company": "acme"}) == {"company": "acme", "source_key": "recruitee:acme"}


def test_a_real_crawl_stores_the_configured_company(tmp_path):
    """Child-process crawl of the demo site's Lever board: the argument reaches the spider and the store."""
    from sourcing.crawler import run_crawl
    from sourcing.demo_site import DemoSite, load_data
    from sourcing.storage import Store

    db = tmp_path / "c.db"
    with DemoSite() as site:
        entry = {"kind": "lever", "site": "brightwave", "company": "Brightwave Labs", "base_url": site.base_url}
        outcome = run_crawl(entry, db_url=str(db), jobdir_root=str(tmp_path / "crawls"),
                            extra_settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}, timeout=120)
    assert (outcome.status, outcome.new) == ("ok", len(load_data("jobs")["lever"])), outcome
    store = Store.open(str(db))
    try:
        jobs = store.list_jobs()
        assert {(j["source_key"], j["company"]) for j in jobs} == {("lever:brightwave", "Brightwave Labs")}
        [run] = store.list_crawl_runs()
        args = run["args"] if isinstance(run["args"], dict) else json.loads(run["args"])
        assert args["company"] == "Brightwave Labs"
    finally:
        store.close()
