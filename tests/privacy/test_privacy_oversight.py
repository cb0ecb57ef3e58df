"""Tests the oversight switch outside the app: exports, `sourcing rank`, the run log, and the contact rule."""

from __future__ import annotations

import csv
import io
import json

import pytest
from privacy_helpers import add_person, run_main

from sourcing import notices
from sourcing.config import load_config
from sourcing.errors import UsageError
from sourcing.exports import shortlist_rows
from sourcing.oversight import neutral_order
from sourcing.storage import runlog


@pytest.fixture
def off_config_path(config_path):
    config_path.write_text(config_path.read_text() + "[ranking]\nenabled = false\ntop = 3\n", encoding="utf-8")
    return config_path


def _world(store, config):
    from ranking.encoders import FakeEncoder
    from ranking.service import rank_job

    job = store.add_job("Backend engineer", "Requirements\n- Python\n- Django\n")
    ids = [add_person(store, f"o{i}", email=f"o{i}@example.org", skills=("Python", "Django")[: 1 + i % 2]) for i in range(6)]
    results = rank_job(store, job, config=config, encoder=FakeEncoder())
    return job, ids, results


def test_export_with_ranking_off_is_neutral_without_scores(store, off_config_path):
    job, ids, results = _world(store, load_config(off_config_path))
    rows = shortlist_rows(store, job, columns=["rank", "score", "matched", "candidate_id"], ranked=False)
    assert [r["candidate_id"] for r in rows] == neutral_order(job, ids)
    assert {r["rank"] for r in rows} == {None} and {r["score"] for r in rows} == {None}
    assert all(set(r["matched"]) <= {"Python", "Django"} for r in rows)
    on = shortlist_rows(store, job, columns=["score", "candidate_id"])
    assert [r["candidate_id"] for r in on] == [r.candidate_id for r in results] and on[0]["score"] is not None


def test_run_log_records_the_neutral_list_shown(store, off_config_path):
    job, ids, _ = _world(store, load_config(off_config_path))
    (run,) = list(runlog.runs_since(store))
    assert run["ordering"] == "neutral" and run["top_n"] == 3
    assert [e["candidate_id"] for e in run["shown"]] == neutral_order(job, ids)[:3]
    assert {e["score"] for e in run["shown"]} == {None}


def test_rank_and_export_cli_honour_the_switch(store, off_config_path, tmp_path, capsys):
    job, ids, _ = _world(store, load_config(off_config_path))
    code, out, err = run_main(capsys, ["--config", str(off_config_path), "rank", str(job), "--json"])
    assert code == 0, err
    rows = json.loads(out)
    assert [r["candidate_id"] for r in rows] == neutral_order(job, ids)[:3]
    assert all(r["score"] is None and r["rank"] is None and "components" not in r for r in rows)
    code, out, err = run_main(capsys, ["--config", str(off_config_path), "rank", str(job), "--csv"])
    table = list(csv.DictReader(io.StringIO(out)))
    assert "Automated ordering is off" in err and len(table) == 3
    assert {(r["rank"], r["score"]) for r in table} == {("", "")}
    dest = tmp_path / "out.json"
    code, _, err = run_main(capsys, ["--config", str(off_config_path), "export", str(job), "--format", "json", "--out", str(dest)])
    assert code == 0, err
    exported = json.loads(dest.read_text())
    assert all(r["score"] is None for r in exported)


def test_contacted_needs_the_notice_sent_or_exempt(store, config):
    job, ids, _ = _world(store, config)
    with pytest.raises(UsageError, match="notice is not recorded as sent"):
        store.set_decision(job, ids[0], "contacted", actor="amy")
    assert store.get_decisions(job) == {}
    with store.batch():  # sent together: both or neither
        notices.mark_sent(store, config, ids[0], channel="email", actor="amy")
        store.set_decision(job, ids[0], "contacted", actor="amy")
    assert store.get_decisions(job)[ids[0]]["status"] == "contacted"
    notices.exempt(store, ids[1], reason="14(5)(a): already informed", actor="amy")
    assert store.set_decision(job, ids[1], "contacted", actor="amy")["status"] == "contacted"
