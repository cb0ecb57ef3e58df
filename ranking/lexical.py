"""Provides the lexical scorers: BM25 and TF-IDF over scikit-learn sparse matrices.

Both follow scikit-learn's conventions (keyword parameters in `__init__`, no logic
there; `fit(corpus)` then `score(queries)`), and both score a batch of queries
against the whole corpus with one sparse matrix product.

- `BM25`: Okapi BM25 on accent-folded words without stop words (k1, b as usual).
- `TfidfScorer`: cosine of TF-IDF vectors of character n-grams within word
  boundaries, robust to plural/gender endings and typos ("développeur/développeuse").
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ranking.text import content_words


def _analyzer(text: str) -> list[str]:
    return content_words(text)


class BM25:
    """Okapi BM25 over a fixed corpus."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, corpus: Sequence[str]) -> "BM25":
        """Index the corpus (a list of texts)."""
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer_ = CountVectorizer(analyzer=_analyzer)
        tf = self.vectorizer_.fit_transform(list(corpus)).tocsr().astype(np.float32)
        n_docs = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        self.idf_ = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        doc_len = np.asarray(tf.sum(axis=1)).ravel()
        avg = float(doc_len.mean()) if n_docs else 1.0
        norm = self.k1 * (1 - self.b + self.b * doc_len / (avg or 1.0))
        # Pre-weight every (doc, term) cell, so scoring is one product with the query's terms.
        rows = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
        data = tf.data * (self.k1 + 1) / (tf.data + norm[rows]) * self.idf_[tf.indices]
        weighted = tf.copy()
        weighted.data = data.astype(np.float32)
        self.weights_ = weighted.T.tocsr()  # (terms, docs)
        return self

    def score(self, queries: Sequence[str]) -> np.ndarray:
        """BM25 score of each corpus text for each query: (len(queries), n_docs) float32."""
        q = self.vectorizer_.transform(list(queries))
        q.data[:] = 1.0  # a repeated query word counts once
        return np.asarray((q @ self.weights_).todense(), dtype=np.float32)


class TfidfScorer:
    """Cosine between TF-IDF vectors of character n-grams."""

    def __init__(self, *, ngram_range: tuple[int, int] = (3, 5), analyzer: str = "char_wb", sublinear_tf: bool = True) -> None:
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.sublinear_tf = sublinear_tf

    def fit(self, corpus: Sequence[str]) -> "TfidfScorer":
        """Index the corpus (a list of texts)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        from ranking.text import fold

        self.vectorizer_ = TfidfVectorizer(
            analyzer=self.analyzer, ngram_range=self.ngram_range, sublinear_tf=self.sublinear_tf,
            preprocessor=fold, dtype=np.float32,
        )
        self.matrix_ = self.vectorizer_.fit_transform(list(corpus)).T.tocsr()
        return self

    def score(self, queries: Sequence[str]) -> np.ndarray:
        """Cosine of each corpus text with each query: (len(queries), n_docs) float32."""
        q = self.vectorizer_.transform(list(queries))
        return np.asarray((q @ self.matrix_).todense(), dtype=np.float32)


class NgramCountCache:
    """Hashed character n-gram counts per text, kept across calls (keyed by the text's SHA-1).

    Counting n-grams is the slow part of TF-IDF on long profiles; a pool re-ranked for
    another job, or after a few new profiles, only counts the texts it has not seen.
    The hashing trick (2**20 buckets) needs no vocabulary, so rows from different calls
    line up; the oldest entries are dropped beyond `max_entries`.
    """

    def __init__(self, *, ngram_range: tuple[int, int] = (3, 5), n_features: int = 2**20, max_entries: int = 50_000) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.max_entries = max_entries
        self._rows: dict[str, Any] = {}
        self._vectorizer: Any = None

    def counts(self, texts: Sequence[str]) -> Any:
        """A CSR matrix of n-gram counts, one row per text."""
        import scipy.sparse as sp

        from ranking.text import fold, text_hash

        if self._vectorizer is None:
            from sklearn.feature_extraction.text import HashingVectorizer

            self._vectorizer = HashingVectorizer(
                analyzer="char_wb", ngram_range=self.ngram_range, n_features=self.n_features,
                alternate_sign=False, norm=None, preprocessor=fold, dtype=np.float32,
            )
        keys = [text_hash(t) for t in texts]
        todo = {k: t for k, t in zip(keys, texts) if k not in self._rows}
        if todo:
            fresh = self._vectorizer.transform(list(todo.values())).tocsr()
            for i, k in enumerate(todo):
                self._rows[k] = fresh[i]
            while len(self._rows) > self.max_entries:
                self._rows.pop(next(iter(self._rows)))
        rows = [self._rows.get(k) for k in keys]
        if any(r is None for r in rows):  # evicted within this very call (a huge batch)
            return self._vectorizer.transform(list(texts)).tocsr()
        return sp.vstack(rows, format="csr") if rows else sp.csr_matrix((0, self.n_features), dtype=np.float32)


_NGRAMS = NgramCountCache()


def tfidf_cosine(queries: Sequence[str], docs: Sequence[str], *, cache: NgramCountCache | None = None) -> np.ndarray:
    """Cosine of char n-gram TF-IDF vectors (sublinear tf, smoothed idf over `docs`): (q, n).

    Same weighting as `TfidfScorer` (n-grams unseen in the docs are ignored), computed from
    cached hashed counts so a pool is counted once per process.
    """
    cache = cache or _NGRAMS
    if not docs:
        return np.zeros((len(queries), 0), dtype=np.float32)
    X = cache.counts(docs).astype(np.float32)
    n = X.shape[0]
    df = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float32)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    idf[df == 0] = 0.0  # like a vocabulary fitted on the docs: query-only n-grams do not count

    def weigh(M: Any) -> Any:
        M = M.astype(np.float32, copy=True)
        M.data = (1.0 + np.log(M.data)) * idf[M.indices]
        norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return M.multiply(1.0 / norms[:, None]).tocsr()

    Q = weigh(cache.counts(queries))
    return np.asarray((Q @ weigh(X).T).todense(), dtype=np.float32)
