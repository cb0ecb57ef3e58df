"""Provides the offline measure of feedback: residual ranking on a labelled set.

The way the relevance-feedback literature measures it: for each query, the labels of the
top `reveal` documents of the hybrid ranking are revealed (relevant = shortlisted, the
others = rejected), the query is moved with them (`ranking.feedback`) and the corpus is
re-ranked; the revealed documents are then removed from both rankings and from the
judgements, and the rest — the "residual collection" — is scored, with and without feedback.
Queries with no relevant document left count for neither.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ranking.evaluate import EvalData, score_metrics, signal_matrices, top_ids


def residual_metrics(data: EvalData, encoder: Any, *, metrics: Sequence[str], reveal: int = 5,
                     embed: Callable[[Sequence[str]], np.ndarray] | None = None, cache: dict[str, Any] | None = None,
                     bridge: bool = False, fusion: Any = None) -> dict[str, dict[str, float]]:
    """{"no feedback": metrics, "feedback": metrics} on the residual collection."""
    from ranking.evaluate import _get, _prepared, set_languages
    from ranking.feedback import Feedback, moved_lexical, moved_query, person_vectors
    from ranking.fusion import FUSED_SIGNALS, default_model, fused_scores
    from ranking.languages import covers
    from ranking.lexical import tfidf_cosine
    from ranking.search import group_max, score_all

    cache = {} if cache is None else cache
    model = fusion or default_model()
    signals = signal_matrices(data, encoder, embed=embed, cache=cache, bridge=bridge)
    data = _prepared(data, cache)
    name = getattr(encoder, "name", "encoder")
    embed_fn = embed or (lambda texts: encoder.encode(list(texts)))
    cv, owner = cache[f"chunks:{name}"]
    n = len(data.docs)
    people = person_vectors(cv, owner, n)
    qv = embed_fn(list(data.queries))
    lexical_queries = list(data.queries)
    if bridge:
        from ranking.bridge import mix_query_vectors

        glosses = cache["glosses"]
        qv = mix_query_vectors(qv, embed_fn(glosses))
    q_lang, d_lang = _get(cache, "langs", lambda: set_languages(data))
    covered = covers(name, "en" if bridge else q_lang) and covers(name, d_lang)
    doc_words = np.asarray([len(d.split()) for d in data.docs])
    doc_index = {d: i for i, d in enumerate(data.doc_ids)}
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    residual_qrels: dict[str, dict[str, int]] = {}
    for qi, qid in enumerate(data.query_ids):
        rels = data.qrels.get(qid, {})
        if not any(r > 0 for r in rels.values()):
            continue
        row = {s: signals[s][qi] for s in FUSED_SIGNALS if s in signals}
        kw = dict(covered=covered, query_words=len(data.queries[qi].split()), doc_words=doc_words)
        base, _ = fused_scores(model, row, **kw)
        shown = [doc_index[d] for d in top_ids(base, data.doc_ids, depth=reveal)]
        fb = Feedback([i for i in shown if rels.get(data.doc_ids[i], 0) > 0], [i for i in shown if rels.get(data.doc_ids[i], 0) <= 0])
        q2 = moved_query(qv[qi], people, fb)
        dense2 = np.maximum(group_max(score_all(q2[None, :], cv)[0], owner, n), 0.0) if len(owner) != n else np.maximum(cv @ q2, 0.0)
        decided = fb.positive + fb.negative
        doc_sims = tfidf_cosine([data.docs[i] for i in decided], data.docs)
        lexical2 = moved_lexical(row["lexical"], doc_sims, fb)
        moved, _ = fused_scores(model, {**row, "dense": dense2, "lexical": lexical2}, **kw)
        gone = {data.doc_ids[i] for i in shown}
        left = {d: r for d, r in rels.items() if d not in gone}
        if not any(r > 0 for r in left.values()):
            continue
        residual_qrels[qid] = left
        before[qid] = [d for d in top_ids(base, data.doc_ids) if d not in gone]
        after[qid] = [d for d in top_ids(moved, data.doc_ids) if d not in gone]
    return {"no feedback": score_metrics(before, residual_qrels, metrics), "feedback": score_metrics(after, residual_qrels, metrics),
            "queries": {"count": float(len(residual_qrels))}}
