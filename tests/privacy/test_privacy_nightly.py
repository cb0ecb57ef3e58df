"""Tests the nightly run's notice step on a real SQLite file: notices due listed, erase at the deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from privacy_helpers import add_person

from sourcing import notices
from sourcing.config import load_config
from sourcing.errors import ConfigError
from sourcing.nightly import run_nightly
from sourcing.nightly_notices import notices_step


def _config(config_path, tmp_path, action: str):
    config_path.write_text(config_path.read_text() + f'no_notice_action = "{action}"\n'
                           f'[nightly]\nreports_dir = "{tmp_path / "reports"}"\n'
                           '[ranking]\nmodel = "fake"\nmultilingual_model = "fake"\n', encoding="utf-8")
    return load_config(config_path, env={})


def _people(store, config):
    ids = {k: add_person(store, k, email=f"{k}@example.org") for k in ("sent", "exempt", "due", "late")}
    ids["noaddress"] = add_person(store, "noaddress")
    notices.mark_sent(store, config, ids["sent"], channel="email", actor="amy")
    notices.exempt(store, ids["exempt"], reason="14(5)(a): informed at the fair", actor="amy")
    return ids


def _run(store, config, tmp_path, now):
    from ranking.encoders import FakeEncoder

    return run_nightly(config, store=store, encoder=FakeEncoder(), lock_path=tmp_path / "n.lock",
                       reports_dir=tmp_path / "reports", log_path=tmp_path / "n.log", now=now)


def test_nightly_erases_at_the_deadline_with_erase(store, config_path, tmp_path):
    config = _config(config_path, tmp_path, "erase")
    ids = _people(store, config)
    t0 = store.get_candidate(ids["noaddress"])["created_at"]
    early = _run(store, config, tmp_path, t0 + timedelta(days=25))  # deadlines in 5 days: listed, kept
    assert sorted(d["candidate_id"] for d in early.report["notices"]["due"]) == sorted([ids["due"], ids["late"], ids["noaddress"]])
    assert early.report["notices"]["erased"] == [] and store.count_candidates() == 5
    md = next(p for p in early.paths if p.suffix == ".md").read_text()
    assert "## GDPR notices" in md and f"| #{ids['due']} | due |" in md and "3 notices due" in md
    notices.mark_sent(store, config, ids["due"], channel="letter", actor="amy")
    done = _run(store, config, tmp_path, t0 + timedelta(days=31))
    assert sorted(done.report["notices"]["erased"]) == sorted([ids["late"], ids["noaddress"]])
    assert sorted(c["id"] for c in store.list_candidates()) == sorted([ids["sent"], ids["exempt"], ids["due"]])
    assert store.is_do_not_collect("github", external_id="late")  # erased people are not collected again
    erasures = [e["actor"] for e in store.audit_entries(target_type="erasure")]
    assert erasures == ["nightly (no notice by the deadline)"] * 2


def test_keep_only_lists_and_a_bad_action_is_refused(store, config_path, tmp_path):
    config = _config(config_path, tmp_path, "keep")
    ids = _people(store, config)
    t0 = store.get_candidate(ids["late"])["created_at"]
    result = notices_step(store, config, actor="nightly", now=t0 + timedelta(days=40))
    assert result["erased"] == [] and {d["state"] for d in result["due"]} == {"overdue"}
    assert store.count_candidates() == 5
    bad = config_path.read_text().replace('no_notice_action = "keep"', 'no_notice_action = "delete"')
    config_path.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError, match="keep.*erase"):
        notices_step(store, load_config(config_path, env={}), actor="nightly")
