"""Tests `--json`, `--csv`, `--nl` and the default table of every list/show command, by parsing the output."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cli_helpers import add_job, add_people
from sourcing.cli import cli
from sourcing.cli.crawl import CRAWL_FIELDS
from sourcing.cli.jobs import JOB_FIELDS
from sourcing.cli.output import render_table


def invoke(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def parse(fmt: str, text: str) -> list[dict]:
    if fmt == "json":
        return json.loads(text)
    if fmt == "nl":
        return [json.loads(line) for line in text.splitlines()]
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def filled(tmp_path):
    """A database with two jobs (one closed) and three people; returns the --db/--config arguments."""
    db = tmp_path / "s.db"
    job = add_job(db)
    add_job(db, "=HYPERLINK(\"http://evil\")", "A job whose title looks like a formula.")
    add_people(db)
    invoke("--db", str(db), "jobs", "close", str(job))
    cfg = tmp_path / "config.toml"
    cfg.write_text('[ranking]\nmodel = "fake"\nmultilingual_model = "fake"\n[[sources]]\nkind = "greenhouse"\n'
                   'board = "acme"\nbase_url = "http://127.0.0.1:9"\n[[sources]]\nkind = "lever"\nsite = "beta"\n')
    return ("--config", str(cfg), "--db", str(db))


@pytest.mark.parametrize("fmt", ["json", "nl", "csv"])
def test_jobs_list_formats(filled, fmt):
    rows = parse(fmt, invoke(*filled, "jobs", "list", "--all", f"--{fmt}"))
    assert [list(r) for r in rows] == [list(JOB_FIELDS)] * 2
    rows.sort(key=lambda r: int(r["id"]))
    assert [str(r["id"]) for r in rows] == ["1", "2"]
    assert rows[0]["title"] == "Python developer" and rows[0]["source"] == "typed in" and rows[0]["status"] == "closed"
    title = rows[1]["title"]
    assert title == ("'" if fmt == "csv" else "") + '=HYPERLINK("http://evil")'  # formula-safe in CSV only


def test_jobs_list_table_and_empty(filled, tmp_path):
    lines = invoke(*filled, "jobs", "list", "--all").splitlines()
    assert lines[0].split() == ["ID", "TITLE", "COMPANY", "LOCATION", "SOURCE", "STATUS", "FIRST_SEEN"]
    assert any(ln.split()[:3] == ["1", "Python", "developer"] for ln in lines) and len(lines) == 3
    assert lines[1].split()[-2][:2] == "20" and "T" not in lines[1].split()[-1]  # 2026-12-03 15:09, not ISO
    empty = ("--db", str(tmp_path / "empty.db"))
    assert invoke(*empty, "jobs", "list", "--json") == "[]\n"
    assert invoke(*empty, "jobs", "list", "--nl") == ""
    assert invoke(*empty, "jobs", "list", "--csv") == ",".join(JOB_FIELDS) + "\n"
    assert invoke(*empty, "jobs", "list") == ""  # the hint goes to stderr


def test_jobs_show_formats(filled):
    record = json.loads(invoke(*filled, "jobs", "show", "1", "--json"))
    assert record["title"] == "Python developer" and record["description"].startswith("Python, Django")
    assert record["first_seen"][:2] == "20"  # ISO 8601
    nl = invoke(*filled, "jobs", "show", "1", "--nl")
    assert len(nl.splitlines()) == 1 and json.loads(nl) == record
    (row,) = parse("csv", invoke(*filled, "jobs", "show", "1", "--csv"))
    assert row["title"] == "Python developer" and row["company"] == "Acme"
    assert invoke(*filled, "jobs", "show", "1").startswith("#1 Python developer\n")


@pytest.mark.parametrize("fmt", ["json", "nl", "csv"])
def test_candidates_list_and_show_formats(filled, fmt):
    rows = parse(fmt, invoke(*filled, "candidates", "list", f"--{fmt}"))
    assert sorted(r["name"] for r in rows) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert set(rows[0]) == {"id", "name", "headline", "location", "updated_at"}
    blind = parse(fmt, invoke(*filled, "candidates", "list", "--blind", f"--{fmt}"))
    assert not {"Ada Lovelace", "Alan Turing", "Grace Hopper"} & {r["name"] for r in blind}
    shown = parse(fmt, invoke(*filled, "candidates", "show", "1", f"--{fmt}"))
    shown = shown if isinstance(shown, list) else [shown]
    assert shown[0]["name"] == "Ada Lovelace" and shown[0]["headline"] == "Django developer"
    if fmt != "csv":
        assert shown[0]["profiles"][0]["skills"] == ["Python", "Django"]


def test_candidates_list_table(filled):
    lines = invoke(*filled, "candidates", "list").splitlines()
    assert lines[0].split() == ["ID", "NAME", "HEADLINE", "LOCATION", "UPDATED_AT"]
    assert len(lines) == 4 and any("Grace Hopper" in ln and "COBOL engineer" in ln for ln in lines)


@pytest.mark.parametrize("fmt", ["json", "nl", "csv"])
def test_sources_list_formats(filled, fmt):
    rows = parse(fmt, invoke(*filled, "sources", "list", f"--{fmt}"))
    assert [(r["key"], r["kind"], r["yields"], r["base_url"]) for r in rows] == [
        ("greenhouse:acme", "greenhouse", "jobs", "http://127.0.0.1:9"), ("lever:beta", "lever", "jobs", "")]
    kinds = parse(fmt, invoke(*filled, "sources", "list", "--kinds", f"--{fmt}"))
    by_kind = {r["kind"]: r for r in kinds}
    assert by_kind["greenhouse"]["status"] == "readable" and by_kind["github"]["yields"] == "profiles"
    assert by_kind["linkedin"]["status"] == "refused" and by_kind["linkedin"]["reason"]


def test_config_show_formats(filled):
    rows = {r["key"]: r for r in parse("json", invoke(*filled, "config", "show", "--json"))}
    assert rows["ranking.model"] == {"key": "ranking.model", "value": "fake", "origin": "file"}
    assert rows["ranking.top"]["value"] == 30 and rows["ranking.top"]["origin"] == "default"
    assert rows["db"]["origin"] == "flag"
    csv_rows = {r["key"]: r for r in parse("csv", invoke(*filled, "config", "show", "--csv"))}
    assert csv_rows["ranking.top"]["value"] == "30" and csv_rows["privacy.blind"]["value"] == "false"
    assert len(parse("nl", invoke(*filled, "config", "show", "--nl"))) == len(rows)
    assert "ranking.model = 'fake'    # file" in invoke(*filled, "config", "show")


def test_schedule_show_formats(tmp_path):
    units, crontab = str(tmp_path / "u"), str(tmp_path / "ct")
    none = json.loads(invoke("schedule", "show", "--unit-dir", units, "--crontab-file", crontab, "--json"))
    assert none["method"] is None and none["files"] == []
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    invoke("--config", str(cfg), "schedule", "install", "--at", "04:45", "--unit-dir", units)
    record = json.loads(invoke("schedule", "show", "--unit-dir", units, "--crontab-file", crontab, "--json"))
    assert record["method"] == "systemd" and record["at"] == "04:45" and record["command"].endswith(" nightly")
    assert record["next_run"][11:16] == "04:45" and len(record["files"]) == 2
    (row,) = parse("csv", invoke("schedule", "show", "--unit-dir", units, "--crontab-file", crontab, "--csv"))
    assert row["at"] == "04:45" and row["files"].count("; ") == 1
    assert json.loads(invoke("schedule", "show", "--unit-dir", units, "--crontab-file", crontab, "--nl")) == record


def test_rank_and_purge_formats(filled):
    rows = parse("nl", invoke(*filled, "rank", "2", "--nl"))
    assert [r["rank"] for r in rows] == [1, 2, 3] and "explanation" in rows[0]
    csv_rows = parse("csv", invoke(*filled, "rank", "2", "--csv"))
    assert list(csv_rows[0]) == ["rank", "candidate_id", "score", "name", "headline", "matched_must", "missing_must"]
    assert float(csv_rows[0]["score"]) >= float(csv_rows[2]["score"])
    assert parse("csv", invoke(*filled, "purge", "--dry-run", "--csv")) == []
    assert invoke(*filled, "purge", "--dry-run", "--nl") == ""


def test_render_table_aligns_numbers_right_and_clips_long_text():
    text = render_table([{"n": 5, "t": "x" * 80}, {"n": 120, "t": "short"}], ["n", "t"])
    lines = text.splitlines()
    assert lines[0].split() == ["N", "T"]
    assert lines[1].startswith("  5  ") and lines[2].startswith("120  ")
    assert lines[1].endswith("…") and len(lines[1]) == 5 + 60


def test_crawl_fields_are_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    for name in CRAWL_FIELDS + JOB_FIELDS:
        assert f"`{name}`" in doc
