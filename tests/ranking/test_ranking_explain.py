"""Explanations: the right matched and missing must-haves, evidence with its source, components."""

from __future__ import annotations

import pytest

from ranking.service import rank_job


def _by_ext(store, ranked):
    return {store.get_candidate(r.candidate_id)["profiles"][0]["external_id"]: r for r in ranked}


def test_explanation_lists_matched_and_missing_must_haves(pool_store, fake_encoder):
    ranked = _by_ext(pool_store, rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder))
    backend = ranked["alice"].explanation
    assert backend["missing_must"] == []
    assert [r["matched"] for r in backend["requirements"]] == [True, True, True, True, False, False]
    django = next(r for r in backend["requirements"] if r["text"] == "Django")
    assert django["evidence"] and all("Django" in e for e in django["evidence"])
    assert set(django["sources"]) == {"jsonresume"}
    assert {"Python", "Django", "PostgreSQL"} <= set(backend["matched_skills"])

    front = ranked["carol"].explanation  # knows Python, nothing else the job needs
    assert front["missing_must"] == ["Django", "PostgreSQL"]
    assert front["requirements"][0] == {**front["requirements"][0], "text": "4+ years of Python", "matched": True}

    chef = ranked["bob"].explanation
    # Lists French only, but writes the profile in English: "Fluent English" counts as shown.
    assert chef["missing_must"] == ["4+ years of Python", "Django", "PostgreSQL"]


def test_components_add_up_to_the_fusion_score_and_the_score_is_its_display_form(pool_store, fake_encoder):
    from ranking.fusion import default_model
    from ranking.service import _job_texts, spec_from_job

    ranked = rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder)
    words = len(_job_texts(spec_from_job(pool_store.get_job(pool_store.job_id_en)))[0].split())
    for r in ranked:
        fusion = r.explanation["fusion_score"]
        assert sum(r.components.values()) == pytest.approx(fusion, abs=1e-3)
        assert 0 < r.score < 1
        assert r.score == pytest.approx(float(default_model().display(fusion, words)), abs=1e-3)
        assert set(r.explanation["components"]) == {"dense", "title", "lexical", "words", "skills", "constraints", "length"}  # length: the learned fusion's
        assert r.explanation["headline"]


def test_ranking_is_saved_and_top_limits_only_the_return(pool_store, fake_encoder):
    top = rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder, top=1)
    saved = pool_store.get_ranking(pool_store.job_id_en)
    assert len(top) == 1 and len(saved) == 3
    assert saved[0]["candidate_id"] == top[0].candidate_id
    assert saved[0]["model"] == "fake-64" and saved[0]["explanation"]["requirements"]


def test_weights_from_config_change_the_contributions(pool_store, fake_encoder, tmp_path):
    from sourcing.config import load_config

    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text("[ranking]\nweights = {dense = 0.0, title = 0.0, lexical = 0.0, skills = 1.0, constraints = 0.0}\n")
    cfg = load_config(cfg_file)
    ranked = rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder, config=cfg)
    assert all(r.components["dense"] == 0 for r in ranked)
    assert ranked[0].score == pytest.approx(8 / 10)  # 4 must-haves x 2 met, 2 nice-to-haves missed


def test_bad_weight_is_a_clear_error(pool_store, fake_encoder):
    from sourcing.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown signal 'semantic'"):
        rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder, weights={"semantic": 1.0})


def test_updated_profile_is_seen_by_the_next_ranking(pool_store, fake_encoder):
    from ranking_helpers import frontend_profile

    def carol():
        ranked = _by_ext(pool_store, rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder))
        return ranked["carol"].explanation

    assert carol()["missing_must"] == ["Django", "PostgreSQL"]
    pool_store.upsert_profile(frontend_profile(summary="She now writes Django services on PostgreSQL."))
    assert carol()["missing_must"] == []
