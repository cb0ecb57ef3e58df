"""Tests every command's exit status through the installed `sourcing` executable (a child process).

Codes (sourcing.errors.ExitStatus): 0 ok, 1 failed, 2 bad arguments or config, 3 partial
(some of a batch failed, the rest went through), 4 not found, 5 refused source, 7 locked.
Each test runs one command for success, partial failure, bad input and not found, where
the command has such a case.
"""

from __future__ import annotations

from pathlib import Path

from cli_helpers import add_job, add_people
from cli_helpers import run_sourcing as sourcing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_init_and_config_show(tmp_path):
    cfg = tmp_path / "config.toml"
    db = tmp_path / "s.db"
    ok = sourcing("--config", str(cfg), "--db", str(db), "init", "--contact", "hr@acme.example")
    assert ok.returncode == 0, ok.stderr
    assert sourcing("--config", str(cfg), "config", "show").returncode == 0
    missing = sourcing("--config", str(tmp_path / "nope.toml"), "config", "show")
    assert missing.returncode == 2 and "config file not found" in missing.stderr
    cfg.write_text("[ranking\n")
    bad = sourcing("--config", str(cfg), "config", "show")
    assert bad.returncode == 2 and "not valid TOML" in bad.stderr
    assert sourcing("--config", str(tmp_path), "init").returncode == 2  # a directory is not a config file


def test_jobs_commands(tmp_path):
    db = str(tmp_path / "s.db")
    jd = tmp_path / "jd.txt"
    jd.write_text("We need a Django developer. Python, PostgreSQL.\n")
    added = sourcing("--db", db, "jobs", "add", "--title", "Django dev", "--file", str(jd))
    assert (added.returncode, added.stdout.strip()) == (0, "1")
    assert sourcing("--db", db, "jobs", "add", "--title", "No text").returncode == 2
    nofile = sourcing("--db", db, "jobs", "add", "--title", "X", "--file", str(tmp_path / "missing.txt"))
    assert nofile.returncode == 2 and "does not exist" in nofile.stderr
    assert sourcing("--db", db, "jobs", "list").returncode == 0
    assert sourcing("--db", db, "jobs", "list", "--bogus").returncode == 2
    assert sourcing("--db", db, "jobs", "show", "1").returncode == 0
    assert sourcing("--db", db, "jobs", "show", "one").returncode == 2
    gone = sourcing("--db", db, "jobs", "show", "99")
    assert gone.returncode == 4 and "99" in gone.stderr
    assert sourcing("--db", db, "jobs", "close", "1").returncode == 0
    assert sourcing("--db", db, "jobs", "close", "99").returncode == 4


def test_candidates_commands(tmp_path):
    db = str(tmp_path / "s.db")
    good = FIXTURES / "core" / "sample.resume.json"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    ok = sourcing("--db", db, "candidates", "import", str(good))
    assert ok.returncode == 0, ok.stderr
    partial = sourcing("--db", db, "candidates", "import", str(good), str(broken))
    assert partial.returncode == 3 and f"{broken}:" in partial.stderr
    failed = sourcing("--db", db, "candidates", "import", str(broken))
    assert failed.returncode == 1 and "nothing was imported" in failed.stderr
    typo = sourcing("--db", db, "candidates", "import", str(tmp_path / "resumes"))
    assert typo.returncode == 1 and f"{tmp_path / 'resumes'}: cannot read the file: it does not exist" in typo.stderr
    assert "(none)" not in typo.stderr
    assert sourcing("--db", db, "candidates", "import", str(good), "--max-mb", "0").returncode == 2
    assert sourcing("--db", db, "candidates", "list").returncode == 0
    assert sourcing("--db", db, "candidates", "show", "1").returncode == 0
    assert sourcing("--db", db, "candidates", "show", "99").returncode == 4


def test_rank_export_forget(tmp_path, workspace):
    cfg = str(workspace())
    job = add_job(tmp_path / "sourcing.db")
    people = add_people(tmp_path / "sourcing.db")
    ranked = sourcing("--config", cfg, "rank", str(job), "--json")
    assert ranked.returncode == 0, ranked.stderr
    assert sourcing("--config", cfg, "rank", "99").returncode == 4
    assert sourcing("--config", cfg, "rank", "x").returncode == 2
    exported = sourcing("--config", cfg, "export", str(job), "--format", "csv")
    assert exported.returncode == 0 and exported.stdout.startswith("\"rank\",")
    assert sourcing("--config", cfg, "export", "99").returncode == 4
    assert sourcing("--config", cfg, "export", str(job), "--format", "pdf").returncode == 2
    assert sourcing("--config", cfg, "export", str(job), "--out", str(tmp_path / "a.xlsx"), "--format", "csv").returncode == 2
    assert sourcing("--config", cfg, "forget", str(people[0]), "--yes").returncode == 0
    assert sourcing("--config", cfg, "forget", str(people[0]), "--yes").returncode == 4
    assert sourcing("--config", cfg, "forget", str(people[1]), input="n\n").returncode == 130  # answered no


def test_eval_bad_input(tmp_path):
    missing = sourcing("eval", "--queries", str(tmp_path / "q.tsv"), "--corpus", str(tmp_path), "--qrels", str(tmp_path / "r"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_review_not_found_and_bad_input(tmp_path):
    db = str(tmp_path / "s.db")
    gone = sourcing("--db", db, "review", "5")
    assert gone.returncode == 4 and "5" in gone.stderr
    assert sourcing("--db", db, "review", "five").returncode == 2


def test_demo_bad_input():
    assert sourcing("demo", "--top", "0").returncode == 2


def test_brand_commands(tmp_path, workspace):
    cfg = str(workspace())
    add_job(tmp_path / "sourcing.db")
    ok = sourcing("--config", cfg, "brand", "insights", "--tfidf")
    assert ok.returncode == 0, ok.stderr
    assert sourcing("--config", cfg, "brand", "ideas", "--export", "ics", "--tfidf").returncode == 2
    assert sourcing("--config", cfg, "brand", "ideas", "--weeks", "99").returncode == 2


def test_sources_commands(tmp_path, board):
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    base = ("--config", str(cfg))
    assert sourcing(*base, "sources", "add", "greenhouse:acme").returncode == 0
    dup = sourcing(*base, "sources", "add", "greenhouse:acme")
    assert dup.returncode == 2 and "already configured" in dup.stderr
    refused = sourcing(*base, "sources", "add", "https://www.linkedin.com/in/someone")
    assert refused.returncode == 5 and "LinkedIn" in refused.stderr
    robots = sourcing(*base, "sources", "add", f"{board.base_url}/private/careers")
    assert robots.returncode == 5 and "robots.txt" in robots.stderr
    assert sourcing(*base, "sources", "add", "nosuchkind:x").returncode == 2
    assert sourcing(*base, "sources", "list").returncode == 0
    assert sourcing(*base, "sources", "list", "--kinds").returncode == 0
    assert sourcing(*base, "sources", "remove", "greenhouse:acme").returncode == 0
    gone = sourcing(*base, "sources", "remove", "greenhouse:acme")
    assert gone.returncode == 4 and "no such source" in gone.stderr


def test_crawl_ok_partial_failed_bad_input(tmp_path, workspace):
    cfg = str(workspace("acme", "broken"))
    ok = sourcing("--config", cfg, "crawl", "greenhouse:acme")
    assert ok.returncode == 0, ok.stderr
    partial = sourcing("--config", cfg, "crawl", "--all")
    assert partial.returncode == 3, partial.stderr
    assert "greenhouse:broken (failed)" in partial.stderr
    failed = sourcing("--config", cfg, "crawl", "greenhouse:broken")
    assert failed.returncode == 1 and "every source failed" in failed.stderr
    assert sourcing("--config", cfg, "crawl").returncode == 2
    assert sourcing("--config", cfg, "crawl", "-s", "NOEQUALS").returncode == 2
    assert sourcing("--config", cfg, "crawl", "linkedin:someone").returncode in (2, 5)


def test_nightly_ok_partial_and_not_found(tmp_path, workspace):
    args = ("nightly", "--lock-file", str(tmp_path / "l"), "--log-file", str(tmp_path / "n.log"))
    none_yet = sourcing("--config", str(workspace("acme")), "nightly", "--last")
    assert none_yet.returncode == 4 and "no nightly run has finished yet" in none_yet.stderr
    ok = sourcing("--config", str(workspace("acme")), *args)
    assert ok.returncode == 0, ok.stderr
    assert "Status: **ok** (exit 0)" in ok.stdout
    partial = sourcing("--config", str(workspace("acme", "broken")), *args)
    assert "Status: **partial** (exit 3)" in partial.stdout
    assert partial.returncode == 3  # what cron and systemd see: the same as the report says
    assert sourcing("--config", str(workspace("acme")), "nightly", "--no-such-flag").returncode == 2


def test_schedule_and_purge(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    units, crontab = str(tmp_path / "units"), str(tmp_path / "crontab")
    assert sourcing("--config", str(cfg), "schedule", "install", "--unit-dir", units).returncode == 0
    assert sourcing("schedule", "show", "--unit-dir", units, "--crontab-file", crontab).returncode == 0
    assert sourcing("schedule", "install", "--at", "25:00", "--unit-dir", units).returncode == 2
    assert sourcing("schedule", "remove", "--unit-dir", units, "--crontab-file", crontab).returncode == 0
    assert sourcing("--db", str(tmp_path / "s.db"), "purge", "--dry-run").returncode == 0
    assert sourcing("--db", str(tmp_path / "s.db"), "purge", "--days", "3").returncode == 2


def test_unknown_command_and_version():
    assert sourcing("frobnicate").returncode == 2
    assert sourcing("--version").returncode == 0
