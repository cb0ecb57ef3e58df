"""Chunked top-k against brute force, float16, group max, the growable matrix."""

from __future__ import annotations

import numpy as np
import pytest

from ranking.matrix import VectorMatrix
from ranking.search import cos_score, group_max, score_all, topk


def _unit(rng, n, d):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("chunk_size", [1, 7, 13, 97, 1000, 5000])
@pytest.mark.parametrize("k", [1, 5, 50])
def test_chunked_topk_equals_brute_force(chunk_size, k):
    rng = np.random.default_rng(chunk_size * 31 + k)
    corpus = _unit(rng, 1001, 24)
    queries = _unit(rng, 3, 24)
    got = topk(queries, corpus, k, chunk_size=chunk_size)
    brute = queries @ corpus.T
    for qi in range(3):
        expected = np.argsort(-brute[qi], kind="stable")[:k]
        assert [r for r, _ in got[qi]] == expected.tolist()
        assert np.allclose([s for _, s in got[qi]], brute[qi][expected], atol=1e-6)


def test_topk_k_larger_than_corpus_and_single_query():
    rng = np.random.default_rng(1)
    corpus = _unit(rng, 5, 8)
    got = topk(corpus[2], corpus, 10, chunk_size=3)
    assert len(got) == 1 and len(got[0]) == 5
    assert got[0][0][0] == 2 and got[0][0][1] == pytest.approx(1.0, abs=1e-6)


def test_float16_corpus_keeps_the_order_of_clear_winners():
    rng = np.random.default_rng(2)
    corpus = _unit(rng, 2000, 32)
    q = corpus[[17, 1234]]
    got = topk(q, corpus.astype(np.float16), 1, chunk_size=333)
    assert [g[0][0] for g in got] == [17, 1234]


def test_custom_score_function_and_cosine():
    corpus = np.array([[3.0, 0.0], [1.0, 1.0], [0.0, 5.0]], dtype=np.float32)
    q = np.array([[1.0, 0.5]], dtype=np.float32)
    # Dot product rewards long vectors (3, 1.5, 2.5); cosine only looks at angles (0.89, 0.95, 0.45).
    assert [r for r, _ in topk(q, corpus, 3)[0]] == [0, 2, 1]
    assert [r for r, _ in topk(q, corpus, 3, score_fn=cos_score)[0]] == [1, 0, 2]


def test_score_all_chunked_matches_full_product():
    rng = np.random.default_rng(3)
    corpus = _unit(rng, 777, 16)
    q = _unit(rng, 2, 16)
    assert np.allclose(score_all(q, corpus, chunk_size=50), q @ corpus.T, atol=1e-6)


def test_group_max_takes_each_candidates_best_chunk():
    scores = np.array([0.1, 0.9, 0.3, 0.5], dtype=np.float32)
    owners = np.array([0, 0, 2, 2])
    out = group_max(scores, owners, 3)
    assert out[0] == pytest.approx(0.9) and out[2] == pytest.approx(0.5) and out[1] == -np.inf


def test_vector_matrix_grows_and_keeps_rows_contiguous():
    m = VectorMatrix("m", 4, capacity=2)
    m.add(["a", "b", "a"], np.eye(4, dtype=np.float32)[:3])
    assert len(m) == 2  # "a" twice in one call gets one row
    m.add([f"k{i}" for i in range(10)], np.ones((10, 4), dtype=np.float32))
    assert len(m) == 12 and m.data.flags["C_CONTIGUOUS"]
    assert m.rows(["b", "k9"]).tolist() == [1, 11]
    assert m.missing(["a", "zz", "zz"]) == ["zz"]
    with pytest.raises(ValueError, match="dim 4"):
        m.add(["x"], np.ones((1, 3), dtype=np.float32))
