"""Conformance corpus, GitHub REST: response bodies from two more projects' recordings (octokit.rb's VCR
cassettes of 2013-2014, github3.py's betamax cassettes of 2014), every profile field asserted, and
each user crawled end to end from 127.0.0.1 (see tests/fixtures/real/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from spiders.parsers import github

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "github"


def load(name: str):
    return json.loads((REAL / name).read_text(encoding="utf-8"))


def profile_fields(p) -> dict:
    return {k: getattr(p, k) for k in ("source_kind", "external_id", "github_login", "name", "email", "location", "url",
                                       "headline", "summary", "skills", "extra_urls")}


def test_octokit_rb_sferik_user_and_repos_2013():
    user, repos = load("octokit_rb.user.sferik.json"), load("octokit_rb.repos.sferik.json")
    assert len(repos) == 30 and sum(r["fork"] for r in repos) == 20
    p = github.to_profile(user, repos, source_key="github:sferik")
    assert profile_fields(p) == {
        "source_kind": "github", "external_id": "10308", "github_login": "sferik", "name": "Erik Michaels-Ober",
        "email": "sferik@gmail.com", "location": "San Francisco, CA", "url": "https://github.com/sferik",
        "headline": None, "summary": "",  # bio "" and company "": nothing said
        # own repositories only: Ruby 5, JavaScript 1, Shell 1 (3 without a language); the 20 forks (17 Ruby, Java) ignored
        "skills": ["Ruby", "JavaScript", "Shell"],
        "extra_urls": ["http://twitter.com/sferik"]}
    assert user["hireable"] is False and "avatar" not in repr(p) and "688" not in repr(p)  # no avatar, no follower count


def test_github3py_sigmavirus24_user_2014():
    user = load("github3py.user.sigmavirus24.json")
    p = github.to_profile(user, None, source_key="github:sigmavirus24")
    assert profile_fields(p) == {
        "source_kind": "github", "external_id": "240830", "github_login": "sigmavirus24", "name": "Ian Cordasco",
        "email": "graffatcolmingov@gmail.com", "location": "Madison, WI", "url": "https://github.com/sigmavirus24",
        "headline": "Works at Rackspace", "summary": "", "skills": [],
        "extra_urls": ["http://www.coglib.com/~icordasc/blog"]}  # a personal page, not the employer's site


def test_user_search_pages_of_two_projects():
    octo = load("octokit_rb.search_users.json")
    assert (octo["total_count"], len(octo["items"])) == (386, 30)
    assert github.search_logins(octo)[:5] == ["Mikelandzhelo", "mvanger", "schechter", "mikereinhart", "MikeOldford"]
    assert len(set(github.search_logins(octo))) == 30
    g3 = load("github3py.search_users.json")
    assert (g3["total_count"], github.search_logins(g3)) == (1, ["mojombo"])


def test_real_users_crawl_end_to_end(site, db, crawl, open_store):
    """sferik with his repositories; sigmavirus24 whose repositories were not recorded (404): kept, the error counted."""
    site.add("/users/sferik", (REAL / "octokit_rb.user.sferik.json").read_text(encoding="utf-8"))
    site.add("/users/sferik/repos", (REAL / "octokit_rb.repos.sferik.json").read_text(encoding="utf-8"))
    site.add("/users/sigmavirus24", (REAL / "github3py.user.sigmavirus24.json").read_text(encoding="utf-8"))
    entry = {"kind": "github", "login": "sferik,sigmavirus24", "hireable_only": "false", "base_url": site.url}  # both say hireable: false
    first = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (first.new, first.dropped, first.errors) == (2, 0, 1), first.error_details
    assert first.error_details[0]["where"].endswith("/users/sigmavirus24/repos?per_page=100&sort=pushed&type=owner")
    store = open_store(db)
    rows = {p["external_id"]: p for ps in store.candidate_profiles().values() for p in ps}
    assert set(rows) == {"10308", "240830"}
    assert (rows["10308"]["github_login"], rows["10308"]["skills"]) == ("sferik", ["Ruby", "JavaScript", "Shell"])
    assert (rows["240830"]["name"], rows["240830"]["skills"], rows["240830"]["location"]) == ("Ian Cordasco", [], "Madison, WI")
    again = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (again.new, again.unchanged) == (0, 2)
    assert len([p for ps in store.candidate_profiles().values() for p in ps]) == 2  # no duplicates
