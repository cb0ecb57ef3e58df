"""Conformance corpus, JSON-LD job pages: real pages of two real employers' own sites, every field
asserted and each page crawled end to end (see tests/fixtures/real/README.md).

- three postings of a USDA-ARS lab (tinyecology.com), as the lab's Jekyll site publishes them: the
  `<script type="application/ld+json">` block is in the page source and reaches the page as is.
  Two of the blocks are not valid JSON: their descriptions paste HTML with unescaped attribute quotes
  (`"<h1 id="scientific-challenge">…`), so both postings were lost before (reported "not valid JSON");
- the header template of a Kyoto company (株式会社ランプ) whose recruit page carries the block,
  with `"Value": 900` capitalised in its `QuantitativeValue` (pay lost before).
"""

from __future__ import annotations

import pytest

from corpus_helpers import REAL, clean, fields, utc
from spiders.parsers import careers

KIND = REAL / "careers"
SITE = {"tinyecology": "https://tinyecology.com/jobs/{}/", "lamp_corporate": "https://lamp.jp/recruit/"}


def page_url(name: str) -> str:
    site, _, rest = name.partition(".")
    return SITE[site].format(rest.rsplit(".", 1)[0])


def jobs_of(name: str) -> list:
    postings, bad = careers.jsonld_postings((KIND / name).read_text(encoding="utf-8"))
    assert bad == []
    return [careers.to_job(p, source_key="careers:x", page_url=page_url(name)) for p in postings]


USDA = "United States Department of Agriculture, Agricultural Research Service"
NONE = {"workplace": None, "remote": None, "department": None, "seniority": None, "salary_text": None, "tags": []}


def row(ext, title, company, location, url, etype, lo, hi, cur, period, posted) -> dict:
    return {**NONE, "external_id": ext, "title": title, "company": company, "location": location, "url": url,
            "employment_type": etype, "salary_min": lo, "salary_max": hi, "salary_currency": cur, "salary_period": period,
            "posted_at": posted}


CASES = {
    "tinyecology.2021-08-24-postdoc-position.md": row(
        "https://tinyecology.com/jobs/2021-08-24-postdoc-position/", "Postdoc modeling the interactions of soil microbiome and metabolites",
        "University of Florida", "Gainesville, FL, US", "https://tinyecology.com/jobs/2021-08-24-postdoc-position/", "FULL_TIME",
        66400.0, 66400.0, "USD", "year", utc(2021, 8, 25)),
    "tinyecology.2022-02-24-ml-salmonella-postdoc-position.md": row(
        "000001", "Postdoctoral Associate in machine learning and bacterial genomics", USDA, "Gainesville, FL, US",
        "https://tinyecology.com/jobs/2022-02-24-ml-salmonella-postdoc-position/", "FULL_TIME", 66214.0, 66214.0, "USD", "year",
        utc(2022, 5, 6)),
    "tinyecology.2022-02-24-scinet-lsh-position.md": row(  # the block with unescaped quotes in its description
        "000001", "Postdoctoral Fellow in locality sensitive hashing for petabyte-scale metagenomic search", USDA, "Gainesville, FL, US",
        "https://www.zintellect.com/Opportunity/Details/USDA-ARS-2022-0131", "FULL_TIME", 90000.0, 90000.0, "USD", "year",
        utc(2022, 8, 11)),
    "lamp_corporate.header.php": row(  # "Value" (sic) 900 JPY an hour; no identifier and no url: the page's
        "https://lamp.jp/recruit/", "Webデザイナー", "株式会社ランプ", "京都市, 京都府, JP", "https://lamp.jp/recruit/", "PART_TIME, INTERN",
        900.0, 900.0, "JPY", "hour", utc(2019, 4, 18)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_field_of_each_page(name):
    [job] = jobs_of(name)
    assert fields(job) == CASES[name]
    assert clean(job.description) and job.source_kind == "careers"


def test_descriptions_as_text():
    lsh = jobs_of("tinyecology.2022-02-24-scinet-lsh-position.md")[0].description
    # the heading whose quotes broke the JSON comes out as a heading line, the attribute gone
    assert lsh.startswith("Scientific Challenge\n\nTThe Sequence Read Archive (SRA) is a repository")
    assert "\n\nPreferred skills:\n\n- Proficiency in Linux and Bash scripting\n- Experience in Python" in lsh
    assert "id=" not in lsh and "scientific-challenge" not in lsh
    salmonella = jobs_of("tinyecology.2022-02-24-ml-salmonella-postdoc-position.md")[0].description
    assert "develop new Salmonella typing" in salmonella and "\n- The applicant should have experience in statistics\n" in salmonella
    nri = jobs_of("tinyecology.2021-08-24-postdoc-position.md")[0].description
    assert "Pay for this position is $66,400 per year plus benefits." in nri and "&amp;" not in nri
    lamp = jobs_of("lamp_corporate.header.php")[0].description
    assert lamp.startswith("業務内容\nコンテンツマーケティングを主体とした事業展開を行っております。\n")
    assert "\n\n求めるスキル・経験\nライター・動画作成（Illustrator・プレミア）" in lamp


def test_an_unrepairable_block_is_still_reported():
    text = (KIND / "tinyecology.2022-02-24-scinet-lsh-position.md").read_text(encoding="utf-8").replace('"datePosted" :', '"datePosted" ')
    postings, bad = careers.jsonld_postings(text)
    assert postings == [] and bad == ["JSON-LD block 1 is not valid JSON (Expecting ':' delimiter at line 58)"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_page_crawls_end_to_end(name, site, db, crawl, open_store):
    url = page_url(name)
    site.add("/" + url.split("/", 3)[3], (KIND / name).read_text(encoding="utf-8"), content_type="text/html; charset=utf-8")
    entry = {"kind": "careers", "url": url, "base_url": site.url}
    out = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (out.new, out.dropped) == (1, 0), out.error_details
    # the PHP template's links are unrendered (`href="<?php echo $home; ?>/contact/"`): followed, they 404 on the mirror
    assert all(e["reason"] == "HTTP 404" and "%3C?php" in e["where"] for e in out.error_details)
    assert out.errors == (7 if name.endswith(".php") else 0)
    [stored] = open_store(db).list_jobs(open_only=False)
    want = CASES[name]
    assert (stored["external_id"], stored["title"], stored["company"], stored["url"]) == (
        want["external_id"], want["title"], want["company"], want["url"])  # the real site's address, not the mirror's
    assert stored["salary_min"] == want["salary_min"] and clean(stored["description"])
    assert {k: out.field_counts[k] for k in ("postings", "posted_at", "salary", "location", "description")} == dict.fromkeys(
        ("postings", "posted_at", "salary", "location", "description"), 1)
    again = crawl(entry, db, settings={"RETRY_ENABLED": "False"})
    assert (again.new, again.unchanged) == (0, 1)
