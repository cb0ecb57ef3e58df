"""Provides the one-stage ranking: every candidate of the pool scored with every signal.

This is the first wave's `rank_job`, kept as the reference the two-stage path
(`ranking.retrieve`) is tested against (identical for a pool of at most K candidates)
and measured against (`benchmarks/ranking_scale.py`), and used for stores without the
ranking indexes (databases other than SQLite).
"""

from __future__ import annotations

from typing import Any

from ranking.blind import pseudonym
from ranking.explain import build_explanation
from ranking.hybrid import resolve_weights
from ranking.jobspec import spec_from_job
from ranking.service import _cache, _embed_for_job, choose_lang, load_encoder, load_pool, prepare_pool, score_pool
from sourcing.models import RankedCandidate


def rank_job_full(store: Any, job_id: int, **options: Any) -> list[RankedCandidate]:
    """Rank every candidate in the store for a job (one stage), save the whole ranking, return it best first.

    Takes `ranking.service.rank_job`'s keywords (`ranking.retrieve.RankOptions`) but
    `retrieve` and `filters`: the one-stage path has no retrieval. Only texts not cached
    yet are embedded; the whole ranking is saved; `top` only limits what is returned.
    """
    from ranking.retrieve import RankOptions

    o = RankOptions(**options)
    if o.retrieve is not None or o.filters:
        raise TypeError("rank_job_full ranks the whole pool: retrieve and filters are for rank_job")
    config, encoder, blind, top, progress, weights, feedback = (o.config, o.encoder, o.blind, o.top, o.progress, o.weights,
                                                                o.feedback)
    from ranking.feedback import annotate, job_feedback
    from ranking.fusion import resolve_fusion

    job = store.get_job(job_id)
    spec = spec_from_job(job)
    pool = load_pool(store)
    prepared = prepare_pool(pool, blind=blind)
    lang = choose_lang(spec.lang, [c.lang for c in prepared.cands])
    if encoder is None:
        encoder = load_encoder(config, lang)
    w = resolve_weights(config, weights, lang=lang)
    results: list[RankedCandidate] = []
    if prepared.cands:
        cache = _cache(store, encoder, config)
        _embed_for_job(cache, spec, job_id, prepared, progress)
        fusion = resolve_fusion(config, weights)
        fb = job_feedback(store, job_id, config, [c.candidate_id for c in prepared.cands], feedback)
        scored = score_pool(spec, prepared, cache, w, fusion=fusion, feedback=fb)
        total, contributions, signals, reports, notes = scored
        key = scored.order_key()
        for i, (cand, ct) in enumerate(zip(pool, prepared.cands)):
            contrib = {k: float(v[i]) for k, v in contributions.items()}
            sig = {k: float(v[i]) for k, v in signals.items()}
            explanation = build_explanation(
                spec, ct, reports[i], contrib, sig, notes[i], blind=blind,
                pseudonym=pseudonym(ct.candidate_id, cand.get("pseudonym")),
            )
            explanation["model"] = encoder.name
            annotate(explanation, learned=fusion is not None, fb=fb, note=scored.feedback_notes[i] if fb else "",
                     fusion_score=float(key[i]))
            results.append(RankedCandidate(candidate_id=ct.candidate_id, score=round(float(total[i]), 6), components=contrib, explanation=explanation))
    order_of = {ct.candidate_id: float(key[i]) for i, ct in enumerate(prepared.cands)}
    results.sort(key=lambda r: (-order_of[r.candidate_id], r.candidate_id))
    from ranking.retrieve import RankRun, save_ranking_run

    save_ranking_run(store, RankRun(job_id, encoder.name, len(pool), len(pool), results), config=config, encoder=encoder,
                     weights=w, blind=blind)
    return results[:top] if top else results
