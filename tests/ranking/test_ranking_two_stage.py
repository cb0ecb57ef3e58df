"""Two-stage ranking (retrieve K, re-rank K) against the one-stage ranking it replaces."""

from __future__ import annotations

import pytest

from ranking.full_rank import rank_job_full
from ranking.retrieve import rank_two_stage
from ranking.service import rank_job
from ranking_helpers import backend_profile, frontend_profile, pastry_profile
from sourcing.storage import rank_index


def _grow(store, n: int = 12) -> None:
    """Add varied profiles (English and French, several locations) to the fixture's three."""
    for i in range(n):
        if i % 3 == 0:
            p = backend_profile(external_id=f"be{i}", name=f"Backend {i}", location=["Paris, France", "Lyon, France", "Remote"][i % 3],
                                summary=f"Builds Go and Python services; {i} years on PostgreSQL.", skills=["Go", "Python", "PostgreSQL"][: 1 + i % 3])
        elif i % 3 == 1:
            p = pastry_profile(external_id=f"pa{i}", name=f"Pâtissier {i}",
                               summary="Il prépare des croissants et des entremets depuis dix ans à Lyon.")
        else:
            p = frontend_profile(external_id=f"fe{i}", name=f"Front {i}", summary=f"Writes Vue and TypeScript apps, some Django {i}.")
        store.upsert_profile(p)


def _same(a, b) -> None:
    assert [r.candidate_id for r in a] == [r.candidate_id for r in b]
    assert max(abs(x.score - y.score) for x, y in zip(a, b)) <= 1e-6
    for x, y in zip(a, b):
        assert x.explanation == y.explanation
        assert x.components.keys() == y.components.keys()
        assert all(abs(x.components[k] - y.components[k]) <= 1e-6 for k in x.components)


@pytest.mark.model
def test_two_stage_equals_one_stage_on_a_pool_of_at_most_k_minilm(pool_store, minilm):
    _grow(pool_store)
    two = rank_job(pool_store, pool_store.job_id_en, encoder=minilm)
    one = rank_job_full(pool_store, pool_store.job_id_en, encoder=minilm)
    assert len(two) == len(one) == pool_store.count_candidates()
    _same(two, one)
    blind_two = rank_job(pool_store, pool_store.job_id_en, encoder=minilm, blind=True)
    _same(blind_two, rank_job_full(pool_store, pool_store.job_id_en, encoder=minilm, blind=True))


@pytest.mark.model
def test_two_stage_equals_one_stage_for_a_french_job_muse(pool_store, muse):
    _grow(pool_store)
    two = rank_job(pool_store, pool_store.job_id_fr, encoder=muse)
    _same(two, rank_job_full(pool_store, pool_store.job_id_fr, encoder=muse))


def test_a_pool_larger_than_k_saves_the_best_k_and_says_so(pool_store, fake_encoder):
    _grow(pool_store, 30)
    n = pool_store.count_candidates()
    run = rank_two_stage(pool_store, pool_store.job_id_en, encoder=fake_encoder, retrieve=8)
    assert len(run.results) == 8 and len(pool_store.get_ranking(pool_store.job_id_en)) == 8
    assert run.pool == n and 8 <= run.retrieved < n
    scope = rank_index.get_scope(pool_store, pool_store.job_id_en)
    assert (scope["pool"], scope["retrieved"], scope["saved"]) == (n, run.retrieved, 8)
    full = rank_job_full(pool_store, pool_store.job_id_en, encoder=fake_encoder)
    # The best of the full ranking is retrieved and stays near the top (the lexical idf now
    # comes from the retrieved candidates, so scores move a little); the pastry chef is not retrieved.
    assert full[0].candidate_id in [r.candidate_id for r in run.results[:3]]
    assert pool_store.ids["bob"] not in {r.candidate_id for r in run.results}
    # Widening to the whole pool gives the one-stage ranking back.
    _same(rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder, retrieve=n), full)


def test_filters_are_applied_at_retrieval(pool_store, fake_encoder):
    _grow(pool_store)
    run = rank_two_stage(pool_store, pool_store.job_id_en, encoder=fake_encoder, filters={"location": "lyon"})
    people = {c["id"]: c for c in pool_store.list_candidates()}
    assert run.results and all("lyon" in (people[r.candidate_id]["location"] or "").lower() for r in run.results)
    assert run.pool == sum("lyon" in (c["location"] or "").lower() for c in people.values())
    fr = rank_two_stage(pool_store, pool_store.job_id_en, encoder=fake_encoder, filters={"lang": "fr"})
    assert fr.results and all(r.explanation for r in fr.results) and fr.pool < len(people)
    pool_store.set_decision(pool_store.job_id_en, pool_store.ids["alice"], "shortlisted", actor="t")
    undecided = rank_two_stage(pool_store, pool_store.job_id_en, encoder=fake_encoder, filters={"undecided": True})
    assert pool_store.ids["alice"] not in {r.candidate_id for r in undecided.results}
    assert undecided.pool == len(people) - 1
