"""The learned fusion: features, the model file, coverage, language identification, language safety."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ranking.fusion import FEATURES, FusionModel, default_model, fused_scores, load_model, normalised_forms, pool_features
from ranking.languages import covers
from ranking.text import detect_lang
from sourcing.errors import ConfigError

ROU = Path(__file__).resolve().parents[1] / "fixtures" / "ranking" / "melo_rou"


def test_normalised_forms_are_anchored_at_the_top_and_ties_share_a_rank():
    f = normalised_forms(np.array([0.2, 0.9, 0.5, 0.9]))
    assert f["gap"].tolist() == pytest.approx([-0.7, 0.0, -0.4, 0.0])
    assert "dense.gap|covered|agree|long" not in FEATURES  # in a pairwise model the gap is the raw value again
    assert f["rank"][1] == f["rank"][3] == pytest.approx(1.0)  # both best: 1/log2(2)
    assert f["rank"][2] == pytest.approx(1 / np.log2(4))  # third place (rank 2, 0-based)
    assert f["z"][1] > f["z"][2] > f["z"][0]


def test_pool_features_split_dense_by_coverage_and_query_kind():
    sig = {"dense": np.array([0.8, 0.1]), "lexical": np.array([0.3, 0.6]), "skills": np.array([0.0, 0.5])}
    covered = pool_features(sig, covered=np.array([True, False]), query_words=3, doc_words=np.array([10, 200]))
    assert covered.shape == (2, len(FEATURES))
    col = {name: covered[:, i] for i, name in enumerate(FEATURES)}
    # A pool of two: the dense and lexical top-1 differ, so the pool's agreement is 0.
    assert col["dense.raw|covered|disagree|short"].tolist() == pytest.approx([0.8, 0.0])
    assert col["dense.raw|uncovered|disagree|short"].tolist() == pytest.approx([0.0, 0.1])
    assert not col["dense.raw|covered|agree|short"].any()
    assert not col["dense.raw|covered|disagree|long"].any() and not col["lexical.raw|long"].any()  # a 3-word job is title-like
    assert col["length.raw|short"].tolist() == pytest.approx(np.log1p([10, 200]).tolist())


def test_contributions_add_up_to_the_score_and_fixed_signals_count():
    model = FusionModel({"dense.raw|covered|agree|long": 2.0, "lexical.rank|long": 1.0}, fixed={"title": 0.5})
    sig = {"dense": np.array([0.5, 0.2]), "lexical": np.array([0.4, 0.1]), "skills": np.zeros(2)}  # same top: agreement 1
    total, parts = fused_scores(model, sig, covered=True, query_words=50, doc_words=np.array([100, 100]),
                                extra={"title": np.array([1.0, 0.0]), "constraints": np.ones(2)})
    assert set(parts) == {"dense", "lexical", "words", "skills", "length", "title"}  # no fixed weight for constraints: not counted
    assert total.tolist() == pytest.approx((sum(parts.values())).tolist())
    assert parts["dense"].tolist() == pytest.approx([1.0, 0.4]) and parts["title"].tolist() == [0.5, 0.0]


def test_model_file_round_trips_and_bad_files_are_clear_errors(tmp_path):
    from sourcing.errors import ConfigError

    model = default_model()
    again = FusionModel.from_json(model.to_json())
    assert again.coef == model.coef and again.fixed == model.fixed
    assert model.meta["trained_on"] and not set(model.meta["trained_on"]) & set(model.meta["dev_sets_not_trained_on"])
    bad = tmp_path / "f.json"
    bad.write_text(json.dumps({"coef": {"semantic.raw": 1.0}}))
    with pytest.raises(ConfigError, match="unknown features"):
        load_model(bad)
    with pytest.raises(ConfigError, match="No such file"):
        load_model(tmp_path / "missing.json")


@pytest.mark.parametrize("query_words", [4, 60])
def test_shipped_model_follows_the_lexical_signal_more_when_the_encoder_cannot_read(query_words):
    """Dense and lexical unrelated (as when the encoder cannot read the language): the order follows lexical more if uncovered."""
    from scipy.stats import spearmanr

    rng = np.random.default_rng(1)
    sig = {"dense": rng.random(500) * 0.6, "lexical": rng.random(500) * 0.4, "skills": np.zeros(500)}
    kw = dict(query_words=query_words, doc_words=np.full(500, 300))
    covered, _ = fused_scores(default_model(), sig, covered=True, **kw)
    uncovered, _ = fused_scores(default_model(), sig, covered=False, **kw)
    assert spearmanr(uncovered, sig["lexical"])[0] > spearmanr(covered, sig["lexical"])[0]
    assert spearmanr(uncovered, sig["lexical"])[0] > spearmanr(uncovered, sig["dense"])[0]


def test_shipped_model_never_weighs_a_signal_against_itself():
    """Every signal coefficient is >= 0 (length may be negative): a higher similarity never lowers a score."""
    model = default_model()
    assert all(v >= 0 for f, v in model.coef.items() if not f.startswith("length.")), model.coef
    assert model.fixed["title"] > 0 and model.fixed["constraints"] > 0


@pytest.mark.parametrize("query_words", [4, 60])
def test_lexical_order_survives_a_tight_top(query_words):
    """A pool whose lexical top is nearly uniform (the case the negative z weight inverted): more lexical, higher score."""
    from scipy.stats import spearmanr

    n = 300
    lexical = 0.30 + np.linspace(0, 0.002, n)
    sig = {"dense": np.full(n, 0.2), "lexical": lexical, "skills": np.zeros(n)}
    total, parts = fused_scores(default_model(), sig, covered=False, query_words=query_words, doc_words=np.full(n, 40))
    assert spearmanr(parts["lexical"], lexical)[0] > 0.99
    assert spearmanr(total, lexical)[0] > 0.99


def test_display_score_is_a_monotone_0_to_1_map_of_the_fusion_score(tmp_path):
    model = default_model()
    assert set(model.calibration) == {"short", "long"}
    raw = np.linspace(-20, 20, 401)
    for words in (3, 60):
        shown = model.display(raw, words)
        assert ((shown > 0) & (shown < 1)).all() and (np.diff(shown) > 0).all()
    bad = tmp_path / "c.json"
    bad.write_text(json.dumps({"coef": {"lexical.raw|long": 1.0}, "calibration": {"long": [1.0]}}))
    with pytest.raises(ConfigError, match="calibration"):
        load_model(bad)


def test_coverage_is_the_model_cards_list():
    assert covers("all-MiniLM-L6-v2", "en") and not covers("all-MiniLM-L6-v2", "fr")
    assert covers("muse-v3", "de") and covers("muse-v3", "zh-tw") and not covers("muse-v3", "ro")
    assert not covers("/my/model", "cs") and covers("fake-64", "ka")


@pytest.mark.parametrize("text, lang", [
    ("Wir suchen eine erfahrene Entwicklerin für unser Backend-Team in Berlin.", "de"),
    ("Buscamos un desarrollador con experiencia en sistemas distribuidos.", "es"),
    ("Hledáme zkušeného programátora webových aplikací do našeho týmu.", "cs"),
    ("Căutăm un inginer software cu experiență în dezvoltarea aplicațiilor web.", "ro"),
    ("Nous recherchons un développeur Python expérimenté pour notre équipe.", "fr"),
    ("We are looking for an experienced Python developer to join our team.", "en"),
    ("Python", "en"),  # too short to tell: the marker words' default
])
def test_detect_lang_knows_more_than_english_and_french(text, lang):
    assert detect_lang(text) == lang


@pytest.mark.model
def test_uncovered_language_hybrid_does_not_fall_below_tfidf(tmp_path):
    """Romanian titles (MELO, real labels): neither encoder covers Romanian; the hybrid must stay at or above TF-IDF."""
    from sourcing.cli import cli

    args = ["--db", str(tmp_path / "s.db"), "eval", "--queries", str(ROU / "queries.tsv"), "--corpus", str(ROU / "corpus_elements.tsv"),
            "--qrels", str(ROU / "annotations.tsv"), "--metrics", "map,ndcg@10", "--json"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    out = json.loads(result.output)
    res = out["results"]
    assert out["model"] == "muse-v3"  # a Romanian set is ranked with the multilingual encoder...
    assert res["dense"]["map"] < res["tfidf"]["map"]  # ...which cannot read it
    assert res["hybrid"]["map"] >= res["tfidf"]["map"]
    assert res["hybrid"]["map"] >= res["weighted"]["map"]


def test_word_bm25_enters_as_pool_normalised_forms_only():
    base = {"dense": np.array([0.8, 0.1, 0.3]), "lexical": np.array([0.3, 0.6, 0.1]), "skills": np.zeros(3)}
    kw = dict(covered=True, query_words=20, doc_words=np.array([10, 20, 30]))
    without = pool_features(base, **kw)
    col = {name: i for i, name in enumerate(FEATURES)}
    assert "words.raw|long" not in col  # BM25's raw scale grows with the query: not a feature
    assert not without[:, col["words.rank|long"]].any() and not without[:, col["words.z|long"]].any()
    # The same BM25 values times any scale give the same features: only their order and spread count.
    one = pool_features({**base, "words": np.array([2.0, 7.0, 0.0])}, **kw)
    ten = pool_features({**base, "words": np.array([20.0, 70.0, 0.0])}, **kw)
    assert one[:, col["words.rank|long"]].tolist() == pytest.approx([1 / np.log2(3), 1.0, 1 / np.log2(4)])
    assert np.allclose(one[:, col["words.rank|long"]], ten[:, col["words.rank|long"]])
    assert not one[:, col["words.rank|short"]].any()  # a 20-word job is a long text
    # Only the words columns differ from the pool without BM25.
    other = [i for n, i in col.items() if not n.startswith("words.")]
    assert np.array_equal(one[:, other], without[:, other])
