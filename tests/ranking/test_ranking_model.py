"""The real packaged models on a small pool: clear cases come out in the right order."""

from __future__ import annotations

import pytest

from ranking.service import choose_lang, load_encoder, rank_job

pytestmark = pytest.mark.model


def _order(store, ranked):
    return [store.get_candidate(r.candidate_id)["profiles"][0]["external_id"] for r in ranked]


def test_minilm_puts_the_backend_engineer_above_the_pastry_chef_english(pool_store, minilm):
    ranked = rank_job(pool_store, pool_store.job_id_en, encoder=minilm)
    order = _order(pool_store, ranked)
    assert order.index("alice") < order.index("carol") < order.index("bob")
    by = {o: r for o, r in zip(order, ranked)}
    # The dense signal alone already separates them (not only the skills).
    assert by["alice"].explanation["signals"]["dense"] > by["bob"].explanation["signals"]["dense"] + 0.1
    assert pool_store.get_ranking(pool_store.job_id_en)[0]["model"] == "all-MiniLM-L6-v2"


def test_muse_puts_the_backend_engineer_above_the_pastry_chef_french(pool_store, muse):
    ranked = rank_job(pool_store, pool_store.job_id_fr, encoder=muse)
    order = _order(pool_store, ranked)
    assert order[0] == "alice" and order[-1] == "bob"
    by = {o: r for o, r in zip(order, ranked)}
    assert by["alice"].explanation["signals"]["dense"] > by["bob"].explanation["signals"]["dense"] + 0.1
    assert by["alice"].explanation["missing_must"] == []


def test_french_job_picks_the_multilingual_model_by_default():
    assert choose_lang("fr", ["en", "en"]) == "cross"
    assert choose_lang("fr", ["fr", "fr", "en"]) == "multi"
    assert choose_lang("en", ["en", "fr", "fr"]) == "multi"
    assert choose_lang("en", ["en"] * 9 + ["fr"]) == "en"
    assert load_encoder(None, "fr").name == "muse-v3"


def test_muse_matches_a_french_job_to_english_profiles(muse):
    # Cross-lingual: a French job against English profiles, the case MiniLM cannot handle.
    job = "Développeur backend Python Django, API REST, PostgreSQL"
    profiles = ["Python backend developer: Django REST APIs on PostgreSQL", "Pastry chef: croissants, tarts and cakes"]
    v = muse.encode([job] + profiles)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1
