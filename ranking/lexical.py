"""Provides the lexical scorers: BM25 and TF-IDF over scikit-learn sparse matrices.

Both follow scikit-learn's conventions (keyword parameters in `__init__`, no logic
there; `fit(corpus)` then `score(queries)`), and both score a batch of queries
against the whole corpus with one sparse matrix product.

- `BM25`: Okapi BM25 on accent-folded words without stop words (k1, b as usual).
- `TfidfScorer`: cosine of TF-IDF vectors of character n-grams within word
  boundaries, robust to plural/gender endings and typos ("développeur/développeuse").
- `tfidf_cosine`: the same weighting in plain numpy (the ranker's lexical signal).
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


def _segments(texts: Sequence[str], folded: bool = False) -> list[str]:
    """Each folded text as its words padded with a space each side (char_wb), joined by NUL.

    `folded`: the texts are already `fold`ed (folding again gives the same text, at a cost).
    """
    from ranking.text import fold

    if folded:
        fold = str  # noqa: F811 - the identity on folded text

    return [" " + " \x00 ".join(words) + " " if (words := fold(t).replace("\x00", " ").split()) else "" for t in texts]


def ngram_counts(texts: Sequence[str], ngram_range: tuple[int, int] = (3, 5), *,
                 folded: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text index, n-gram code, count) of every char_wb n-gram of the folded texts, exactly.

    The n-grams of scikit-learn's `analyzer="char_wb"` (each whitespace-separated word
    padded with one space each side; every n-gram of length n inside it), computed with
    numpy over all texts at once: each character becomes a digit 1..A and an n-gram the
    base-(A+1) number of its digits, so n-grams of different lengths never share a code
    (codes are comparable within one call only: the digits follow the characters seen).
    No Python loop per n-gram and no hashing (no collisions). Sorted by (code, text).
    """
    lo, hi = ngram_range
    segments = _segments(texts, folded)
    lengths = np.fromiter((len(p) for p in segments), dtype=np.int64, count=len(segments))
    joined = "\x00".join(segments)  # NUL: a boundary no n-gram crosses (between words and between texts)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    if not joined:
        return empty
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(segments), dtype=np.int64), lengths + 1)[: len(chars)]
    # Each character's digit: its rank among the distinct characters, plus one (what
    # np.unique's inverse gives, without sorting every character: a table over code points).
    seen = np.zeros(int(chars.max()) + 1, dtype=np.int64)
    seen[chars] = 1
    n_alpha = int(seen.sum())
    base = n_alpha + 1
    if float(base) ** hi >= 2.0**62:
        raise ValueError(f"{n_alpha} distinct characters: too many for exact n-gram codes")  # fold() leaves ASCII
    digits = np.cumsum(seen)[chars]
    brk = chars == 0
    code = np.zeros(len(chars), dtype=np.int64)
    bad = np.zeros(len(chars), dtype=bool)
    docs, codes = [], []
    for n in range(1, hi + 1):
        m = len(chars) - n + 1
        if m <= 0:
            break
        code = code[:m] * base + digits[n - 1 : n - 1 + m]
        bad = bad[:m] | brk[n - 1 : n - 1 + m]
        if n >= lo:
            docs.append(owner[:m][~bad])
            codes.append(code[~bad])
    if not docs:
        return empty
    doc, gram = np.concatenate(docs), np.concatenate(codes)
    n_texts = len(segments)
    if float(base) ** hi * n_texts < 2.0**62:  # one sort of one key (the usual case)
        keys, counts = np.unique(gram * n_texts + doc, return_counts=True)
        return keys % n_texts, keys // n_texts, counts.astype(np.float32)
    order = np.lexsort((doc, gram))
    doc, gram = doc[order], gram[order]
    first = np.ones(len(doc), dtype=bool)
    first[1:] = (doc[1:] != doc[:-1]) | (gram[1:] != gram[:-1])
    starts = np.flatnonzero(first)
    return doc[starts], gram[starts], np.diff(np.append(starts, len(doc))).astype(np.float32)


def _columns(grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(vocabulary, column of each entry) of codes sorted ascending."""
    if not len(grams):
        return grams, np.zeros(0, np.int64)
    first = np.ones(len(grams), dtype=bool)
    first[1:] = grams[1:] != grams[:-1]
    return grams[first], np.cumsum(first) - 1


def _weigh(rows: np.ndarray, cols: np.ndarray, counts: np.ndarray, idf: np.ndarray, n_rows: int) -> np.ndarray:
    """Sublinear tf times idf, each row L2-normalised (the cell weights, in the triplets' order)."""
    w = (1.0 + np.log(counts)) * idf[cols]
    norms = np.sqrt(np.bincount(rows, weights=w * w, minlength=n_rows))
    norms[norms == 0] = 1.0
    return (w / norms[rows]).astype(np.float32)


def tfidf_cosine(queries: Sequence[str], docs: Sequence[str], *, folded: bool = False) -> np.ndarray:
    """Cosine of char 3-5-gram TF-IDF vectors (sublinear tf, smoothed idf over `docs`): (q, n).

    The weighting of `TfidfScorer` (a vocabulary fitted on the docs: n-grams only a query
    has do not count), computed with numpy from exact n-gram counts (`ngram_counts`), so
    neither scikit-learn nor scipy is imported and no Python runs per n-gram.
    """
    n, nq = len(docs), len(queries)
    if not n or not nq:
        return np.zeros((nq, n), dtype=np.float32)
    # One call for both: n-gram codes depend on the characters seen, so docs and queries share them.
    if folded:  # the docs are; the few queries are folded here
        from ranking.text import fold

        queries = [fold(q) for q in queries]
    t_doc, t_gram, t_cnt = ngram_counts([*docs, *queries], folded=folded)
    is_doc = t_doc < n
    d_doc, d_gram, d_cnt = t_doc[is_doc], t_gram[is_doc], t_cnt[is_doc]
    q_doc, q_gram, q_cnt = t_doc[~is_doc] - n, t_gram[~is_doc], t_cnt[~is_doc]
    vocab, d_col = _columns(d_gram)
    df = np.bincount(d_col, minlength=len(vocab)).astype(np.float64)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    dw = _weigh(d_doc, d_col, d_cnt, idf, n)
    pos = np.searchsorted(vocab, q_gram)
    known = (pos < len(vocab)) & (vocab[np.minimum(pos, len(vocab) - 1)] == q_gram) if len(vocab) else np.zeros(len(q_gram), bool)
    q_doc, q_col, q_cnt = q_doc[known], pos[known], q_cnt[known]
    qw = _weigh(q_doc, q_col, q_cnt, idf, nq)
    out = np.zeros((nq, n), dtype=np.float32)
    if nq <= 16:
        dense_q = np.zeros(len(vocab), dtype=np.float32)
        for qi in range(nq):
            sel = q_doc == qi
            dense_q[q_col[sel]] = qw[sel]
            out[qi] = np.bincount(d_doc, weights=dw * dense_q[d_col], minlength=n)
            dense_q[q_col[sel]] = 0.0
        return out
    import scipy.sparse as sp

    Q = sp.csr_matrix((qw, (q_doc, q_col)), shape=(nq, len(vocab)))
    D = sp.csr_matrix((dw, (d_doc, d_col)), shape=(n, len(vocab)))
    return np.asarray((Q @ D.T).todense(), dtype=np.float32)


def bm25_pool(queries: Sequence[str], docs: Sequence[str], *, k1: float = 1.2, b: float = 0.75,
              folded: bool = False) -> np.ndarray:
    """Okapi BM25 of each doc for each query, idf and average length over `docs`: (q, n) float32.

    The weighting of `BM25` (`fit(docs).score(queries)`, equal to 1e-5), for the few query
    texts of one job against its re-ranked pool: only the queries' words are counted in
    the documents, so neither scikit-learn nor scipy is imported and no vocabulary of the
    pool is built. A repeated query word counts once.
    """
    n, nq = len(docs), len(queries)
    out = np.zeros((nq, n), dtype=np.float32)
    if not n or not nq:
        return out
    q_terms = [sorted(set(_analyzer(q))) for q in queries]
    index = {t: j for j, t in enumerate(sorted({t for ts in q_terms for t in ts}))}
    if not index:
        return out
    from itertools import chain, repeat

    from ranking.text import _WORD, STOPWORDS, words

    tokens = _WORD.findall if folded else words
    # Every document's words at once: each word's column (-1: not a query word, -2: a stop
    # word) by one dict lookup in C, then counts by bincount — no Python loop per document.
    toks = [tokens(d) for d in docs]
    per_doc = np.fromiter(map(len, toks), dtype=np.int64, count=n)
    flat = list(chain.from_iterable(toks))
    owner = np.repeat(np.arange(n, dtype=np.int64), per_doc)
    lookup = dict.fromkeys(STOPWORDS, -2)
    lookup.update(index)
    col = np.fromiter(map(lookup.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    short = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat)) < 2
    # Stop words and 1-letter words only cut the length.
    lengths = np.bincount(owner[(col != -2) & ~short], minlength=n).astype(np.float64)
    hit = col >= 0
    tf = np.bincount(owner[hit] * len(index) + col[hit], minlength=n * len(index)).reshape(n, len(index)).astype(np.float64)
    df = (tf > 0).sum(axis=0)
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    avg = float(lengths.mean()) or 1.0
    norm = k1 * (1 - b + b * lengths / avg)
    weighted = tf * (k1 + 1) / (tf + norm[:, None]) * idf
    for qi, ts in enumerate(q_terms):
        if ts:
            out[qi] = weighted[:, [index[t] for t in ts]].sum(axis=1)
    return out
