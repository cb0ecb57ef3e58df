"""Tests of the demo: the bundled site serves the real APIs' shapes; `sourcing demo --no-tui` end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from sourcing.demo_site import DemoSite, load_data
from sourcing.demo_site.server import resume_index

FIXTURES = Path(__file__).parent.parent / "fixtures" / "tui"


def get(url: str):
    with urllib.request.urlopen(url, timeout=10) as resp:
        body = resp.read().decode("utf-8")
        return (json.loads(body) if "json" in resp.headers["Content-Type"] else body)


@pytest.fixture(scope="module")
def site():
    with DemoSite() as s:
        yield s


def test_robots_allows_us(site):
    assert get(f"{site.base_url}/robots.txt") == "User-agent: *\nAllow: /\n"


def test_greenhouse_board_has_the_api_fields(site):
    data = get(f"{site.base_url}/v1/boards/brightwave/jobs?content=true")
    assert data["meta"]["total"] == len(data["jobs"]) == 4
    job = data["jobs"][0]
    for key in ("id", "title", "updated_at", "location", "absolute_url", "content", "departments", "offices",
                "company_name", "first_published"):
        assert key in job
    assert job["content"].startswith("&lt;p&gt;")  # entity-escaped HTML, as Greenhouse sends it
    with pytest.raises(urllib.error.HTTPError, match="404"):
        get(f"{site.base_url}/v1/boards/unknown/jobs")


def test_lever_board_paginates_with_skip_and_limit(site):
    first = get(f"{site.base_url}/v0/postings/brightwave?mode=json&skip=0&limit=2")
    rest = get(f"{site.base_url}/v0/postings/brightwave?mode=json&skip=2&limit=2")
    assert [len(first), len(rest)] == [2, 1]
    assert {p["id"] for p in first}.isdisjoint({p["id"] for p in rest})
    assert first[0]["lists"][1]["text"] == "Profil recherché"  # a French posting


def test_career_pages_carry_jobposting_jsonld(site):
    index = get(f"{site.base_url}/careers/")
    page = get(f"{site.base_url}/careers/machine-learning-engineer")
    for html in (index, page):
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert blocks
        docs = [json.loads(b) for b in blocks]
        flat = [d for doc in docs for d in (doc if isinstance(doc, list) else [doc])]
        assert all(d["@type"] == "JobPosting" and d["hiringOrganization"]["name"] == "Brightwave Labs" for d in flat)
    assert 'href="/careers/engineering-manager-platform"' in index


def test_github_style_api_filters_and_reports_hireable(site):
    found = get(f"{site.base_url}/search/users?q=location:lyon+language:python")
    logins = [i["login"] for i in found["items"]]
    assert found["total_count"] == len(logins) and logins
    for login in logins:
        user = get(f"{site.base_url}/users/{login}")
        assert "lyon" in user["location"].lower() and len(user["bio"]) <= 160
        repos = get(f"{site.base_url}/users/{login}/repos")
        assert "Python" in {r["language"] for r in repos}
    assert get(f"{site.base_url}/users/nhaddad")["hireable"] is False


def test_every_resume_is_valid_json_resume_and_fictional(site):
    schema = json.loads((FIXTURES / "jsonresume-schema.json").read_text(encoding="utf-8"))
    urls = get(f"{site.base_url}/resumes/index.json")
    assert urls == resume_index(site.base_url) and len(urls) >= 15
    for url in urls:
        doc = get(url)
        jsonschema.validate(doc, schema)
        assert doc["basics"]["email"].endswith("@example.org")


def test_demo_people_have_a_realistic_spread():
    people = load_data("people")["people"]
    assert 20 <= len(people) <= 40
    assert sum(p["lang"] == "fr" for p in people) >= 5
    labels = " ".join(p["label"].lower() for p in people)
    for family in ("backend", "front", "data", "site reliability", "devops", "designer", "customer success", "pâtissière"):
        assert family in labels


def test_competitor_boards_serve_the_ashby_and_greenhouse_shapes(site):
    from sourcing.demo_site.competitors import companies

    ashby = get(f"{site.base_url}/posting-api/job-board/northwind?includeCompensation=true")
    datapoint = get(f"{site.base_url}/v1/boards/datapoint/jobs?content=true")
    assert 6 <= len(ashby["jobs"]) + len(datapoint["jobs"]) <= 10
    for job in ashby["jobs"]:
        for key in ("id", "title", "isListed", "workplaceType", "jobUrl", "descriptionPlain", "compensation", "publishedAt"):
            assert key in job
    assert {j["company_name"] for j in datapoint["jobs"]} == {"Datapoint SAS"}
    assert {c["name"] for c in companies()} == {"Northwind Analytics", "Datapoint SAS"}
    text = " ".join(j["descriptionPlain"] for j in ashby["jobs"]) + " ".join(j["content"] for j in datapoint["jobs"])
    assert "Télétravail" in text and "budget formation" in text and "learning budget" in text.lower()
    assert "4-day" not in text  # the 4-day week is Brightwave's differentiator
    with pytest.raises(urllib.error.HTTPError, match="404"):
        get(f"{site.base_url}/posting-api/job-board/unknown")


def test_demo_config_says_which_sources_are_ours(tmp_path):
    from sourcing.config import load_config
    from sourcing.demo import demo_sources, own_sources, write_demo_config
    from sourcing.sources import source_key

    base = "http://127.0.0.1:1"
    own = [source_key(e) for e in own_sources(base)]
    write_demo_config(tmp_path / "config.toml", tmp_path / "demo.db", demo_sources(base), own)
    cfg = load_config(tmp_path / "config.toml")
    assert cfg.get("brand.company") == "Brightwave Labs"
    assert cfg.get("brand.own_sources") == ["greenhouse:brightwave", "lever:brightwave", "careers:brightwave"]
    by_key = {source_key(e): e for e in cfg.sources}
    assert by_key["lever:brightwave"]["company"] == "Brightwave Labs"  # Lever's API has no company field
    assert by_key["ashby:northwind"]["company"] == "Northwind Analytics"


def test_demo_removes_its_throwaway_workspace_even_when_it_fails(tmp_path, monkeypatch):
    import tempfile

    import sourcing.demo as demo
    from sourcing.errors import CrawlError

    def failing_crawl(*_args, **_kwargs):
        raise CrawlError("every demo crawl failed (test)")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(demo, "crawl_demo", failing_crawl)
    with pytest.raises(CrawlError):
        demo.run_demo(tui=False, echo=lambda _line: None, out=lambda _text: None)
    assert not list(tmp_path.glob("sourcing-demo-*"))


@pytest.mark.model
def test_sourcing_demo_no_tui_end_to_end_then_brand(tmp_path):
    """The real thing: demo site, real spiders in child processes, the packaged model, printed shortlists;
    then the brand feature on the demo workspace finds Brightwave's differentiator and gaps."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TMPDIR": str(tmp_path)}
    sourcing = str(Path(sys.executable).parent / "sourcing")  # the installed console script
    ws = tmp_path / "ws"
    proc = subprocess.run([sourcing, "demo", "--no-tui", "--top", "5", "--workdir", str(ws)], capture_output=True,
                          text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    crawled = re.findall(r"crawled (\S+)\s+(\w+)\s+new\s+(\d+)", proc.stderr)
    assert [(k, status) for k, status, _n in crawled] == [
        ("greenhouse:brightwave", "ok"), ("lever:brightwave", "ok"), ("careers:brightwave", "ok"),
        ("ashby:northwind", "ok"), ("greenhouse:datapoint", "ok"), ("github:query=type:user", "ok"),
        ("jsonresume:demo", "ok")]
    assert [int(n) for _k, _s, n in crawled] == [4, 3, 2, 5, 5, 25, 19]  # 25 hireable GitHub users, 19 résumés
    sections = {m.group(1): m.group(2) for m in re.finditer(r"^#\d+ (.+?) — .*?\n((?:  .*\n)+)", proc.stdout, re.M)}
    assert len(sections) == 9  # our own jobs only: competitors' postings are market data, not ranked
    assert "Northwind" not in proc.stdout and "Datapoint" not in proc.stdout
    assert proc.stdout.startswith("#1 Senior Backend Engineer (Python) — Brightwave Labs")  # the review opens here
    assert "Product Designer — Brightwave Labs" in proc.stdout  # a Lever posting under the configured name
    backend = sections["Senior Backend Engineer (Python)"]
    top3 = backend.splitlines()[:3]
    # Not one exact name, on purpose: the demo data has these four people written as Python
    # backend engineers who fit this job; which of them is first is not something the demo
    # promises, and it moves with legitimate ranking work (fusion weights, chunking, models)
    # that other issues land. The promise is a backend engineer on top and the pastry chef
    # out of the top 5 (next line).
    assert any(name in top3[0] for name in ("Inès Marchand", "Camille Roux", "Zoe Wright", "Tomasz Kowal"))
    assert "Amélie Dubois" not in backend  # the pastry chef is not in a backend top 5
    assert "Camille Roux" in "".join(sections["Développeur·se Backend Python"].splitlines()[:3])
    assert "Julie Bernard" in sections["Frontend Engineer (React / TypeScript)"].splitlines()[0]

    config = str(ws / "config.toml")
    insights = subprocess.run([sourcing, "--config", config, "brand", "insights", "--json"], capture_output=True,
                              text=True, env=env, timeout=300)
    assert insights.returncode == 0, insights.stderr[-3000:]
    overall = json.loads(insights.stdout)["overall"]
    assert (overall["ours"], overall["market"]) == (9, 10)
    diffs = {d["theme"]: d for d in overall["differentiators"]}
    gaps = {g["theme"]: g for g in overall["gaps"]}
    four = diffs["four_day_week"]
    assert (four["ours"], four["ours_total"], four["market"], four["market_total"]) == (6, 9, 0, 10)
    assert any(e["company"] == "Brightwave Labs" and e["url"].startswith("http://127.0.0.1:") for e in four["examples"])
    assert (gaps["remote"]["market"], gaps["remote"]["ours"]) == (10, 2)
    assert (gaps["learning_budget"]["market"], gaps["learning_budget"]["ours"]) == (9, 2)
    assert {e["company"] for e in gaps["remote"]["examples"]} & {"Northwind Analytics", "Datapoint SAS"}

    ideas = subprocess.run([sourcing, "--config", config, "brand", "ideas", "--weeks", "4"], capture_output=True,
                           text=True, env=env, timeout=300)
    assert ideas.returncode == 0, ideas.stderr[-3000:]
    spotlights = [block for block in ideas.stdout.split("\n### ")[1:] if "differentiator spotlight" in block.splitlines()[0]]
    assert spotlights and "4-day week" in spotlights[0]
    assert "6 of 9 Brightwave Labs postings state 4-day week (67%)" in spotlights[0]
    assert "0 of 10 competitor postings state it (0%)" in spotlights[0]
    salary = [block for block in ideas.stdout.split("\n### ")[1:] if "salary transparency" in block.splitlines()[0]]
    assert salary and "5 of 10 competitor postings state a salary (50%)" in salary[0]
