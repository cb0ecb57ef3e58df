"""Tests the ranking-run log on a real SQLite file: logged at the save point, decisions record the
top N, `audit export`, retention vs purge, and `forget` blanking the person but keeping the run."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from privacy_helpers import add_person, run_main

from sourcing.cli import cli
from sourcing.config import load_config
from sourcing.errors import ConfigError
from sourcing.models import utcnow
from sourcing.privacy import purge
from sourcing.storage import runlog


def _ranked_world(store, config, n=4):
    from ranking.encoders import FakeEncoder
    from ranking.service import rank_job

    job = store.add_job("Backend engineer", "Requirements\n- Python\n- Django\n")
    ids = [add_person(store, f"p{i}", email=f"p{i}@example.org", skills=("Python", "Django")[: 1 + i % 2]) for i in range(n)]
    results = rank_job(store, job, config=config, encoder=FakeEncoder())
    return job, ids, results


def test_rank_job_logs_the_run_and_decisions_record_top_n(store, config_path):
    config_path.write_text(config_path.read_text() + "[ranking]\ntop = 2\n", encoding="utf-8")
    config = load_config(config_path)
    job, ids, results = _ranked_world(store, config)
    (run,) = list(runlog.runs_since(store))
    assert (run["job_id"], run["actor"], run["pool_size"], run["retrieved_k"], run["top_n"]) == (job, "amy", 4, 4, 2)
    assert run["model"] == "fake-64" and run["ordering"] == "score" and run["blind"] is False
    assert len(run["fusion_version"]) == 12 and run["params"]["weights"]
    assert [e["candidate_id"] for e in run["shown"]] == [r.candidate_id for r in results[:2]]
    top, rest = results[0].candidate_id, results[3].candidate_id
    store.set_decision(job, top, "shortlisted", actor="amy")
    store.set_decision(job, rest, "maybe", actor="amy")
    after = {e["target_id"]: e["after"] for e in store.audit_entries(target_type="candidate") if e["action"] == "decision"}
    assert (after[str(top)]["in_top"], after[str(top)]["top_n"]) == (True, 2)
    assert (after[str(rest)]["in_top"], after[str(rest)]["run_id"]) == (False, run["id"])


def test_forget_blanks_the_person_but_keeps_the_run(store, config):
    job, ids, results = _ranked_world(store, config)
    gone = results[0].candidate_id
    counts = store.forget_candidate(gone, actor="amy")
    assert counts["ranking_run_entries"] == 1
    (run,) = list(runlog.runs_since(store))
    assert run["shown"][0] == {"position": 1, "candidate_id": None, "score": None}
    assert gone not in [e["candidate_id"] for e in run["shown"]] and len(run["shown"]) == 4


def test_purge_keeps_run_logs_six_months(store, config):
    _ranked_world(store, config)
    now = utcnow()
    assert purge(store, config, actor="t", now=now + timedelta(days=150)).runs_removed == 0
    assert len(list(runlog.runs_since(store))) == 1
    assert purge(store, config, actor="t", dry_run=True, now=now + timedelta(days=190)).runs_removed == 1
    assert len(list(runlog.runs_since(store))) == 1  # a dry run removes nothing
    assert purge(store, config, actor="t", now=now + timedelta(days=190)).runs_removed == 1
    assert list(runlog.runs_since(store)) == []


def test_run_log_days_below_six_months_is_refused(store, config_path):
    config_path.write_text(config_path.read_text() + "run_log_days = 90\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="at least 183"):
        purge(store, load_config(config_path), actor="t")


def test_audit_export_jsonl(store, config, config_path, tmp_path, capsys):
    job, ids, results = _ranked_world(store, config)
    store.set_decision(job, results[0].candidate_id, "shortlisted", actor="amy")
    out = tmp_path / "records.jsonl"
    res = CliRunner().invoke(cli, ["--config", str(config_path), "audit", "export", "--since", "2026-01-01",
                                   "--format", "jsonl", "-o", str(out)])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    runs = [i for i, r in enumerate(recs) if r["type"] == "ranking_run"]
    decisions = [i for i, r in enumerate(recs) if r.get("action") == "decision"]
    assert len(runs) == 1 and len(decisions) == 1 and runs[0] < decisions[0]  # oldest first
    run, decision = recs[runs[0]], recs[decisions[0]]
    assert run["job_id"] == job and run["shown"][0]["candidate_id"] == results[0].candidate_id
    assert decision["after"]["in_top"] is True and decision["at"] >= run["at"]
    assert "p0@example.org" not in out.read_text()
    code, out, _ = run_main(capsys, ["--config", str(config_path), "audit", "export", "--since",
                                     (utcnow() + timedelta(days=1)).date().isoformat()])
    assert code == 0 and out == ""
    assert run_main(capsys, ["--config", str(config_path), "audit", "export", "--since", "yesterday"])[0] == 2
