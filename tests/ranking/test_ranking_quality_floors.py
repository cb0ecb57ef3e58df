"""Real-model ranking quality on small labelled pools in English, French and German: MAP above a floor.

Each pool is a cut of a MELO set (tests/fixtures/ranking/melo_small/NOTICE): job titles to be
matched to the ESCO occupation labels people linked them to. The English pool is ranked with the
packaged MiniLM, the French and German ones with the multilingual USE — the encoders the product
picks for those languages (`ranking.model`, `ranking.multilingual_model`). Both the dense signal
alone and the product's hybrid (the learned fusion of dense, lexical and skills signals) are held
to a floor: the MAP measured on 2026-12-03 minus 0.03 (room for float/BLAS differences between
machines, not for a regression). A change that costs more than that on any language fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ranking.evaluate import auto_lang, evaluate, load_eval, method_scores

POOLS = Path(__file__).resolve().parents[1] / "fixtures" / "ranking" / "melo_small"

# pool -> {method: (MAP measured 2026-12-03, floor)}
FLOORS = {
    "en": {"dense": (0.8553, 0.82), "hybrid": (0.8642, 0.83)},
    "fr": {"dense": (0.7158, 0.68), "hybrid": (0.8308, 0.80)},
    "de": {"dense": (0.6935, 0.66), "hybrid": (0.6549, 0.62)},
}


@pytest.fixture(scope="module")
def pool_maps(minilm, muse):
    """{pool: {method: MAP}} with the encoder the product uses for the pool's language."""
    out = {}
    for pool in FLOORS:
        d = POOLS / pool
        data = load_eval(d / "queries.tsv", d / "corpus_elements.tsv", d / "annotations.tsv")
        lang = auto_lang(data)
        encoder = minilm if lang == "en" else muse
        cache: dict = {}
        out[pool] = {"lang": lang, "encoder": encoder.name,
                     **{m: evaluate(data, method_scores(data, m, encoder=encoder, cache=cache), ["map"])["map"] for m in FLOORS[pool]}}
    return out


def test_each_pool_is_ranked_with_the_encoder_of_its_language(pool_maps):
    assert {p: (r["lang"], r["encoder"]) for p, r in pool_maps.items()} == {
        "en": ("en", "all-MiniLM-L6-v2"), "fr": ("multi", "muse-v3"), "de": ("multi", "muse-v3")}


@pytest.mark.parametrize("pool,method", [(p, m) for p in FLOORS for m in FLOORS[p]])
def test_map_stays_above_the_floor_measured_today(pool_maps, pool, method):
    measured, floor = FLOORS[pool][method]
    got = pool_maps[pool][method]
    assert got >= floor, f"{pool} {method}: MAP {got:.4f} is below the floor {floor} (measured {measured} on 2026-12-03)"
