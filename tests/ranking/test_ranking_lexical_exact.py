"""Tests the numpy TF-IDF lexical signal against scikit-learn's TfidfVectorizer on the same texts."""

from __future__ import annotations

import numpy as np

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


def test_tfidf_cosine_does_not_import_scikit_learn_or_scipy():
    import subprocess
    import sys

    code = ("import sys; from ranking.lexical import tfidf_cosine; r = tfidf_cosine(['python django'], ['django dev', 'chef']); "
            "bad = [m for m in ('sklearn', 'scipy') if m in sys.modules]; print(r, bad); sys.exit(bool(bad) or not r[0, 0] > 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
