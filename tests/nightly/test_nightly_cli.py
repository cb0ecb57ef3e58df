"""Tests the `sourcing nightly|schedule|purge` commands as a user runs them (real processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from sourcing.models import ProfileRecord, utcnow
from sourcing.storage import Store

SOURCING = str(Path(sys.executable).with_name("sourcing"))


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SOURCING, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_second_nightly_exits_locked_with_a_clear_message(tmp_path):
    lock = tmp_path / "nightly.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from sourcing.lock import FileLock; FileLock(sys.argv[1]).acquire(); "
         "print('held', flush=True); sys.stdin.read()", str(lock)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = _run("--db", str(tmp_path / "s.db"), "nightly", "--lock-file", str(lock))
        assert proc.returncode == 7
        assert proc.stderr.startswith("Error: another nightly run is in progress (pid ")
        assert proc.stdout == ""
    finally:
        holder.communicate("")


@pytest.mark.postgres
def test_purge_dry_run_then_purge(tmp_path, db_url):
    db = db_url
    with Store.open(str(db)) as store:
        job = store.add_job("Dev", "Python")
        cid = store.upsert_profile(ProfileRecord(source_kind="github", external_id="bob", github_login="bob",
                                                 name="Bob Secret")).candidate_id
        store.set_decision(job, cid, "rejected", actor="amy")
    # The config says rejected people are kept 1 day; nothing is old enough yet.
    cfg = tmp_path / "config.toml"
    cfg.write_text("[privacy]\nrejected_retention_days = 1\n")
    proc = _run("--config", str(cfg), "--db", str(db), "purge", "--dry-run")
    assert proc.returncode == 0 and proc.stdout == ""
    assert "0 would erase (0 rejected > 1 days, 0 inactive > 730 days)" in proc.stderr
    # Age the decision by two days (as if time passed) through the store's own API.
    with Store.open(str(db)) as store:
        from sourcing.storage import schema as t

        with store.transaction() as conn:
            conn.execute(t.decision.update().values(updated_at=utcnow() - timedelta(days=2)))
    proc = _run("--config", str(cfg), "--db", str(db), "purge", "--dry-run")
    assert proc.returncode == 0 and proc.stdout.startswith(f"would erase candidate {cid}\trejected\t")
    with Store.open(str(db)) as store:
        assert store.count_candidates() == 1
    proc = _run("--config", str(cfg), "--db", str(db), "purge")
    assert proc.returncode == 0 and proc.stdout.startswith(f"erased candidate {cid}\trejected")
    assert "Bob" not in proc.stdout + proc.stderr
    with Store.open(str(db)) as store:
        assert store.count_candidates() == 0


def test_schedule_commands_round_trip(tmp_path):
    units, cfg = tmp_path / "units", tmp_path / "config.toml"
    cfg.write_text("")
    proc = _run("--config", str(cfg), "schedule", "install", "--at", "04:45", "--unit-dir", str(units))
    assert proc.returncode == 0, proc.stderr
    assert "method:   systemd" in proc.stdout and "at:       04:45 every day" in proc.stdout
    assert f"command:  {SOURCING} --config {cfg} nightly" in proc.stdout
    assert "next run: " in proc.stdout
    assert f"ExecStart={SOURCING} --config {cfg} nightly" in (units / "sourcing-nightly.service").read_text()
    show = _run("schedule", "show", "--unit-dir", str(units), "--crontab-file", str(tmp_path / "ct"))
    assert show.stdout == proc.stdout
    bad = _run("schedule", "install", "--at", "4pm", "--unit-dir", str(units))
    assert bad.returncode == 2 and "HH:MM" in bad.stderr
    gone = _run("schedule", "remove", "--unit-dir", str(units), "--crontab-file", str(tmp_path / "ct"))
    assert gone.returncode == 0 and gone.stdout.count("removed ") == 2
    cron = _run("--config", str(cfg), "schedule", "install", "--cron", "--crontab-file", str(tmp_path / "ct"))
    assert cron.returncode == 0 and "method:   cron" in cron.stdout and "at:       02:30" in cron.stdout


@pytest.mark.postgres
def test_nightly_command_prints_the_report_and_writes_files(tmp_path, db_url):
    db = db_url
    with Store.open(str(db)) as store:
        store.add_job("Python developer", "Python, Django")
        store.upsert_profile(ProfileRecord(source_kind="github", external_id="ada", github_login="ada",
                                           headline="Django developer", skills=["Python", "Django"]))
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'db = "{db}"\n[nightly]\nreports_dir = "{tmp_path / "reports"}"\n'
                   '[ranking]\nmodel = "fake"\nmultilingual_model = "fake"\n')
    args = ("--config", str(cfg), "nightly", "--lock-file", str(tmp_path / "l"), "--log-file", str(tmp_path / "n.log"))
    proc = _run(*args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Nightly report — ") and "Status: **ok** (exit 0)" in proc.stdout
    assert "No sources configured" in proc.stdout and "| 1 | Candidate " in proc.stdout
    assert proc.stderr.strip().startswith(f"Report written to {tmp_path / 'reports'}/nightly-")
    assert (tmp_path / "reports" / "latest.md").read_text() == proc.stdout.rstrip("\n") + "\n"
    again = _run(*args, "--json")
    import json

    report = json.loads(again.stdout)
    assert report["status"] == "ok" and report["totals"]["embedded"] == 0 and report["totals"]["entered_top"] == 0
    assert report["jobs"][0]["reranked"] is False
    assert "nightly run 2 finished: ok" in (tmp_path / "n.log").read_text()
    last = _run("--config", str(cfg), "nightly", "--last")
    assert last.returncode == 0 and last.stdout.startswith("# Nightly report — ") and "(run 2)" in last.stdout
    from sourcing.storage.nightly import list_runs

    with Store.open(str(db)) as store:
        assert len(list_runs(store)) == 2  # --last ran nothing


def test_nightly_last_without_any_run(tmp_path):
    proc = _run("--db", str(tmp_path / "s.db"), "nightly", "--last")
    assert proc.returncode == 4 and "no nightly run has finished yet" in proc.stderr
