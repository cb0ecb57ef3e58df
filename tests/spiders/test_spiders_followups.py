"""A follow-up request that fails loses nothing the first request had (real crawls on 127.0.0.1)."""

from __future__ import annotations

from spiders_helpers import load, replay_body


def test_smartrecruiters_detail_404_keeps_the_listing_and_offsets_follow_the_request(site, db, crawl, open_store):
    listing = load("synthetic/smartrecruiters-list.json")
    first, second = listing["content"][:2]
    # page 1 omits the optional `offset`; page 2 answers a wrong one: the request's offset must drive paging
    page1 = {"limit": 1, "totalFound": 2, "content": [first]}
    page2 = {"offset": 0, "limit": 1, "totalFound": 2, "content": [second]}
    import spiders.sites.smartrecruiters as sr

    site.add(f"/v1/companies/LumenHealth/postings?limit={sr.PAGE}&offset=0", page1)
    site.add(f"/v1/companies/LumenHealth/postings?limit={sr.PAGE}&offset=1", page2)
    site.add(f"/v1/companies/LumenHealth/postings/{first['id']}", load(f"synthetic/smartrecruiters-{first['id']}.json"))
    site.add(f"/v1/companies/LumenHealth/postings/{second['id']}", {"message": "not found"}, status=404)
    out = crawl({"kind": "smartrecruiters", "company": "LumenHealth", "base_url": site.url}, db)
    assert (out.new, out.errors, out.status) == (2, 1, "partial"), out.error_details
    assert out.error_details[0]["reason"] == "HTTP 404"
    assert len(site.hits("/v1/companies/LumenHealth/postings?")) == 2  # page 2 asked once, no loop on offset 0
    jobs = {j["external_id"]: j for j in open_store(db).list_jobs(open_only=False)}
    kept = jobs[second["id"]]
    assert kept["title"] == second["name"] and kept["company"] == "Lumen Health" and kept["location"]
    assert kept["posted_at"] is not None and kept["description"] == ""


def test_github_repos_error_keeps_the_profile_and_skips_are_told(site, db, crawl, open_store):
    site.add("/search/users", load("synthetic/github-search.json"))
    site.add("/users/jacquev6", replay_body("NamedUser.setUp.txt"))
    site.add("/users/jacquev6/repos", {"message": "Server Error"}, status=500)
    site.add("/users/nvie", replay_body("NamedUser.testAttributesOfOtherUser.txt"))  # hireable: false
    out = crawl({"kind": "github", "location": "France", "language": "python", "base_url": site.url}, db,
                settings={"RETRY_ENABLED": "False"})
    assert (out.new, out.errors, out.skipped, out.status) == (1, 1, 1, "partial"), out.error_details
    assert "skipped 1 not hireable" in out.error_summary
    runs = open_store(db).list_crawl_runs(limit=1)
    assert {"kind": "skipped", "where": "", "reason": "not hireable", "count": 1} in runs[0]["error_details"]
    [profile] = [p for ps in open_store(db).candidate_profiles().values() for p in ps]
    assert profile["github_login"] == "jacquev6" and profile["skills"] == []  # no languages, but kept
