"""Provides the pure ranking core: chunked brute-force top-k over a contiguous matrix.

Arrays in, indices and scores out (the sentence-transformers `semantic_search`
split): no model, no store. The score function is a parameter; the default is the
dot product, which is the cosine for L2-normalised rows. The corpus is scanned in
chunks so the score matrix for a million rows never has to exist at once, and a
float16 corpus is scored chunk by chunk in float32.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

ScoreFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def dot_score(queries: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    """Dot product of each query with each corpus row: (q, d) x (n, d) -> (q, n), float32."""
    if corpus.dtype != np.float32:
        corpus = corpus.astype(np.float32)
    return queries.astype(np.float32, copy=False) @ corpus.T


def cos_score(queries: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    """Cosine similarity for rows that may not be normalised."""
    q = queries.astype(np.float32, copy=False)
    c = corpus.astype(np.float32, copy=False)
    qn = np.linalg.norm(q, axis=1, keepdims=True)
    cn = np.linalg.norm(c, axis=1, keepdims=True)
    qn[qn == 0] = 1.0
    cn[cn == 0] = 1.0
    return (q / qn) @ (c / cn).T


def score_all(queries: np.ndarray, corpus: np.ndarray, *, chunk_size: int = 65536, score_fn: ScoreFn = dot_score) -> np.ndarray:
    """Score every corpus row against every query, chunk by chunk: returns (q, n) float32."""
    queries = np.atleast_2d(queries)
    n = corpus.shape[0]
    out = np.empty((queries.shape[0], n), dtype=np.float32)
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        out[:, start:stop] = score_fn(queries, corpus[start:stop])
    return out


def topk(
    queries: np.ndarray,
    corpus: np.ndarray,
    k: int,
    *,
    chunk_size: int = 65536,
    score_fn: ScoreFn = dot_score,
) -> list[list[tuple[int, float]]]:
    """Return, for each query, the `k` best corpus rows as `(row, score)`, best first.

    Args:
        queries: (q, d) or (d,) array.
        corpus: (n, d) contiguous array (float32 or float16).
        k: how many results per query (capped at n).
        chunk_size: rows scored at once; bounds the temporary memory to q x chunk_size.
        score_fn: `f(queries, corpus_chunk) -> (q, chunk)`; higher is better.

    Ties are broken by the lower row index, so the result is deterministic.
    """
    queries = np.atleast_2d(queries)
    n = corpus.shape[0]
    k = max(0, min(k, n))
    nq = queries.shape[0]
    if k == 0:
        return [[] for _ in range(nq)]
    best_scores = np.full((nq, 0), -np.inf, dtype=np.float32)
    best_rows = np.zeros((nq, 0), dtype=np.int64)
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        scores = np.asarray(score_fn(queries, corpus[start:stop]), dtype=np.float32)
        kk = min(k, stop - start)
        if kk < stop - start:
            part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        else:
            part = np.broadcast_to(np.arange(stop - start), (nq, stop - start))
        cand_scores = np.take_along_axis(scores, part, axis=1)
        best_scores = np.concatenate([best_scores, cand_scores], axis=1)
        best_rows = np.concatenate([best_rows, part + start], axis=1)
        if best_scores.shape[1] > k:
            # Keep the k best of (previous best + this chunk): sort by score desc, then row asc.
            order = np.lexsort((best_rows, -best_scores), axis=1)[:, :k]
            best_scores = np.take_along_axis(best_scores, order, axis=1)
            best_rows = np.take_along_axis(best_rows, order, axis=1)
    order = np.lexsort((best_rows, -best_scores), axis=1)
    best_scores = np.take_along_axis(best_scores, order, axis=1)
    best_rows = np.take_along_axis(best_rows, order, axis=1)
    return [[(int(r), float(s)) for r, s in zip(best_rows[i], best_scores[i])] for i in range(nq)]


def group_max(row_scores: np.ndarray, owners: np.ndarray, n_groups: int) -> np.ndarray:
    """Best score per group (e.g. a candidate's best chunk): -inf for empty groups."""
    out = np.full(n_groups, -np.inf, dtype=np.float32)
    np.maximum.at(out, owners, row_scores.astype(np.float32, copy=False))
    return out
