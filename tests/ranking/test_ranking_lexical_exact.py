"""Tests the numpy TF-IDF lexical signal against scikit-learn's TfidfVectorizer on the same texts."""

from __future__ import annotations

import numpy as np
import pytest

from ranking_helpers import DJANGO_JOB_EN, DJANGO_JOB_FR, backend_profile, frontend_profile, pastry_profile


def _docs() -> list[str]:
    docs = []
    for p in (backend_profile(), pastry_profile(), frontend_profile()):
        docs.append(" ".join([p.headline or "", p.summary or "", " ".join(p.skills), " ".join(p.titles)]))
    # Edge cases: one-letter words, tech tokens, accents, tabs and newlines, empty and blank texts.
    docs += ["a I x", "C++ / C# node.js\tDéveloppeuse\n\nbackend", "", "   ", "Pâtisserie fine à Lyon — crème brûlée"]
    return docs


def test_tfidf_cosine_equals_scikit_learn_tfidf():
    from ranking.lexical import TfidfScorer, tfidf_cosine

    docs = _docs()
    queries = [DJANGO_JOB_EN, DJANGO_JOB_FR, "python django", "zzzz", ""]
    want = TfidfScorer().fit(docs).score(queries)
    got = tfidf_cosine(queries, docs)
    assert got.shape == (len(queries), len(docs)) and got.dtype == np.float32
    assert np.abs(got - want).max() < 1e-5
    assert got[0].max() > 0.1 and got[3].max() == 0.0  # the job matches something; a word no doc has matches nothing
    # Many queries at once (the sparse product) give the same rows.
    many = queries + docs * 3
    assert np.abs(tfidf_cosine(many, docs) - TfidfScorer().fit(docs).score(many)).max() < 1e-5


@pytest.mark.parametrize("name", ["tfidf_cosine", "bm25_pool"])
def test_the_pool_lexical_signals_do_not_import_scikit_learn_or_scipy(name):
    import subprocess
    import sys

    code = (f"import sys; from ranking.lexical import {name}; r = {name}(['python django'], ['django dev', 'chef']); "
            "bad = [m for m in ('sklearn', 'scipy') if m in sys.modules]; print(r, bad); sys.exit(bool(bad) or not r[0, 0] > 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_bm25_pool_equals_the_bm25_scorer():
    from ranking.lexical import BM25, bm25_pool

    docs = _docs()
    queries = [DJANGO_JOB_EN, DJANGO_JOB_FR, "python python django", "zzzz", ""]
    want = BM25().fit(docs).score(queries)
    got = bm25_pool(queries, docs)
    assert got.shape == (len(queries), len(docs)) and got.dtype == np.float32
    assert np.abs(got - want).max() < 1e-5
    assert got[0].max() > 0.5 and got[3].max() == 0.0 and got[4].max() == 0.0
    assert bm25_pool([], docs).shape == (0, len(docs)) and bm25_pool(["python"], []).shape == (1, 0)


def test_folded_texts_give_the_same_lexical_signals():
    from ranking.lexical import bm25_pool, tfidf_cosine
    from ranking.text import fold

    docs = _docs() + ["Développeuse • Straße — €50k, Łódź"]
    queries = [DJANGO_JOB_FR, "développeuse lodz", "python"]
    folded = [fold(d) for d in docs]
    assert np.abs(tfidf_cosine(queries, folded, folded=True) - tfidf_cosine(queries, docs)).max() < 1e-6
    assert np.abs(bm25_pool(queries, folded, folded=True) - bm25_pool(queries, docs)).max() < 1e-6
    assert bm25_pool(["développeuse lodz"], folded, folded=True)[0, -1] > 0
