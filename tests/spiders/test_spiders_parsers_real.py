"""Parser tests on the real recorded payloads (Greenhouse, Lever, Ashby, Remote OK, HN, GitHub, JSON Resume)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from spiders.parsers import ashby, github, greenhouse, hn, jsonresume, lever, remoteok
from spiders.parsers.common import MalformedPayload, MalformedRecord, html_to_text, parse_datetime
from spiders_helpers import load, replay_body


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_greenhouse_every_field():
    jobs = greenhouse.records(load("real/greenhouse.json"))
    assert len(jobs) == 2
    job = greenhouse.to_job(jobs[0], source_key="greenhouse:smarterdx", board="smarterdx")
    assert (job.source_kind, job.source_key, job.external_id) == ("greenhouse", "greenhouse:smarterdx", "5193736007")
    assert job.title == "Client Support Analyst I"
    assert job.company == "SmarterDx"
    assert job.location == "Remote (United States)" and job.remote is True
    assert job.url == "https://job-boards.greenhouse.io/smarterdx/jobs/5193736007"
    assert job.department == "Customer Success"
    assert job.posted_at == utc(2026, 7, 27, 17, 48, 30)  # first_published, -04:00 -> UTC
    # content is entity-escaped HTML: unescaped, tags stripped, paragraphs kept
    assert job.description.startswith("SmarterDx is transforming how health systems use clinical AI")
    assert "<" not in job.description and "&lt;" not in job.description and "&quot;" not in job.description
    assert "\n\nRole\n\n" in job.description and "$34.62/hour" in job.description
    assert (job.employment_type, job.credit, job.tags, job.workplace) == (None, None, [], "remote")
    # the pay written in the content ("Compensation\n\n$34.62/hour") is read
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == (34.62, 34.62, "USD", "hour")
    assert job.salary_text == "$34.62/hour"
    second = greenhouse.to_job(jobs[1], source_key="k", board="smarterdx")
    assert second.title == "Clinical Coding Specialist" and second.department == "Clinical Operations"
    assert (second.salary_min, second.salary_max, second.salary_currency) == (75000.0, 105000.0, "USD")


def test_greenhouse_bad_shapes():
    with pytest.raises(MalformedPayload, match="'jobs' array"):
        greenhouse.records({"error": "not found"})
    with pytest.raises(MalformedRecord, match="missing 'title'"):
        greenhouse.to_job({"id": 1, "title": ""}, source_key="k", board="b")


def test_lever_every_field():
    postings = lever.records(load("real/lever.json"))
    job = lever.to_job(postings[0], source_key="lever:palantir", site="palantir")
    assert (job.source_kind, job.external_id) == ("lever", "ac978161-6f46-4f6b-ad9e-a258e642751c")
    assert job.title == "Administrative Business Partner"
    assert job.company == "palantir"
    assert job.location == "London, United Kingdom"
    assert job.remote is False  # workplaceType "hybrid"
    assert job.url == "https://jobs.lever.co/palantir/ac978161-6f46-4f6b-ad9e-a258e642751c"
    assert job.department == "Administrative" and job.employment_type == "Full-time"
    assert job.posted_at == utc(2024, 3, 25, 21, 50, 16, 463000)  # createdAt is epoch milliseconds
    assert job.tags == ["hybrid", "GB"]
    # opening + each list section with its heading + closing
    assert job.description.startswith("A World-Changing Company\n\nPalantir builds")
    assert "What We Require\n- At least three years" in job.description
    assert job.description.rstrip().endswith("(IC3).")
    assert "\xa0" not in job.description
    assert lever.to_job(postings[1], source_key="k", site="palantir").location == "Palo Alto, CA"
    with pytest.raises(MalformedPayload):
        lever.records({"ok": False})


def test_ashby_every_field_and_unlisted():
    jobs = ashby.records(load("real/ashby.json"))
    job = ashby.to_job(jobs[0], source_key="ashby:openevidence", name="openevidence")
    assert (job.external_id, job.title) == ("4c577aae-1ad0-444b-9e15-2ad994333de4", "Member of Technical Staff")
    assert job.location == "San Francisco; Miami"  # primary + secondaryLocations
    assert job.remote is False and job.tags == ["OnSite"]
    assert job.department == "Engineering" and job.employment_type == "FullTime"
    assert job.url == "https://jobs.ashbyhq.com/openevidence/4c577aae-1ad0-444b-9e15-2ad994333de4"
    assert job.posted_at == utc(2026, 1, 22, 21, 44, 44, 930000)
    assert job.description.startswith("OpenEvidence is the most widely used medical AI platform")
    assert job.salary_min is None  # compensation has no summary components in this recording
    assert all(ashby.is_listed(j) for j in jobs)
    assert not ashby.is_listed(dict(jobs[0], isListed=False))


def test_ashby_salary_component():
    obj = dict(load("real/ashby.json")["jobs"][1])
    obj["compensation"] = {"summaryComponents": [{"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD",
                                                   "minValue": 180000, "maxValue": 250000}]}
    job = ashby.to_job(obj, source_key="k", name="openevidence")
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == (180000, 250000, "USD", "year")


def test_remoteok_skips_legal_notice_and_keeps_credit():
    payload = load("real/remoteok.json")
    jobs = remoteok.records(payload)
    assert len(payload) == 5 and len(jobs) == 4
    assert remoteok.legal_notice(payload).startswith("API Terms of Service: Please link back")
    job = remoteok.to_job(jobs[0], source_key="remoteok")
    assert (job.external_id, job.title, job.company) == ("1134698", "Australian English Voice Actor Adelaide", "OpsArmy Careers")
    assert job.location == "Adelaide, Adelaide, South Australia, Australia" and job.remote is True
    assert job.url == "https://remoteOK.com/remote-jobs/remote-australian-english-voice-actor-adelaide-opsarmy-careers-1134698"
    assert job.credit.startswith("Source: Remote OK (https://remoteok.com)") and job.url in job.credit
    assert job.salary_min is None and job.salary_max is None  # 0 means "not stated"
    assert job.posted_at == utc(2026, 7, 10, 2, 20, 45)
    assert job.tags[:3] == ["speech", "game dev", "dev"]
    assert job.description.startswith("Australian English Voice Actor\n\nApply here:")
    assert remoteok.to_job(jobs[1], source_key="remoteok").location == "Orlando"  # trailing ", " trimmed


def test_hn_header_lines_of_real_thread():
    payload = load("real/hn.json")
    heads = {}
    for h in payload["hits"]:
        try:
            heads[h["objectID"]] = hn.parse_header(hn.header_line(h["comment_text"]))
        except MalformedRecord:
            heads[h["objectID"]] = None
    assert heads["48860201"] == {"company": "Qase", "title": "Developer Advocate", "location": None, "remote": True, "workplace": "remote",
                                 "employment_type": "Full-time", "salary": None,
                                 "extra": ["Technical Customer Support Specialist"]}
    assert heads["48843116"]["location"] == "Remote (EMEA)" and heads["48843116"]["salary"] == "Salary up to $185,500 + equity"
    assert heads["48868436"] == {"company": "ResortPass", "title": "Senior Software Engineer, Frontend", "location": "New York, NY",
                                 "remote": False, "workplace": "onsite", "employment_type": "Full-time",
                                 "salary": "$160k–$180k ($210k for senior band) + Equity",
                                 "extra": ["Visa possible for exceptional candidates"]}
    assert heads["48804695"] is None  # "This Dot Labs" with no pipes: not a header line
    assert heads["48859053"] is None  # a reply


def test_hn_job_item_and_replies():
    payload = load("real/hn.json")
    top = [h for h in payload["hits"] if hn.is_top_level(h, payload["story_id"])]
    assert len(top) == 6  # one of the 7 hits is a reply to a post
    job = hn.to_job(top[1], source_key="hn_jobs:48747976")
    assert (job.source_kind, job.external_id, job.company, job.title) == ("hn_jobs", "48843116", "Wave", "On-Premises SRE")
    assert job.url == "https://news.ycombinator.com/item?id=48843116"
    assert job.remote is True and job.employment_type == "Permanent (Full-time)"
    assert job.posted_at == utc(2026, 7, 9, 9, 17, 40)
    assert job.description.startswith("Wave | On-Premises SRE") and "We’re making Africa the first cashless continent." in job.description
    assert job.tags == ["Salary up to $185,500 + equity"]


def _github_user():
    return json.loads(replay_body("NamedUser.setUp.txt"))


def test_github_profile_from_replays():
    repos = json.loads(replay_body("NamedUser.testGetRepos.txt"))
    p = github.to_profile(_github_user(), repos, source_key="github:location=France")
    assert (p.source_kind, p.external_id, p.github_login) == ("github", "327146", "jacquev6")
    assert (p.name, p.email, p.location) == ("Vincent Jacques", "vincent@vincent-jacques.net", "France")
    assert p.url == "https://github.com/jacquev6"
    assert p.skills == ["C++", "Python"]  # own repos: 4 C++, 3 Python; forks (django, Ruby site) ignored
    assert p.extra_urls == ["http://vincent-jacques.net"]
    assert p.headline is None and p.summary == ""  # no bio, no company
    other = json.loads(replay_body("NamedUser.testAttributesOfOtherUser.txt"))
    q = github.to_profile(other, None, source_key="k")
    assert q.headline == "Works at 3rd Cloud" and q.skills == [] and other["hireable"] is False


def test_github_search_and_link_header():
    assert github.search_logins({"items": [{"login": "a"}, {"id": 3}, {"login": "b"}]}) == ["a", "b"]
    link = '<https://api.github.com/search/users?q=x&page=2>; rel="next", <https://api.github.com/search/users?q=x&page=9>; rel="last"'
    assert github.next_link(link) == "https://api.github.com/search/users?q=x&page=2"
    assert github.next_link('<https://x/?page=1>; rel="prev"') is None
    with pytest.raises(MalformedPayload):
        github.search_logins({"message": "API rate limit exceeded"})


def test_jsonresume_sample_minimal_fields():
    p = jsonresume.to_profile(load("real/sample.resume.json"), source_key="jsonresume:r", url="https://cv.example/r.json")
    assert (p.name, p.email, p.headline) == ("Richard Hendriks", "richard.hendriks@mail.com", "Programmer")
    assert p.location == "San Francisco, California, US"  # no street address kept
    assert p.titles == ["CEO/President"]
    assert p.experience == [{"title": "CEO/President", "org": "Pied Piper", "start": "2013-12-01", "end": "2014-12-01",
                             "summary": p.experience[0]["summary"]}]
    assert p.education == [{"institution": "University of Oklahoma", "area": "Information Technology", "studyType": "Bachelor"}]
    assert p.skills == ["HTML", "CSS", "Javascript", "Mpeg", "MP4", "GIF"]  # group names ("Web Development") are headings, not skills
    assert p.languages == ["English"]
    assert p.extra_urls == ["http://richardhendricks.example.com", "https://www.twitter.com", "https://soundcloud.example.com/dandymusicnl"]
    assert "555-4321" not in repr(p) and "(912)" not in repr(p)  # the phone number "(912) 555-4321" is never kept
    # (not a bare "912": the record's fetched_at microseconds can contain those digits)
    with pytest.raises(MalformedRecord, match="not a JSON Resume"):
        jsonresume.to_profile({"name": "x"}, source_key="k", url="https://x/r.json")


def test_common_helpers():
    assert html_to_text("<p>a&amp;b</p><ul><li>one</li><li>two</li></ul>") == "a&b\n\n- one\n- two"
    assert parse_datetime(1711403416463) == utc(2024, 3, 25, 21, 50, 16, 463000)
    assert parse_datetime("2026-07-10T14:10:34Z") == utc(2026, 7, 10, 14, 10, 34)
    assert parse_datetime("not a date") is None and parse_datetime(None) is None


def test_jsonresume_older_and_common_variants():
    doc = {"basics": {"name": "Ada", "website": "https://github.com/ada-l", "location": {"city": "London"}},
           "work": [{"company": "Analytical Engines", "position": "Programmer", "startDate": "1842"}],
           "skills": [{"name": "Languages", "keywords": ["Python", "OCaml"]}, {"name": "Rust"}, "Go"],
           "languages": [{"name": "English"}]}
    p = jsonresume.to_profile(doc, source_key="k", url="https://ada.example/resume.json")
    assert p.experience[0]["org"] == "Analytical Engines" and p.titles == ["Programmer"]
    assert p.github_login == "ada-l" and p.extra_urls == ["https://github.com/ada-l"]
    assert p.skills == ["Python", "OCaml", "Rust", "Go"] and p.languages == ["English"]


def test_github_employer_site_is_not_an_identity_url():
    from spiders.parsers.github import personal_url

    assert personal_url("tidelift.com", "@tidelift") is None
    assert personal_url("https://www.tidelift.com/", "Tidelift, Inc.") is None
    assert personal_url("https://linkedin.com", None) is None
    assert personal_url("jacquev6.net", "@tidelift") == "https://jacquev6.net"
    assert personal_url("https://medium.com/@ada", None) == "https://medium.com/@ada"
    user = {"login": "x", "id": 1, "company": "@tidelift", "blog": "https://tidelift.com"}
    assert github.to_profile(user, [], source_key="k").extra_urls == []
