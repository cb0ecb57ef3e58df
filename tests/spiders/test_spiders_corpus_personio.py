"""Conformance corpus, Personio XML: two real feeds of the Personio account a WordPress plugin's authors test
with (threadi/wp-personio-integration-light) and CLARK's feed as another project recorded it
(Aaronearlerichardson/Jobs), see tests/fixtures/real/README.md; every field asserted and each crawled end to end.

Personio's own output (its indentation, CDATA sections, ids, `salaryInformation` with
`<min>`/`<max>`/`<currencyCode>`/`<type>`); the plugin account's texts are what the account
holder typed, partly Lorem ipsum. The structured `salaryInformation` was lost before (only the
element's text was read, and it has none).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from spiders.parsers import personio

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "personio"
BASE = "https://laolaweb.jobs.personio.de"
NO_PAY = {"salary_min": None, "salary_max": None, "salary_currency": None, "salary_period": None, "salary_text": None}


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=timezone.utc)


def jobs_of(name: str):
    return [personio.to_job(el, source_key="personio:laolaweb", account="laolaweb", base_url=BASE)
            for el in personio.records((REAL / name).read_bytes())]


def fields(job) -> dict:
    return {k: getattr(job, k) for k in (
        "external_id", "title", "company", "location", "workplace", "remote", "url", "department", "employment_type",
        "seniority", "salary_min", "salary_max", "salary_currency", "salary_period", "salary_text", "posted_at", "tags")}


def pay(cur: str) -> dict:
    # <min>100000.00</min><max></max><currencyCode>…</currencyCode><type>yearly</type>
    return {"salary_min": 100000.0, "salary_max": None, "salary_currency": cur, "salary_period": "year",
            "salary_text": f"100000.00 {cur} per year"}


def row(ext, title, company, location, department, etype, seniority, posted, tags, salary=NO_PAY) -> dict:
    where = "remote" if location == "Remote" else None
    return {"external_id": ext, "title": title, "company": company, "location": location, "workplace": where,
            "remote": True if where else None, "url": f"{BASE}/job/{ext}", "department": department, "employment_type": etype,
            "seniority": seniority, **salary, "posted_at": posted, "tags": tags}


def test_positions_feed_every_field_and_structured_salary():
    jobs = jobs_of("wp_personio.positions.xml")
    full = "permanent, full-time"
    assert [fields(j) for j in jobs] == [
        row("2140231", "Copy of Junior Compliance and Immigrations Manager", "Parent Ltd.", "London", "Management", full, "experienced",
            utc(2024, 9, 24, 11, 0, 15), ["Compliance", "Immigration"], pay("GBP")),
        row("2140224", "General Application", "Subsidiary NL", "Remote", "IT", "permanent, full-or-part-time", "entry-level",
            utc(2018, 10, 22, 13, 43, 47), ["testkeyword", "testkeyword2"]),
        row("2140235", "Go to Market Manager", "Parent Ltd.", "Remote", "Marketing", full, "experienced", utc(2024, 10, 15, 8, 51, 39), []),
        row("2140230", "Junior Compliance and Immigrations Manager", "Parent Ltd.", "London", "Management", full, "experienced",
            utc(2024, 9, 24, 10, 49, 59), ["Compliance", "Immigration"], pay("GBP")),
        row("2140233", "Junior Sales Manager", "Parent Ltd.", "Manchester", "Sales", full, "experienced", utc(2024, 9, 24, 15, 2, 1),
            ["Sales"], pay("EUR")),
        row("2140229", "Programme Advisor", "Parent Ltd.", "London", "Sales", full, "experienced", utc(2024, 9, 24, 10, 45, 33),
            ["Sales"], pay("GBP")),
        row("2140228", "Programme Coordinator", "Parent Ltd.", "London", "Management", full, "experienced", utc(2024, 9, 24, 10, 41, 39),
            ["Programme Coordinator"]),
        row("2140232", "SEA Marketing Managers", "Parent Ltd.", "London", "Marketing", full, "experienced", utc(2024, 9, 24, 11, 1, 50),
            [], pay("GBP")),
        row("2140221", "SEO Marketing Managers", "laolaweb", "London", "Marketing", full, "experienced",  # no <subcompany>: the account
            utc(2017, 5, 23, 7, 50, 24), []),
        row("2140222", "Social Media (Working Student)", "Parent Ltd.", "Amsterdam", "Marketing", "intern, part-time", "student",
            utc(2017, 5, 23, 7, 50, 25), []),
        row("2140236", "Webdesigner", "Parent Ltd.", "Remote", "IT", full, "experienced", utc(2024, 10, 15, 8, 56, 38), []),
    ]
    first = jobs[0].description
    # each <jobDescription> as "name\ntext"; the CDATA's <br>-separated "•" lines kept as lines
    assert first.startswith("Your mission\nThe International Affairs Office Manager will ensure the provision of visa support")
    assert "\n• Corresponding with German authorities\n" in first and "\n\nYour profile\nESSENTIAL KNOWLEDGE, SKILLS AND EXPERIENCE:" in first
    assert "\n\nWhy us?\nlaOlaWeb’s mission is to educate students" in first
    assert "Weiterer Text\nFurther text for this position." in jobs[1].description
    for j in jobs:
        assert j.description and "<" not in j.description and "CDATA" not in j.description and "\xa0" not in j.description


def test_older_example_feed_2018():
    jobs = jobs_of("wp_personio.example_jobs.xml")
    assert [fields(j) for j in jobs] == [
        row("681100", "General Application", "laolaweb", "Remote", None, "permanent, full-time", "entry-level",
            utc(2018, 10, 22, 13, 43, 47), []),
        row("681097", "SEO Marketing Manager", "laolaweb", "London", "Marketing", "permanent, full-time", "experienced",
            utc(2017, 5, 23, 7, 50, 24), []),
        row("681098", "Social Media (Working Student)", "Parent Ltd.", "London", "Marketing", "intern, part-time", "student",
            utc(2017, 5, 23, 7, 50, 25), []),
    ]
    assert [j.description.split("\n")[0] for j in jobs] == ["Your mission"] * 3
    assert all("\n- Stet clita kasd gubergren" in j.description for j in jobs)  # <ul><li> as bullets


@pytest.mark.parametrize("name, count", [("wp_personio.positions.xml", 11), ("wp_personio.example_jobs.xml", 3)])
def test_feed_crawls_end_to_end(name, count, site, db, crawl, open_store):
    site.add("/xml?language=en", (REAL / name).read_bytes(), content_type="application/xml; charset=utf-8")
    entry = {"kind": "personio", "account": "laolaweb", "base_url": site.url}  # a mirror: the stored URL is still Personio's
    out = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (out.new, out.dropped, out.errors) == (count, 0, 0), out.error_details
    rows = open_store(db).list_jobs(open_only=False)
    assert len(rows) == count and all(r["url"].startswith(f"{BASE}/job/") and r["description"] and r["posted_at"] for r in rows)
    paid = 5 if count == 11 else 0
    assert out.field_counts["salary"] == paid and sum(r["salary_min"] == 100000.0 for r in rows) == paid
    again = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (again.new, again.unchanged) == (0, count)


CLARK = "https://clark.jobs.personio.de"


def test_clark_feed_every_field():
    """A second, independent feed (Aaronearlerichardson/Jobs): CLARK's subcompanies in three countries,
    `additionalOffices`, `&amp;` in a department, `occupationCategory`, empty `<jobDescriptions>`."""
    jobs = [personio.to_job(el, source_key="personio:clark", account="clark", base_url=CLARK)
            for el in personio.records((REAL / "clark_jobs.personio_feed.xml").read_bytes())]

    def clark(ext, title, company, location, department, seniority, posted) -> dict:
        return {**row(ext, title, company, location, department, "permanent, full-time", seniority, posted, []), "url": f"{CLARK}/job/{ext}"}

    assert [fields(j) for j in jobs] == [
        clark("2415353", "(Senior) CRM Manager (m/w/d)", "CLARK Holding SE", "Berlin; Frankfurt am Main", "Group - Marketing",
              "experienced", utc(2025, 11, 4, 8, 40, 52)),
        clark("2377588", "Digitaler Bestandskundenbetreuer (Outbound) (m/w/d)", "Clark Germany GmbH", "Remote", "DE - Pre-/After-Sales",
              "entry-level", utc(2025, 10, 7, 15, 5, 38)),
        clark("342554", "Sales Consultant (m/w/d)", "Clark Germany GmbH", "Berlin", "DE - Sales Life & Health", "experienced",
              utc(2021, 3, 24, 16, 31, 23)),
        clark("2335782", "Sales Consultant (m/w/d)", "Clark Switzerland AG", "Zürich", "CH - CLARK Sales", "experienced",
              utc(2025, 9, 15, 8, 25, 51)),
    ]
    assert [j.description for j in jobs] == [""] * 4  # the recording's <jobDescriptions> are empty


def test_clark_feed_crawls_end_to_end(site, db, crawl, open_store):
    site.add("/xml?language=en", (REAL / "clark_jobs.personio_feed.xml").read_bytes(), content_type="application/xml; charset=utf-8")
    entry = {"kind": "personio", "account": "clark", "base_url": site.url}
    out = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (out.new, out.dropped, out.errors) == (4, 0, 0), out.error_details
    rows = open_store(db).list_jobs(open_only=False)
    assert sorted(r["url"] for r in rows) == sorted(f"{CLARK}/job/{i}" for i in ("2415353", "2377588", "342554", "2335782"))
    counts = out.field_counts
    assert (counts["postings"], counts["posted_at"], counts["location"], counts["description"], counts["salary"]) == (4, 4, 4, 0, 0)
    again = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (again.new, again.unchanged) == (0, 4)
