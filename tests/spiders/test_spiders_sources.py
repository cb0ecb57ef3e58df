"""The source registry, the refusal list and spec parsing (pure, no network)."""

from __future__ import annotations

import pytest

from sourcing.errors import ExitStatus, SourceRefusedError, UsageError
from sourcing.sources import (
    REFUSED,
    REGISTRY,
    check_allowed,
    check_robots,
    find_source,
    parse_spec,
    robots_allows,
    source_key,
    spider_args,
    validate_entry,
)


@pytest.mark.parametrize("spec, entry", [
    ("greenhouse:acme", {"kind": "greenhouse", "board": "acme"}),
    ("lever:acme", {"kind": "lever", "site": "acme"}),
    ("remoteok", {"kind": "remoteok"}),
    ("arbeitnow", {"kind": "arbeitnow"}),
    ("github:location=Lyon,language=python", {"kind": "github", "location": "Lyon", "language": "python"}),
    ("github:nvie", {"kind": "github", "login": "nvie"}),
    ("careers:https://acme.example/jobs?team=eng", {"kind": "careers", "url": "https://acme.example/jobs?team=eng"}),
    ("https://boards.greenhouse.io/acme", {"kind": "greenhouse", "board": "acme"}),
    ("https://boards-api.greenhouse.io/v1/boards/acme/jobs", {"kind": "greenhouse", "board": "acme"}),
    ("https://jobs.lever.co/acme", {"kind": "lever", "site": "acme"}),
    ("https://jobs.eu.lever.co/acme", {"kind": "lever", "site": "acme", "region": "eu"}),
    ("https://jobs.ashbyhq.com/acme", {"kind": "ashby", "name": "acme"}),
    ("https://apply.workable.com/acme/", {"kind": "workable", "account": "acme"}),
    ("https://jobs.smartrecruiters.com/Acme1", {"kind": "smartrecruiters", "company": "Acme1"}),
    ("https://acme.recruitee.com/", {"kind": "recruitee", "company": "acme"}),
    ("https://acme.jobs.personio.de/", {"kind": "personio", "account": "acme"}),
    ("https://remoteok.com/remote-python-jobs", {"kind": "remoteok", "tag": "python"}),
    ("https://news.ycombinator.com/item?id=48747976", {"kind": "hn_jobs", "thread": "48747976"}),
    ("https://api.github.com/users/nvie", {"kind": "github", "login": "nvie"}),
    ("https://cv.example/me/resume.json", {"kind": "jsonresume", "url": "https://cv.example/me/resume.json"}),
    ("https://acme.example/careers", {"kind": "careers", "url": "https://acme.example/careers"}),
])
def test_parse_spec(spec, entry):
    assert parse_spec(spec) == entry
    validate_entry(entry)


@pytest.mark.parametrize("target, word", [
    ("https://www.linkedin.com/in/someone", "LinkedIn"),
    ("https://fr.linkedin.com/jobs/view/123", "LinkedIn"),
    ("linkedin:someone", "LinkedIn"),
    ("https://www.indeed.com/viewjob?jk=1", "Indeed"),
    ("https://de.indeed.com/jobs", "Indeed"),
    ("https://www.glassdoor.co.uk/Job/index.htm", "Glassdoor"),
    ("https://www.ziprecruiter.com/jobs/x", "ZipRecruiter"),
    ("https://wellfound.com/company/acme/jobs", "Wellfound"),
    ("https://angel.co/company/acme", "Wellfound"),
    ("https://weworkremotely.com/api/v1/remote-jobs", "We Work Remotely"),
    ("https://github.com/nvie", "GitHub HTML"),
])
def test_refused_with_one_line_reason(target, word):
    with pytest.raises(SourceRefusedError) as err:
        parse_spec(target)
    assert word in err.value.msg and "\n" not in err.value.msg
    assert err.value.exit_status == ExitStatus.REFUSED


def test_refusal_also_applies_to_config_entries_and_base_urls():
    with pytest.raises(SourceRefusedError):
        check_allowed({"kind": "careers", "url": "https://www.glassdoor.com/Jobs"})
    with pytest.raises(SourceRefusedError):
        validate_entry({"kind": "greenhouse", "board": "x", "base_url": "https://linkedin.com"})
    check_allowed({"kind": "github", "location": "Lyon"})  # the API is fine
    check_allowed("https://api.github.com/users/nvie")
    check_allowed("https://notlinkedin.example.com/jobs")  # only the real domains


def test_registry_is_complete():
    assert set(REGISTRY) == {"greenhouse", "lever", "ashby", "workable", "smartrecruiters", "recruitee", "personio", "remoteok",
                             "arbeitnow", "hn_jobs", "hn_candidates", "careers", "github", "jsonresume"}
    for k in REGISTRY.values():
        assert k.yields in ("jobs", "profiles") and k.reads and k.terms and k.spider == k.kind
    assert {name for name, _, _ in REFUSED} >= {"linkedin", "indeed", "glassdoor", "ziprecruiter", "wellfound", "weworkremotely", "github-html"}


@pytest.mark.parametrize("entry, message", [
    ({"kind": "nope"}, "unknown source kind 'nope'"),
    ({"kind": "greenhouse"}, "needs board"),
    ({"kind": "greenhouse", "board": "a", "site": "b"}, "does not take site"),
    ({"kind": "github"}, "needs login, location, language or query"),
    ({"kind": "careers", "url": "ftp://x"}, "must start with http"),
    ({"kind": "lever", "site": "a", "base_url": "localhost:8000"}, "base_url must start with http"),
])
def test_invalid_entries(entry, message):
    with pytest.raises(UsageError, match=message):
        validate_entry(entry)


def test_bad_specs():
    with pytest.raises(UsageError, match="unknown source kind"):
        parse_spec("monster:acme")
    with pytest.raises(UsageError, match="takes no parameter"):
        parse_spec("arbeitnow:berlin")
    with pytest.raises(UsageError, match="name=value"):
        parse_spec("github:location=Lyon,python")


def test_keys_and_spider_args():
    assert source_key({"kind": "greenhouse", "board": "acme", "base_url": "http://127.0.0.1:1"}) == "greenhouse:acme"
    assert source_key({"kind": "remoteok"}) == "remoteok"
    assert source_key({"kind": "github", "location": "Lyon", "language": "python"}) == "github:language=python,location=Lyon"
    assert source_key({"kind": "greenhouse", "board": "acme", "key": "ours"}) == "ours"
    assert spider_args({"kind": "github", "login": ["a", "b"], "base_url": "http://h"}) == {
        "login": "a,b", "base_url": "http://h", "source_key": "github:a,b"}
    entries = [{"kind": "greenhouse", "board": "acme"}, {"kind": "lever", "site": "x"}, {"kind": "lever", "site": "y"}]
    assert find_source(entries, "greenhouse:acme") is entries[0]
    assert find_source(entries, "greenhouse") is entries[0]  # unique kind
    assert find_source(entries, "lever") is None  # ambiguous


def test_robots_check():
    robots = "User-agent: *\nDisallow: /private/\n\nUser-agent: sourcing\nDisallow: /\n"
    assert robots_allows(robots, "https://a.example/careers", "othercrawler/1.0")
    assert not robots_allows(robots, "https://a.example/private/x", "othercrawler/1.0")
    assert not robots_allows(robots, "https://a.example/careers", "sourcing/0.1 (contact: x)")
    with pytest.raises(SourceRefusedError, match="robots.txt disallows"):
        check_robots(robots, "https://a.example/careers", "sourcing/0.1")
    check_robots(None, "https://a.example/careers", "sourcing/0.1")  # no robots.txt: allowed


def test_parent_side_never_imports_scrapy():
    import subprocess
    import sys

    code = "import sys, sourcing.crawler, sourcing.sources, sourcing.cli.crawl, sourcing.cli.sources; print('scrapy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_per_source_politeness_becomes_settings(tmp_path):
    from sourcing.crawler import build_command
    from sourcing.sources import source_settings

    entry = {"kind": "greenhouse", "board": "acme", "download_delay": 5, "concurrent_per_domain": 2, "max_retry_after": 60}
    validate_entry(entry)
    assert source_settings(entry) == {"DOWNLOAD_DELAY": 5.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "SOURCING_MAX_RETRY_AFTER": 60}
    assert source_key(entry) == "greenhouse:acme" and "download_delay" not in spider_args(entry)
    cmd = build_command(entry, db_url="x.db", jobdir=tmp_path, result_file=tmp_path / "r.json", extra_settings={"DOWNLOAD_DELAY": 0.5})
    assert "DOWNLOAD_DELAY=0.5" in cmd and "CONCURRENT_REQUESTS_PER_DOMAIN=2" in cmd and "DOWNLOAD_DELAY=5.0" not in cmd
    assert cmd[cmd.index("crawl") + 1] == "greenhouse" and "board=acme" in cmd
    with pytest.raises(UsageError, match="1 or 2"):
        validate_entry({"kind": "greenhouse", "board": "acme", "concurrent_per_domain": 8})
    with pytest.raises(UsageError, match="non-negative number"):
        validate_entry({"kind": "greenhouse", "board": "acme", "download_delay": "fast"})
    assert source_settings({"kind": "remoteok", "download_delay": 0}) == {"DOWNLOAD_DELAY": 0.001}
