"""CLI tests for the foundation commands: help everywhere, init, jobs, forget, exit codes."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from sourcing.cli import cli, main
from sourcing.models import ProfileRecord
from sourcing.storage import Store


def all_commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in all_commands(cli)], ids=" ".join)
def test_every_command_has_help_with_text(path):
    result = CliRunner().invoke(cli, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    cmd = dict(all_commands(cli))[path]
    assert cmd.help and len(cmd.help.strip()) > 10


@pytest.mark.parametrize("path", [p for p, c in all_commands(cli) if not isinstance(c, click.Group)], ids=" ".join)
def test_every_leaf_command_shows_an_example(path):
    assert "Example" in dict(all_commands(cli))[path].help


def test_top_level_help_lists_the_commands():
    out = CliRunner().invoke(cli, ["--help"]).output
    for name in ("init", "jobs", "forget", "config"):
        assert name in out


def run(args, tmp_path, input=None, db=None):
    """Run through `main` (the console script) so errors map to exit codes."""
    cfg = tmp_path / "config.toml"
    cfg_args = ["--config", str(cfg)] if cfg.exists() or args[:1] == ["init"] else []
    return subprocess.run(
        [sys.executable, "-c", "from sourcing.cli import main; main()", *cfg_args, "--db", db or str(tmp_path / "s.db"), *args],
        capture_output=True, text=True, input=input,
    )


def test_init_jobs_roundtrip(tmp_path):
    r = run(["init", "--contact", "hr@acme.example"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "contact = \"hr@acme.example\"" in (tmp_path / "config.toml").read_text()
    jd = tmp_path / "jd.txt"
    jd.write_text("We need a Django developer.\nRequirements:\n- Python\n- Django\n")
    r = run(["jobs", "add", "--title", "Django dev", "--file", str(jd), "--company", "Acme"], tmp_path)
    assert (r.returncode, r.stdout.strip()) == (0, "1")
    r = run(["jobs", "add", "--title", "Data", "--stdin"], tmp_path, input="SQL and dbt")
    assert (r.returncode, r.stdout.strip()) == (0, "2")
    listing = run(["jobs", "list"], tmp_path).stdout
    assert listing.splitlines()[0].split()[:3] == ["ID", "TITLE", "COMPANY"]
    assert any(ln.split()[:4] == ["1", "Django", "dev", "Acme"] for ln in listing.splitlines()) and "Data" in listing
    shown = run(["jobs", "show", "1"], tmp_path)
    assert "#1 Django dev" in shown.stdout and "Requirements:" in shown.stdout


def test_expected_errors_have_no_traceback_and_exit_codes(tmp_path):
    r = run(["jobs", "show", "99"], tmp_path)
    assert r.returncode == 4 and "no job with id 99" in r.stderr and "Traceback" not in r.stderr
    r = run(["jobs", "add", "--title", "x"], tmp_path)
    assert r.returncode == 2 and "--file PATH or --stdin" in r.stderr
    bad = tmp_path / "config.toml"
    bad.write_text("[ranking]\ntop = 'x'\n")
    r = run(["jobs", "list"], tmp_path)
    assert r.returncode == 2 and str(bad) in r.stderr and "ranking.top" in r.stderr
    r = run(["--debug", "jobs", "list"], tmp_path)
    assert "Traceback" in r.stderr


@pytest.mark.postgres
def test_forget_command(tmp_path, db_url, on_disk):
    s = Store.open(db_url)
    cid = s.upsert_profile(ProfileRecord("github", "7", name="Grace Zwq", github_login="grace-zwq",
                                         url="https://github.com/grace-zwq", email="grace.zwq@example.org")).candidate_id
    s.close()
    r = run(["forget", str(cid), "--yes"], tmp_path, db=db_url)
    assert r.returncode == 0 and "Erased candidate" in r.stdout
    # Nothing of the person is left on disk: the SQLite file and WAL, or the Postgres data directory.
    assert on_disk(b"grace.zwq@example.org", b"github.com/grace-zwq", b"Grace Zwq") == []
    r = run(["forget", str(cid), "--yes"], tmp_path, db=db_url)
    assert r.returncode == 4


def test_jobs_close_hides_the_job_where_only_open_jobs_count(tmp_path):
    """`sourcing jobs close` takes the job out of the open-only listings (`--all` still shows it).

    Mutant caught: deleting `q = q.where(t.job.c.status == "open")` from `Store.list_jobs`
    (the open-only filter the review app, nightly re-ranking and `embed_pending` rely on)
    leaves the closed job in `jobs list` and in `store.list_jobs()`.
    """
    assert run(["init", "--contact", "hr@acme.example"], tmp_path).returncode == 0
    for title in ("Django dev", "Data engineer"):
        assert run(["jobs", "add", "--title", title, "--stdin"], tmp_path, input="Python and SQL").returncode == 0
    r = run(["jobs", "close", "1"], tmp_path)
    assert (r.returncode, r.stdout.strip()) == (0, "Closed job 1.")

    listed = list(csv.DictReader(io.StringIO(run(["jobs", "list", "--csv"], tmp_path).stdout)))
    assert [(row["id"], row["title"], row["status"]) for row in listed] == [("2", "Data engineer", "open")]
    everything = list(csv.DictReader(io.StringIO(run(["jobs", "list", "--all", "--csv"], tmp_path).stdout)))
    assert [(row["id"], row["status"]) for row in everything] == [("2", "open"), ("1", "closed")]
    assert "Status: closed" in run(["jobs", "show", "1"], tmp_path).stdout
    with Store.open(str(tmp_path / "s.db")) as store:
        assert [j["id"] for j in store.list_jobs()] == [2]
        assert [j["id"] for j in store.list_jobs(open_only=False)] == [2, 1]
        (entry,) = [e for e in store.audit_entries(target_type="job") if e["action"] == "job.status"]
        assert (entry["before"], entry["after"]) == ({"status": "open"}, {"status": "closed"})
    r = run(["jobs", "close", "99"], tmp_path)
    assert r.returncode == 4 and "no job with id 99" in r.stderr


def test_config_show_init_force_and_version(tmp_path):
    """`config show` prints each setting with its origin; `init` keeps a config unless `--force`; `--version`.

    Mutants caught: `config show` printing the default instead of the file/env value or
    origin; `init` overwriting without `--force` (the edited contact would be lost).
    """
    from importlib.metadata import version

    assert run(["init", "--contact", "first@acme.example"], tmp_path).returncode == 0
    cfg = tmp_path / "config.toml"
    cfg.write_text(cfg.read_text().replace("first@acme.example", "edited@acme.example"))
    kept = run(["init", "--contact", "second@acme.example"], tmp_path)
    assert kept.returncode == 0 and f"Config exists: {cfg} (use --force to overwrite)" in kept.stderr
    assert 'contact = "edited@acme.example"' in cfg.read_text()
    forced = run(["init", "--force", "--contact", "second@acme.example"], tmp_path)
    assert forced.returncode == 0 and f"Wrote config: {cfg}" in forced.stderr
    assert 'contact = "second@acme.example"' in cfg.read_text()

    shown = subprocess.run(
        [sys.executable, "-c", "from sourcing.cli import main; main()", "--config", str(cfg), "--db", str(tmp_path / "s.db"),
         "config", "show"], capture_output=True, text=True, env={**os.environ, "SOURCING_RANKING__TOP": "7"})
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"# config file: {cfg}"
    assert "crawl.contact = 'second@acme.example'    # file" in lines
    assert "ranking.top = 7    # env" in lines
    assert "privacy.rejected_retention_days = 90    # default" in lines
    assert lines[-1] == "# sources: 0"

    v = run(["--version"], tmp_path)
    assert v.returncode == 0 and v.stdout.strip().endswith(version("sourcing"))


def test_forget_without_yes_asks_first(tmp_path):
    """`forget` without `--yes` asks; "n" keeps the person (exit 130, "Aborted"), "y" erases them.

    Mutant caught: skipping the confirmation when `--yes` is absent (the "n" answer would erase).
    """
    with Store.open(str(tmp_path / "s.db")) as s:
        cid = s.upsert_profile(ProfileRecord("github", "7", name="Grace", github_login="grace")).candidate_id
    no = run(["forget", str(cid)], tmp_path, input="n\n")
    assert no.returncode == 130 and f"Erase candidate {cid}" in no.stderr and "Aborted" in no.stderr
    with Store.open(str(tmp_path / "s.db")) as s:
        assert s.get_candidate(cid)["name"] == "Grace"
    yes = run(["forget", str(cid)], tmp_path, input="y\n")
    assert yes.returncode == 0 and "Erased candidate" in yes.stdout
    with Store.open(str(tmp_path / "s.db")) as s:
        assert s.count_candidates() == 0
