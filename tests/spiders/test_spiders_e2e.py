"""One end-to-end crawl per spider: a real server on 127.0.0.1, the real `python -m scrapy crawl` child,
a temporary SQLite file; then a second crawl of the same data must create no duplicates."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from spiders_helpers import Site, fixture_path, load, replay_body


def _greenhouse(site: Site) -> dict[str, Any]:
    site.add("/v1/boards/smarterdx/jobs", load("real/greenhouse.json"))
    return {"kind": "greenhouse", "board": "smarterdx"}


def _lever(site: Site) -> dict[str, Any]:
    postings = load("real/lever.json")
    # page size 1: three pages (1, 1, then an empty one) exercise skip/limit pagination
    site.add("/v0/postings/palantir?mode=json&skip=0&limit=1", postings[:1])
    site.add("/v0/postings/palantir?mode=json&skip=1&limit=1", postings[1:])
    site.add("/v0/postings/palantir?mode=json&skip=2&limit=1", [])
    return {"kind": "lever", "site": "palantir", "page_size": 1}


def _ashby(site: Site) -> dict[str, Any]:
    payload = load("real/ashby.json")
    payload["jobs"].append(dict(payload["jobs"][0], id="hidden-1", title="Unlisted role", isListed=False))
    site.add("/posting-api/job-board/openevidence", payload)
    return {"kind": "ashby", "name": "openevidence"}


def _remoteok(site: Site) -> dict[str, Any]:
    site.add("/api", load("real/remoteok.json"))
    return {"kind": "remoteok"}


def _arbeitnow(site: Site) -> dict[str, Any]:
    site.add("/api/job-board-api?page=1", load("synthetic/arbeitnow-1.json"))
    site.add("/api/job-board-api?page=2", load("synthetic/arbeitnow-2.json"))
    return {"kind": "arbeitnow"}


def _workable(site: Site) -> dict[str, Any]:
    site.add("/api/v1/widget/accounts/fjord", load("synthetic/workable.json"))
    return {"kind": "workable", "account": "fjord"}


def _smartrecruiters(site: Site) -> dict[str, Any]:
    site.add("/v1/companies/LumenHealth/postings?limit=100&offset=0", load("synthetic/smartrecruiters-list.json"))
    for pid in ("744000012345678", "744000012345679"):
        site.add(f"/v1/companies/LumenHealth/postings/{pid}", load(f"synthetic/smartrecruiters-{pid}.json"))
    return {"kind": "smartrecruiters", "company": "LumenHealth"}


def _recruitee(site: Site) -> dict[str, Any]:
    site.add("/api/offers", load("synthetic/recruitee.json"))
    return {"kind": "recruitee", "company": "tulipcode"}


def _personio(site: Site) -> dict[str, Any]:
    site.add("/xml?language=en", fixture_path("synthetic/personio.xml").read_bytes(), content_type="application/xml")
    return {"kind": "personio", "account": "kranich"}


def _hn_jobs(site: Site) -> dict[str, Any]:
    rec = load("real/hn.json")
    site.add(f"/api/v1/search?tags=comment,story_{rec['story_id']}&hitsPerPage=500&page=0",
             {"hits": rec["hits"], "nbHits": len(rec["hits"]), "page": 0, "nbPages": 1, "hitsPerPage": 500})
    return {"kind": "hn_jobs", "thread": str(rec["story_id"])}


def _hn_candidates(site: Site) -> dict[str, Any]:
    site.add("/api/v1/search_by_date", load("synthetic/hn-stories.json"))
    site.add("/api/v1/search?tags=comment,story_49100000&hitsPerPage=500&page=0", load("synthetic/hn-hired.json"))
    return {"kind": "hn_candidates"}


def _careers(site: Site) -> dict[str, Any]:
    pages = {"/careers/": "index", "/careers/jobs/robotics-engineer": "robotics-engineer", "/careers/jobs/ml-engineer": "ml-engineer",
             "/careers/jobs/field-technician": "field-technician", "/careers/jobs/broken": "broken"}
    for path, name in pages.items():
        site.add(path, fixture_path(f"synthetic/careers/{name}.html").read_text(), content_type="text/html; charset=utf-8")
    return {"kind": "careers", "url": "https://orchard.example/careers/"}


def _github(site: Site) -> dict[str, Any]:
    site.add("/search/users", load("synthetic/github-search.json"))
    site.add("/users/jacquev6", replay_body("NamedUser.setUp.txt"))
    site.add("/users/jacquev6/repos", replay_body("NamedUser.testGetRepos.txt"))
    site.add("/users/nvie", replay_body("NamedUser.testAttributesOfOtherUser.txt"))  # hireable: false -> skipped
    return {"kind": "github", "location": "France", "language": "python"}


def _jsonresume(site: Site) -> dict[str, Any]:
    site.add("/people/richard/resume.json", load("real/sample.resume.json"))
    return {"kind": "jsonresume", "url": "https://cv.example/people/richard/resume.json"}


# spider -> (setup, kind of rows, expected external ids, dropped, errors, skipped)
CASES: dict[str, tuple[Callable[[Site], dict[str, Any]], str, set[str], int, int, int]] = {
    "greenhouse": (_greenhouse, "jobs", {"5193736007", "5099964007"}, 0, 0, 0),
    "lever": (_lever, "jobs", {"ac978161-6f46-4f6b-ad9e-a258e642751c", "0bbfd4f4-41ff-4ec6-b73f-5200efd5d4d3"}, 0, 0, 0),
    "ashby": (_ashby, "jobs", {"4c577aae-1ad0-444b-9e15-2ad994333de4", "db203104-7408-48ee-8e11-25340e11b739"}, 0, 0, 1),
    "remoteok": (_remoteok, "jobs", {"1134698", "1134650", "1134651", "1134648"}, 0, 0, 0),
    "arbeitnow": (_arbeitnow, "jobs", {"werkstudent-data-science-berlin-101", "devops-engineer-remote-102", "backend-entwickler-php-koeln-103"}, 1, 0, 0),
    "workable": (_workable, "jobs", {"A1B2C3D4E5", "F6G7H8J9K0"}, 1, 0, 0),
    "smartrecruiters": (_smartrecruiters, "jobs", {"744000012345678", "744000012345679"}, 0, 0, 0),
    "recruitee": (_recruitee, "jobs", {"1893021", "1893022"}, 0, 0, 0),
    "personio": (_personio, "jobs", {"1402287", "1402288"}, 1, 0, 0),
    "hn_jobs": (_hn_jobs, "jobs", {"48860201", "48843116", "48842567", "48837669", "48868436"}, 1, 0, 1),
    "hn_candidates": (_hn_candidates, "profiles", {"49100001", "49100002"}, 1, 0, 1),
    "careers": (_careers, "jobs", {"OR-101", "OR-102", "OR-103"}, 0, 1, 0),
    "github": (_github, "profiles", {"327146"}, 0, 0, 1),
    "jsonresume": (_jsonresume, "profiles", {"https://cv.example/people/richard/resume.json"}, 0, 0, 0),
}


def _rows(store: Any, what: str) -> list[dict[str, Any]]:
    if what == "jobs":
        return store.list_jobs(open_only=False)
    return [p for ps in store.candidate_profiles().values() for p in ps]


ON_POSTGRES_TOO = {"greenhouse", "github", "jsonresume"}  # a board's jobs, and profiles merged into people


@pytest.mark.parametrize("spider", [pytest.param(s, marks=pytest.mark.postgres) if s in ON_POSTGRES_TOO else s for s in sorted(CASES)])
def test_crawl_end_to_end_twice(spider, site, db, crawl, open_store):
    setup, what, ids, dropped, errors, skipped = CASES[spider]
    entry = dict(setup(site), base_url=site.url)
    first = crawl(entry, db)
    assert first.exit_code == 0, first.error_summary
    assert (first.new, first.updated, first.unchanged) == (len(ids), 0, 0), first
    assert (first.dropped, first.errors, first.skipped) == (dropped, errors, skipped), first.error_details
    assert first.status == ("ok" if errors == 0 else "partial")
    assert site.hits("/robots.txt"), "robots.txt must be read first"
    store = open_store(db)
    rows = _rows(store, what)
    assert {r["external_id"] for r in rows} == ids
    for r in rows:  # provenance: where and when
        assert r["fetched_at"] is not None
        if what == "profiles":
            assert r["source_key"] == first.source_key and r["source_kind"] == spider and r["url"]
    if what == "jobs":
        assert {s["key"] for s in store.list_sources()} == {first.source_key}
    run = store.list_crawl_runs(limit=1)[0]
    assert (run["id"], run["spider"], run["source_key"], run["status"]) == (first.crawl_run_id, spider, first.source_key, first.status)
    assert (run["items_new"], run["items_dropped"], run["errors"]) == (len(ids), dropped, errors)
    assert run["args"]["base_url"] == site.url and run["finished_at"] is not None
    if what == "jobs":  # per-field fill counts, as the stored rows have them
        fc = run["field_counts"]
        assert fc["postings"] == len(ids) == first.field_counts["postings"]
        assert fc["posted_at"] == sum(r["posted_at"] is not None for r in rows)
        assert fc["description"] == sum(bool(r["description"]) for r in rows)
        assert fc["location"] == sum(bool(r["location"]) for r in rows)
        assert fc["salary"] == sum(r["salary_min"] is not None or r["salary_max"] is not None or bool(r["salary_text"]) for r in rows)
        assert fc["workplace"] == sum(r["workplace"] is not None for r in rows)
    else:
        assert run["field_counts"] is None
    if dropped or errors:
        assert len(run["error_details"]) == dropped + errors and all(d["reason"] for d in run["error_details"])

    second = crawl(entry, db)
    assert (second.new, second.updated, second.unchanged) == (0, 0, len(ids)), second
    assert len(_rows(store, what)) == len(ids)  # no duplicates
    assert [r["id"] for r in store.list_crawl_runs(limit=2)] == [second.crawl_run_id, first.crawl_run_id]


def test_remoteok_rows_keep_credit_and_link(site, db, crawl, open_store):
    entry = dict(_remoteok(site), base_url=site.url)
    assert crawl(entry, db).status == "ok"
    jobs = open_store(db).list_jobs(open_only=False)
    assert all(j["credit"].startswith("Source: Remote OK") and j["url"] in j["credit"] for j in jobs)


def test_careers_stays_on_its_host_and_skips_files(site, db, crawl):
    entry = dict(_careers(site), base_url=site.url)
    crawl(entry, db)
    fetched = [p for p, _, _ in site.log]
    assert "/careers/handbook.pdf" not in fetched
    assert sorted(set(fetched)) == sorted({"/robots.txt", "/careers/", "/careers/jobs/robotics-engineer", "/careers/jobs/ml-engineer",
                                           "/careers/jobs/field-technician", "/careers/jobs/broken"})


def test_github_token_sent_but_never_logged(site, db, crawl, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret_value_for_test")
    entry = dict(_github(site), base_url=site.url, hireable_only="false")
    site.add("/users/nvie/repos", [])
    out = crawl(entry, db)
    assert out.new == 2 and out.skipped == 0  # hireable filter off: nvie kept too
    auth = {h.get("Authorization") for p, _, h in site.log if p.startswith("/users/")}
    assert auth == {"Bearer ghp_secret_value_for_test"}
    log = open(out.log_file, encoding="utf-8").read()
    assert "ghp_secret_value_for_test" not in log and "Scraped github:" not in json.dumps(out.error_details)


def test_crawl_run_args_do_not_name_people(site, db, crawl, open_store):
    entry = dict(_jsonresume(site), base_url=site.url)
    assert crawl(entry, db).new == 1
    args = open_store(db).list_crawl_runs(limit=1)[0]["args"]
    assert args == {"url": "<1 value(s)>", "base_url": site.url}
