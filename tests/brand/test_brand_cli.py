"""Tests `sourcing brand insights|ideas` end to end on a real store file (TF-IDF families, no model load)."""

from __future__ import annotations

import csv
import json

import pytest
from icalendar import Calendar

from sourcing.cli import main
from sourcing.errors import ExitStatus
from sourcing.storage.brand import list_ideas, set_idea_status


def run(capsys, *args):
    try:
        main([*args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_insights_report(market_store, config_path, capsys):
    code, out, err = run(capsys, "--config", str(config_path), "brand", "insights", "--tfidf")
    assert code == 0, err
    assert out.startswith("Employer-brand insights for Acme: 11 open postings (3 ours, 8 from 4 other employers)")
    assert "+ 4-day week: Acme 3/3 (100%), competitors 0/8 (0%)" in out
    assert "- learning budget: competitors 5/8 (62%), Acme 0/3 (0%)" in out
    assert "Role family: data engineer — 1 ours, 3 competitors'" in out
    assert "only 1 of 12 ranked candidates score >= 0.60" in out


def test_insights_json_for_one_role(market_store, config_path, capsys):
    code, out, _ = run(capsys, "--config", str(config_path), "brand", "insights", "--tfidf", "--role", "backend", "--json")
    assert code == 0
    data = json.loads(out)
    assert [f["label"] for f in data["families"]] == ["backend engineer"]
    assert data["overall"]["ours"] == 2 and data["overall"]["market"] == 5
    python = next(s for s in data["overall"]["skills"] if s["skill"] == "Python")
    assert python["count"] >= 5 and python["examples"][0].startswith("https://jobs.example.org/")


def test_ideas_print_calendar_store_and_export(market_store, config_path, tmp_path, capsys):
    out_file = tmp_path / "posts.csv"
    code, out, err = run(capsys, "--config", str(config_path), "brand", "ideas", "--tfidf", "--weeks", "2",
                         "--start", "2026-11-30", "--platform", "linkedin", "--export", "hootsuite", "--out", str(out_file))
    assert code == 0, err
    assert "## Week of 2026-11-30" in out and "## Week of 2026-12-07" in out
    assert out.count("Evidence:") == 6 and out.count("· LinkedIn ·") == 6
    assert "Planned 6 new post(s) over 2 week(s)" in err and f"Wrote {out_file}" in err
    with out_file.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 6 and set(rows[0]) == {"date time", "message", "link"}
    stored = list_ideas(market_store)
    assert len(stored) == 6 and {r["status"] for r in stored} == {"proposed"}


def test_french_ideas_and_saved_accepted_export(market_store, config_path, tmp_path, capsys):
    code, out, _ = run(capsys, "--config", str(config_path), "brand", "ideas", "--tfidf", "--lang", "fr", "--weeks", "1",
                       "--start", "2026-11-30")
    assert code == 0
    assert "Semaine de 4 jours" in out and "On recrute" in out
    first = list_ideas(market_store)[0]
    set_idea_status(market_store, first["id"], "accepted", actor="comms")
    ics = tmp_path / "accepted.ics"
    code, out, err = run(capsys, "--config", str(config_path), "brand", "ideas", "--saved", "--status", "accepted",
                         "--export", "ics", "--out", str(ics))
    assert code == 0, err
    assert "1 stored idea(s) accepted." in err
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(events) == 1 and first["draft"] in str(events[0]["DESCRIPTION"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--export", "md"], "--export and --out go together"),
        (["--status", "accepted"], "--status filters stored ideas: use it with --saved"),
        (["--role", "nurse"], "no role family matches --role 'nurse'"),
    ],
)
def test_usage_errors_name_the_problem(market_store, config_path, capsys, args, message):
    code, _, err = run(capsys, "--config", str(config_path), "brand", "ideas", "--tfidf", *args)
    assert code == ExitStatus.USAGE
    assert message in err


def test_without_company_the_error_says_what_to_set(market_store, tmp_path, db_path, capsys):
    cfg = tmp_path / "plain.toml"
    cfg.write_text(f'db = "{db_path}"\n', encoding="utf-8")
    code, _, err = run(capsys, "--config", str(cfg), "brand", "insights", "--tfidf")
    assert code == ExitStatus.USAGE
    assert "[brand] company" in err
