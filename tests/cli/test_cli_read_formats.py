"""Tests that every read command of the Click tree takes `--json`, `--csv`, `--nl` and a default table.

The commands are enumerated from `sourcing.cli.cli` itself, so a new command fails
here until it is either given the four formats (and a case below, whose output is
parsed in every format) or listed in ACTIONS with the reason it prints no records.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli_helpers import add_job, add_people
from sourcing.cli import cli
from sourcing.storage import Store

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "ranking" / "tiny"
FORMATS = ("table", "json", "nl", "csv")

# Commands that change something or run something: they print a line per thing done, not records.
ACTIONS = {
    "brand ideas": "writes and stores a content calendar (Markdown), exports it with --export",
    "candidates import": "imports files; prints a summary",
    "completion": "prints a shell script",
    "demo": "runs the demo",
    "export": "writes a shortlist file in --format csv/xlsx/json",
    "fairness import": "imports self-reported data",
    "forget": "erases a person",
    "init": "writes a starter config",
    "jobs add": "adds a job; prints its id",
    "jobs close": "closes a job",
    "nightly": "runs the nightly batch; its report is Markdown or --json",
    "notices draft": "writes .eml drafts",
    "notices exempt": "records an exemption",
    "notices mark-sent": "records a notice as sent",
    "purge": "erases old data; its report takes --json/--csv/--nl (tested in test_cli_formats)",
    "review": "opens the review app",
    "schedule install": "writes a timer or crontab line",
    "scrapyd deploy": "uploads the spiders egg to the scrapyd nodes; prints a line per node",
    "schedule remove": "removes them",
    "sources add": "edits the config",
    "sources remove": "edits the config",
}


def leaf_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> dict[str, click.Command]:
    """Every runnable command of the tree, by its full name ("jobs list")."""
    out: dict[str, click.Command] = {}
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out.update(leaf_commands(cmd, (*prefix, name)))
        else:
            out[" ".join((*prefix, name))] = cmd
    return out


def _flags(cmd: click.Command) -> set[str]:
    return {opt for p in cmd.params for opt in getattr(p, "opts", [])}


def read_commands() -> dict[str, click.Command]:
    return {name: cmd for name, cmd in leaf_commands().items() if name not in ACTIONS}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store with jobs, people, a ranking, a decision and a notice exemption; returns (dir, global args)."""
    tmp = tmp_path_factory.mktemp("formats")
    db = tmp / "s.db"
    job = add_job(db)
    people = add_people(db)
    cfg = tmp / "config.toml"
    cfg.write_text('[ranking]\nmodel = "fake"\nmultilingual_model = "fake"\n[brand]\ncompany = "Acme"\n'
                   '[[sources]]\nkind = "greenhouse"\nboard = "acme"\nbase_url = "http://127.0.0.1:9"\n')
    base = ("--config", str(cfg), "--db", str(db))
    runner = CliRunner()
    assert runner.invoke(cli, [*base, "rank", str(job), "--json"]).exit_code == 0
    with Store.open(str(db)) as store:
        store.set_decision(job, people[0], "shortlisted", actor="amy")
        for company in ("Globex", "Initech"):  # the market, for brand insights
            store.add_job("Python developer", "Remote work possible. Salary 50k-60k EUR. Python, Django. Training budget.",
                          company=company)
    res = runner.invoke(cli, [*base, "notices", "exempt", str(people[0]), "--reason", "14(5)(a): told in person"])
    assert res.exit_code == 0, res.output
    return tmp, base, job, people


def cases(world, board_url: str) -> dict[str, list[str]]:
    """The arguments that make each read command print records (global options included)."""
    tmp, base, job, people = world
    crawl_cfg = tmp / "crawl.toml"
    crawl_cfg.write_text(f'db = "{tmp / "crawl.db"}"\n[crawl]\ndownload_delay = 0\nautothrottle = false\nretry_times = 0\n'
                         f'jobdir = "{tmp / "crawls"}"\n[[sources]]\nkind = "greenhouse"\nboard = "acme"\nbase_url = "{board_url}"\n')
    units = str(tmp / "units")
    (tmp / "units").mkdir(exist_ok=True)
    return {
        "audit export": [*base, "audit", "export", "--since", "2026-01-01"],
        "brand insights": [*base, "brand", "insights", "--tfidf"],
        "candidates list": [*base, "candidates", "list"],
        "candidates show": [*base, "candidates", "show", str(people[0])],
        "config show": [*base, "config", "show"],
        "crawl": ["--config", str(crawl_cfg), "crawl", "--all"],
        "eval": [*base, "eval", "--queries", str(TINY / "queries.tsv"), "--corpus", str(TINY / "corpus.tsv"),
                 "--qrels", str(TINY / "qrels.txt"), "--method", "bm25", "--method", "tfidf"],
        "fairness report": [*base, "fairness", "report", str(job)],
        "jobs list": [*base, "jobs", "list"],
        "jobs show": [*base, "jobs", "show", str(job)],
        "notices due": [*base, "notices", "due"],
        "notices show": [*base, "notices", "show", str(people[0])],
        "rank": [*base, "rank", str(job)],
        "schedule show": ["schedule", "show", "--unit-dir", units, "--crontab-file", str(tmp / "crontab")],
        "sources list": [*base, "sources", "list"],
    }


def test_every_command_is_a_read_command_with_all_formats_or_a_listed_action():
    commands = leaf_commands()
    assert len(commands) > 30 and "jobs list" in commands and "audit export" in commands  # the walk reached the groups
    assert set(ACTIONS) <= set(commands), set(ACTIONS) - set(commands)  # no stale entry
    missing = {name: sorted({"--json", "--csv", "--nl", "--table"} - _flags(cmd))
               for name, cmd in read_commands().items()}
    assert {n: m for n, m in missing.items() if m} == {}


def test_every_read_command_has_a_parsed_case(world, board):
    assert set(cases(world, board.base_url)) == set(read_commands())


def _parse(fmt: str, text: str):
    if fmt == "json":
        return json.loads(text)
    if fmt == "nl":
        return [json.loads(line) for line in text.splitlines()]
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name", sorted(set(leaf_commands()) - set(ACTIONS)))
def test_read_command_output_parses_in_every_format(world, board, name):
    args = cases(world, board.base_url)[name]
    outputs = {}
    for fmt in FORMATS:
        res = CliRunner().invoke(cli, [*args, f"--{fmt}"], catch_exceptions=False)
        assert res.exit_code in (0, 3), (name, fmt, res.output)  # the crawl case is a clean run: 0
        outputs[fmt] = res.stdout
    table = outputs["table"]
    assert table.strip() and table.lstrip()[0] not in "[{", (name, table)  # people's text, not JSON
    doc = _parse("json", outputs["json"])
    nl, rows = _parse("nl", outputs["nl"]), _parse("csv", outputs["csv"])
    assert doc and nl and rows, (name, outputs)
    assert all(isinstance(r, dict) for r in nl) and rows[0] and None not in rows[0], name  # a header over every cell
    if isinstance(doc, list):  # a list of records: the same records in JSON and NDJSON, CSV a flat view of them
        assert len(doc) == len(nl) == len(rows), name
        assert [set(r) for r in doc] == [set(r) for r in nl], name
        if name != "audit export":  # its CSV folds the nested rest of a record into `details` (docs/cli.md)
            assert set(rows[0]) <= set(doc[0]), name
