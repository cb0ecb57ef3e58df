"""Parser tests on payloads we wrote in each provider's documented shape (no real recording exists)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from spiders.parsers import arbeitnow, careers, hn, personio, recruitee, smartrecruiters, workable
from spiders.parsers.common import MalformedPayload, MalformedRecord
from spiders_helpers import fixture_path, load


def test_workable_merges_locations_of_one_shortcode():
    jobs = workable.merge_locations(workable.records(load("synthetic/workable.json")))
    assert [j.get("shortcode") for j in jobs] == ["A1B2C3D4E5", "F6G7H8J9K0", "BROKEN0001"]
    job = workable.to_job(jobs[0], source_key="workable:fjord", account="fjord", company="Fjord Analytics")
    assert (job.external_id, job.title, job.company) == ("A1B2C3D4E5", "Data Engineer", "Fjord Analytics")
    assert job.location == "Oslo, Oslo, Norway; Bergen, Vestland, Norway"
    assert job.remote is False and job.department == "Engineering" and job.employment_type == "Full-time"
    assert job.seniority == "Mid-Senior level" and job.tags == ["Engineering", "Maritime"]
    assert job.url == "https://apply.workable.com/j/A1B2C3D4E5"
    assert job.description == "Build pipelines in Python and SQL.\n\n- Airflow\n- dbt"
    assert job.posted_at == datetime(2026, 10, 1, tzinfo=timezone.utc)
    assert workable.to_job(jobs[1], source_key="k", account="fjord").remote is True
    with pytest.raises(MalformedRecord, match="missing 'title'"):
        workable.to_job(jobs[2], source_key="k", account="fjord")


def test_smartrecruiters_summary_plus_detail():
    page = load("synthetic/smartrecruiters-list.json")
    summaries = smartrecruiters.records(page)
    assert smartrecruiters.next_offset(page) is None
    assert smartrecruiters.next_offset({"offset": 0, "totalFound": 150, "content": [{}] * 100}) == 100
    detail = load("synthetic/smartrecruiters-744000012345678.json")
    job = smartrecruiters.to_job(summaries[0], source_key="smartrecruiters:LumenHealth", company="LumenHealth", detail=detail)
    assert (job.external_id, job.title, job.company) == ("744000012345678", "Backend Developer (Java)", "Lumen Health")
    assert job.location == "Lyon, Auvergne-Rhône-Alpes, fr" and job.remote is False
    assert (job.department, job.employment_type, job.seniority) == ("R&D", "Full-time", "Mid-Senior Level")
    assert job.url == "https://jobs.smartrecruiters.com/LumenHealth/744000012345678-backend-developer-java-"
    assert job.description == ("Lumen Health builds software for hospitals.\n\nDesign and run Java services on Kubernetes.\n\n"
                               "- Java 17\n- Spring Boot\n\nHybrid, 2 days on site.")
    assert job.tags == ["Information Technology", "Hospital & Health Care"]
    bare = smartrecruiters.to_job(summaries[1], source_key="k", company="LumenHealth")
    assert bare.description == "" and bare.remote is True and bare.url == "https://jobs.smartrecruiters.com/LumenHealth/744000012345679"


def test_recruitee_offers():
    offers = recruitee.records(load("synthetic/recruitee.json"))
    job = recruitee.to_job(offers[0], source_key="recruitee:tulipcode", company="tulipcode")
    assert (job.external_id, job.title, job.company) == ("1893021", "Frontend Engineer (Vue)", "tulipcode")
    assert job.location == "Amsterdam, Netherlands" and job.remote is False
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == (4200.0, 5600.0, "EUR", "month")
    assert job.description == "Build our customer portal in Vue 3 and TypeScript.\n\n- 3 years of Vue\n- Testing with Vitest"
    assert job.url == "https://tulipcode.recruitee.com/o/frontend-engineer-vue" and job.tags == ["vue", "typescript"]
    second = recruitee.to_job(offers[1], source_key="k", company="tulipcode")
    assert second.salary_min is None and second.remote is True and second.location == "Netherlands"
    assert second.posted_at == datetime(2026, 10, 9, 9, 0, tzinfo=timezone.utc)


def test_personio_xml_feed():
    positions = personio.records(fixture_path("synthetic/personio.xml").read_bytes())
    assert len(positions) == 3
    job = personio.to_job(positions[0], source_key="personio:kranich", account="kranich", base_url="https://kranich.jobs.personio.de")
    assert (job.external_id, job.title, job.company) == ("1402287", "Senior Python Developer (m/w/d)", "Kranich Logistik GmbH")
    assert job.location == "Hamburg; Berlin" and job.department == "IT"
    assert job.employment_type == "permanent, full-time" and job.seniority == "experienced"
    assert job.description == "Your tasks\n- Route planning services in Python\n- PostgreSQL and PostGIS\n\nYour profile\n5+ years of Python; German or English."
    assert job.url == "https://kranich.jobs.personio.de/job/1402287"
    assert job.tags == ["python", "postgis", "logistics"]
    with pytest.raises(MalformedRecord, match="missing <id>"):
        personio.to_job(positions[2], source_key="k", account="kranich", base_url="https://x")
    with pytest.raises(MalformedPayload, match="not well-formed XML"):
        personio.records(b"<workzag-jobs><position>")
    with pytest.raises(MalformedPayload, match="workzag-jobs"):
        personio.records(b"<html><body>Feed disabled</body></html>")


def test_arbeitnow_pages():
    p1, p2 = load("synthetic/arbeitnow-1.json"), load("synthetic/arbeitnow-2.json")
    assert arbeitnow.next_page(p1) == "https://www.arbeitnow.com/api/job-board-api?page=2" and arbeitnow.next_page(p2) is None
    job = arbeitnow.to_job(arbeitnow.records(p1)[1], source_key="arbeitnow")
    assert (job.external_id, job.title, job.company, job.location) == ("devops-engineer-remote-102", "DevOps Engineer", "Alpenwolke", "Munich")
    assert job.remote is True and job.employment_type == "full time" and job.tags == ["DevOps"]
    assert job.posted_at == datetime(2026, 10, 5, 8, 0, tzinfo=timezone.utc)  # created_at is epoch seconds
    with pytest.raises(MalformedRecord, match="missing 'slug'"):
        arbeitnow.to_job(arbeitnow.records(p2)[1], source_key="arbeitnow")


def test_hn_candidates_self_descriptions():
    payload = load("synthetic/hn-hired.json")
    p = hn.to_profile(payload["hits"][0], source_key="hn_candidates")
    assert (p.external_id, p.url) == ("49100001", "https://news.ycombinator.com/item?id=49100001")
    assert (p.location, p.remote, p.willing_to_relocate) == ("Lyon, France", True, False)
    assert p.skills == ["Python", "Django", "PostgreSQL", "Docker"]
    assert p.email == "dev1@example.org"  # "dev1 [at] example [dot] org"
    assert p.headline == "Backend developer, 6 years, mostly healthcare data."
    assert p.extra_urls == ["https://example.org/cv-dev1.pdf", "https://news.ycombinator.com/user?id=fictional_dev1"]
    assert p.name is None  # the HN handle is not a name
    q = hn.to_profile(payload["hits"][1], source_key="hn_candidates")
    assert q.skills == ["TypeScript", "React", "Node.js"] and q.remote is True and q.willing_to_relocate is True
    assert q.email == "dev2@example.net"
    with pytest.raises(MalformedRecord, match="not a self-description"):
        hn.to_profile(payload["hits"][2], source_key="hn_candidates")
    assert hn.latest_thread(load("synthetic/hn-stories.json"), "Ask HN: Who wants to be hired?") == "49100000"
    assert hn.latest_thread(load("synthetic/hn-stories.json"), "Ask HN: Who is hiring?") == "48747976"


def test_careers_jsonld_graph_microdata_and_broken():
    page = fixture_path("synthetic/careers/robotics-engineer.html").read_text()
    found, bad = careers.jsonld_postings(page)
    assert bad == [] and len(found) == 1
    job = careers.to_job(found[0], source_key="careers:x", page_url="http://h/careers/jobs/robotics-engineer")
    assert (job.external_id, job.title, job.company) == ("OR-101", "Robotics Engineer", "Orchard Robotics")
    assert job.location == "Toulouse, Occitanie, FR" and job.employment_type == "FULL_TIME"
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == (52000, 65000, "EUR", "year")
    assert job.description == "Design picking arms with ROS 2 and C++.\n\n- Motion planning"
    assert job.url == "http://h/careers/jobs/robotics-engineer"
    ml, _ = careers.jsonld_postings(fixture_path("synthetic/careers/ml-engineer.html").read_text())
    mljob = careers.to_job(ml[0], source_key="k", page_url="http://h/ml")
    assert mljob.external_id == "OR-102" and mljob.remote is True and mljob.employment_type == "FULL_TIME, CONTRACTOR"
    micro = careers.microdata_postings(fixture_path("synthetic/careers/field-technician.html").read_text())
    tech = careers.to_job(micro[0], source_key="k", page_url="http://h/tech")
    assert (tech.external_id, tech.title, tech.company, tech.location) == ("OR-103", "Field Technician", "Orchard Robotics", "Agen, FR")
    assert tech.description == "Maintain robots in orchards; driving licence needed." and tech.employment_type == "PART_TIME"
    assert tech.posted_at == datetime(2026, 10, 25, tzinfo=timezone.utc)
    none, bad = careers.jsonld_postings(fixture_path("synthetic/careers/broken.html").read_text())
    assert none == [] and len(bad) == 1 and "not valid JSON" in bad[0]
