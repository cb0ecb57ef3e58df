"""Learning from decisions: Rocchio maths, the residual measure, `rank --feedback`, and the real model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ranking.feedback import Feedback, describe, feedback_from_decisions, moved_lexical, moved_query
from ranking_helpers import backend_profile, pastry_profile
from sourcing.models import ProfileRecord

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "ranking" / "tiny"


def test_moved_lexical_equals_the_cosine_of_the_explicit_rocchio_vector():
    rng = np.random.default_rng(0)
    docs = rng.random((6, 12))
    docs /= np.linalg.norm(docs, axis=1, keepdims=True)
    q = rng.random(12)
    q /= np.linalg.norm(q)
    fb = Feedback(positive=[1, 4], negative=[2])
    explicit = moved_query(q, docs, fb)  # the same Rocchio formula in an explicit space
    from_cosines = moved_lexical(docs @ q, docs[fb.positive + fb.negative] @ docs.T, fb)
    assert from_cosines == pytest.approx(docs @ explicit, abs=1e-5)


def test_decisions_become_pool_indices_and_sentences():
    fb = feedback_from_decisions({7: {"status": "shortlisted"}, 9: {"status": "rejected"}, 3: {"status": "maybe"},
                                  99: {"status": "shortlisted"}}, [3, 7, 9])
    assert fb.positive == [1] and fb.negative == [2]  # maybe counts for nothing; 99 is not in the pool
    assert describe(8, 3, 2, 0) == "moved up 5 places: close to 2 people you shortlisted"
    assert describe(2, 4, 0, 1) == "moved down 2 places: close to 1 person you rejected"
    assert describe(3, 3, 1, 0) == ""


def test_eval_reports_residual_ranking_with_and_without_feedback(tmp_path, monkeypatch):
    from sourcing.cli import cli

    monkeypatch.setenv("SOURCING_RANKING__MODEL", "fake")
    args = ["--db", str(tmp_path / "s.db"), "eval", "--queries", str(TINY / "queries.tsv"), "--corpus", str(TINY / "corpus.tsv"),
            "--qrels", str(TINY / "qrels.txt"), "--lang", "en", "--feedback", "1", "--json"]
    out = json.loads(CliRunner().invoke(cli, args, catch_exceptions=False).output)["results"]
    assert {"residual@1", "residual@1+feedback", "hybrid", "weighted"} <= set(out)
    assert 0.0 <= out["residual@1+feedback"]["map"] <= 1.0


def _person(ext: str, summary: str, titles: list[str], skills: list[str]) -> ProfileRecord:
    return ProfileRecord(source_kind="jsonresume", external_id=ext, name=ext.title(), headline=titles[0], location="Paris, France",
                         titles=titles, skills=skills, summary=summary, languages=["English"])


@pytest.mark.model
def test_a_shortlisted_persons_near_twin_moves_up(store, minilm, tmp_path):
    """Shortlist an embedded-systems engineer for a web job: her near-twin climbs from the bottom; the explanation says why."""
    from ranking.service import rank_job

    ids = {}
    people = [
        _person("dana", "Writes C firmware for ARM microcontrollers, RTOS drivers and bootloaders.", ["Embedded software engineer"], ["C", "RTOS"]),
        _person("erin", "Firmware engineer: C drivers for ARM Cortex-M boards, bootloaders, RTOS tasks.", ["Firmware engineer"], ["C", "RTOS"]),
        _person("finn", "Builds React and TypeScript web front ends for online shops.", ["Frontend engineer"], ["React", "TypeScript"]),
        _person("gail", "Runs Kubernetes clusters and Terraform pipelines on AWS.", ["DevOps engineer"], ["Kubernetes", "Terraform"]),
        _person("hugo", "Java backend services with Spring Boot and Kafka for a bank.", ["Backend engineer"], ["Java", "Kafka"]),
    ]
    for p in people:
        ids[p.external_id] = store.upsert_profile(p).candidate_id
    ids["alice"] = store.upsert_profile(backend_profile()).candidate_id
    ids["bob"] = store.upsert_profile(pastry_profile()).candidate_id
    job = store.add_job("Web developer", "We build our online shop.\n", location="Paris")
    before = [r.candidate_id for r in rank_job(store, job, encoder=minilm)]
    assert before.index(ids["erin"]) >= 4  # a firmware engineer is no web developer
    store.set_decision(job, ids["dana"], "shortlisted", actor="test")
    store.set_decision(job, ids["finn"], "rejected", actor="test")
    ranked = rank_job(store, job, encoder=minilm, feedback=True)
    after = [r.candidate_id for r in ranked]
    assert after.index(ids["erin"]) < before.index(ids["erin"])  # the twin climbed
    assert after.index(ids["erin"]) <= 1
    erin = next(r for r in ranked if r.candidate_id == ids["erin"])
    assert erin.explanation["feedback"]["shortlisted"] == 1 and erin.explanation["feedback"]["rejected"] == 1
    assert "close to 1 person you shortlisted" in erin.explanation["feedback"]["note"]
    assert "moved up" in erin.explanation["headline"]
    # Without --feedback the decisions change nothing.
    assert [r.candidate_id for r in rank_job(store, job, encoder=minilm)] == before


def test_feedback_is_explained_and_a_forgotten_persons_decision_stops_counting(pool_store, fake_encoder):
    from ranking.service import rank_job

    job = pool_store.job_id_en
    pool_store.set_decision(job, pool_store.ids["alice"], "shortlisted", actor="test")
    pool_store.set_decision(job, pool_store.ids["bob"], "rejected", actor="test")
    ranked = rank_job(pool_store, job, encoder=fake_encoder, feedback=True)
    assert all(r.explanation["feedback"]["shortlisted"] == 1 and r.explanation["feedback"]["rejected"] == 1 for r in ranked)
    assert all(r.explanation["fusion"] == "learned" for r in ranked)
    pool_store.forget_candidate(pool_store.ids["alice"], actor="test")
    ranked = rank_job(pool_store, job, encoder=fake_encoder, feedback=True)
    assert all(r.explanation["feedback"]["shortlisted"] == 0 for r in ranked)  # only bob's rejection is left
    pool_store.forget_candidate(pool_store.ids["bob"], actor="test")
    assert all("feedback" not in r.explanation for r in rank_job(pool_store, job, encoder=fake_encoder, feedback=True))


def test_feedback_can_be_turned_off(pool_store, fake_encoder, tmp_path):
    from ranking.service import rank_job
    from sourcing.config import load_config

    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text("[ranking]\nfeedback = false\n")
    pool_store.set_decision(pool_store.job_id_en, pool_store.ids["alice"], "shortlisted", actor="test")
    ranked = rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder, config=load_config(cfg_file), feedback=True)
    assert all("feedback" not in r.explanation for r in ranked)
