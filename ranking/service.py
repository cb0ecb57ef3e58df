"""Provides the ranking API other layers call: encoders, ranking a job, embedding what is new.

- `load_encoder(config, lang)`: the configured encoder for a language (lazy, one per process).
- `rank_job(store, job_id, config=…)`: retrieve the best K for a job, re-rank them, save and return them.
- `embed_pending(store, config=…)`: embed texts not cached yet (nightly); 0 when nothing changed.

The encoder for a job follows its language: English jobs (with a mostly English pool)
use `[ranking] model`, others `[ranking] multilingual_model` — the defaults were chosen
from benchmarks/ranking_quality.py (see docs/ranking.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from ranking.blind import masker_for
from ranking.cache import EmbeddingCache
from ranking.encoders import Encoder, build_encoder
from ranking.explain import constraint_fit, requirement_report, skill_coverage
from ranking.fusion import fuse_pool
from ranking.hybrid import lexical_signal
from ranking.jobspec import JobSpec, spec_from_job
from ranking.lexical import bm25_pool
from ranking.profile_text import CandidateText, build_candidate_text
from ranking.search import group_max, score_all
from ranking.text import fold, prepare_text
from sourcing.models import RankedCandidate

Progress = Callable[[int, int], None]

_ENCODERS: dict[tuple[str, str, str], Encoder] = {}
_LOCK = threading.Lock()
# An English job is embedded with the English model only when at least this share of
# the pool writes in English too; otherwise the multilingual model keeps them comparable.
ENGLISH_POOL_SHARE = 0.8


def _setting(config: Any, key: str, default: Any) -> Any:
    try:
        return config.get(key)
    except (KeyError, AttributeError):
        return default


def load_encoder(config: Any, lang: str = "en") -> Encoder:
    """The encoder configured for a language, built once per process (thread-safe).

    Args:
        config: a `sourcing.config.Config` (or None for the defaults).
        lang: "en" uses `ranking.model`; any other value (e.g. "fr", "multi")
            uses `ranking.multilingual_model`.

    Raises:
        ConfigError: the configured model is unknown.
    """
    key = "ranking.model" if lang == "en" else "ranking.multilingual_model"
    spec = _setting(config, key, "default" if lang == "en" else "muse")
    device = _setting(config, "ranking.device", "auto")
    runtime = _setting(config, "ranking.runtime", "auto") or "auto"
    with _LOCK:
        enc = _ENCODERS.get((spec, device, runtime))
        if enc is None:
            enc = build_encoder(spec, device=device, runtime=runtime)
            _ENCODERS[(spec, device, runtime)] = enc
        return enc


def choose_lang(job_lang: str, pool_langs: "list[str] | Mapping[str, int]") -> str:
    """The language profile (encoder and weights) for a job and its pool.

    "en" when the job and most of the pool are English; "cross" when a French job meets
    a pool that is at least half English (multilingual model plus the French -> English
    bridge, `ranking.bridge`); else "multi". `pool_langs` is each candidate's language,
    or a count per language.
    """
    if isinstance(pool_langs, Mapping):
        total, english = sum(pool_langs.values()), pool_langs.get("en", 0)
    else:
        total, english = len(pool_langs), sum(lang == "en" for lang in pool_langs)
    if job_lang != "en":
        if job_lang == "fr" and total and english / total >= 0.5:
            return "cross"
        return "multi"
    if total and english / total < ENGLISH_POOL_SHARE:
        return "multi"
    return "en"


def load_pool(store: Any) -> list[dict[str, Any]]:
    """Every candidate with their profiles, in two queries."""
    profiles = store.candidate_profiles()
    pool = []
    for cand in store.list_candidates():
        cand = dict(cand)
        cand["profiles"] = profiles.get(cand["id"], [])
        pool.append(cand)
    return pool


@dataclass
class PreparedPool:
    """A pool's candidate texts and the texts to embed for one job."""

    cands: list[CandidateText]
    chunks: list[str]
    chunk_owner: np.ndarray  # index into cands for each chunk
    titles: list[str]
    owners: dict[str, str]
    full_texts: list[str] = field(default_factory=list)  # prepared, for the lexical signal
    # The cache keys (`text_hash`) of `chunks` and `titles` when known (stored with the derived features).
    chunk_keys: list[str] | None = None
    title_keys: list[str] | None = None

    def keys(self) -> tuple[list[str], list[str]]:
        """(cache keys of the chunks, of the titles), hashed here only when not stored."""
        if self.chunk_keys is None or self.title_keys is None:
            from ranking.text import text_hash

            self.chunk_keys = [text_hash(t) for t in self.chunks]
            self.title_keys = [text_hash(t) for t in self.titles]
        return self.chunk_keys, self.title_keys


_TEXTS: "OrderedDict[tuple, tuple[CandidateText, list[str], str, str]]" = OrderedDict()
_TEXTS_MAX = 50_000


def _candidate_text(cand: dict[str, Any], blind: bool) -> tuple[CandidateText, list[str], str, str]:
    """One candidate's texts; prepared chunks, title and full text (reused while profiles are unchanged)."""
    key = (
        cand["id"], blind, cand.get("name"), cand.get("headline"), cand.get("location"),
        tuple((p.get("id"), p.get("payload_hash"), p.get("fetched_at")) for p in cand.get("profiles") or []),
    )
    with _LOCK:
        hit = _TEXTS.get(key)
        if hit is not None:
            _TEXTS.move_to_end(key)
            return hit
    ct = build_candidate_text(cand, mask=masker_for(cand).mask if blind else None)
    entry = (ct, [prepare_text(ch) for ch in ct.chunks()], prepare_text(ct.title_text), prepare_text(ct.full_text))
    with _LOCK:
        _TEXTS[key] = entry
        while len(_TEXTS) > _TEXTS_MAX:
            _TEXTS.popitem(last=False)
    return entry


def prepare_pool(pool: list[dict[str, Any]], *, blind: bool) -> PreparedPool:
    """Build every candidate's texts (masked in blind mode) and the chunk list to embed."""
    cands: list[CandidateText] = []
    chunks: list[str] = []
    owner_idx: list[int] = []
    titles: list[str] = []
    fulls: list[str] = []
    for cand in pool:
        ct, prepared_chunks, title, full = _candidate_text(cand, blind)
        i = len(cands)
        cands.append(ct)
        for ch in prepared_chunks:
            chunks.append(ch)
            owner_idx.append(i)
        titles.append(title)
        fulls.append(full)
    from ranking.text import text_hash

    owners = {text_hash(t): f"candidate:{cands[i].candidate_id}" for t, i in zip(chunks, owner_idx)}
    owners.update({text_hash(t): f"candidate:{c.candidate_id}" for t, c in zip(titles, cands)})
    return PreparedPool(cands, chunks, np.asarray(owner_idx, dtype=np.int64), titles, owners, fulls)


def _job_texts(spec: JobSpec) -> tuple[str, str]:
    return prepare_text(spec.query_text()), prepare_text(spec.title or spec.query_text(20))


def _job_glosses(spec: JobSpec, query: str, title: str) -> tuple[str, str] | None:
    """English glosses of a French job's texts (`_job_texts`), compared with English profiles; else None."""
    if spec.lang != "fr":
        return None
    from ranking.bridge import gloss_fr_en

    return gloss_fr_en(query), gloss_fr_en(title)


def _cache(store: Any, encoder: Encoder, config: Any) -> EmbeddingCache:
    return EmbeddingCache(store, encoder, float16=bool(_setting(config, "ranking.float16", False)))


def _embed_for_job(cache: EmbeddingCache, spec: JobSpec, job_id: int, prepared: PreparedPool, progress: Progress | None) -> None:
    query, title = _job_texts(spec)
    job_texts = [query, title, *(_job_glosses(spec, query, title) or ())]
    texts = job_texts + prepared.chunks + prepared.titles
    from ranking.text import text_hash

    owners = dict(prepared.owners)
    owners.update({text_hash(t): f"job:{job_id}" for t in job_texts})
    cache.ensure(texts, progress=progress, owners=owners)


@dataclass
class PoolScores:
    """What `score_pool` computes for one job's pool (arrays in pool order)."""

    total: np.ndarray
    contributions: dict[str, np.ndarray]
    signals: dict[str, np.ndarray]
    reports: list[list[dict[str, Any]]]
    notes: list[list[str]]
    feedback_notes: list[str] = field(default_factory=list)  # one per candidate when feedback was used
    order: np.ndarray | None = None  # what orders the pool: the fusion score (`total` is its 0–1 display form)

    def order_key(self) -> np.ndarray:
        """Sort key of the pool, higher first (the fusion score; `total` when there is none)."""
        return self.total if self.order is None else self.order

    def __iter__(self):  # (total, contributions, signals, reports, notes), as before
        return iter((self.total, self.contributions, self.signals, self.reports, self.notes))


def score_pool(spec: JobSpec, prepared: PreparedPool, cache: EmbeddingCache, weights: dict[str, float] | None,
               *, fusion: Any = None, feedback: Any = None) -> PoolScores:
    """Every signal and the hybrid score of each candidate (texts must be embedded already).

    A French job is compared with English profiles through its text and its English
    gloss together (`ranking.bridge`); with French profiles, through its text alone.
    With `fusion` (a `FusionModel`) the score is the learned fusion, else the weighted sum
    of `weights`. With `feedback` (`ranking.feedback.Feedback`, pool indices) the job's
    query is moved toward the shortlisted and away from the rejected before scoring.
    """
    n = len(prepared.cands)
    query, title = _job_texts(spec)
    matrix = cache.matrix
    qv = matrix.data[matrix.rows(cache.hashes([query, title]))].astype(np.float32)
    glosses = _job_glosses(spec, query, title)
    english = np.asarray([c.lang == "en" for c in prepared.cands], dtype=bool)
    bridged = glosses is not None and bool(english.any())
    if bridged:
        from ranking.bridge import mix_query_vectors

        gv = matrix.data[matrix.rows(cache.hashes(list(glosses)))].astype(np.float32)
        qv = np.vstack([qv, mix_query_vectors(qv, gv)])  # rows: query, title, bridged query, bridged title
    chunk_keys, title_keys = prepared.keys()
    chunk_rows = matrix.rows(chunk_keys)
    title_rows = matrix.rows(title_keys)
    data = matrix.data
    if len(chunk_rows) + len(title_rows) > len(data) // 2:
        # Most of the matrix is this pool: one contiguous scan beats gathering rows.
        all_scores = score_all(qv, data)
        chunk_scores, title_scores = all_scores[0::2, chunk_rows], all_scores[1::2, title_rows]
    else:
        chunk_scores = score_all(qv[0::2], data[chunk_rows])
        title_scores = score_all(qv[1::2], data[title_rows])
    dense = np.maximum(group_max(chunk_scores[0], prepared.chunk_owner, n), 0.0)
    title_sim = np.maximum(title_scores[0], 0.0)
    # One pass over the pool for both forms of the job (idf comes from the pool alone).
    lexical_texts = [query] + ([f"{query} {glosses[0]}"] if bridged and glosses else [])
    # Folded once for both lexical views (fold is idempotent and cheap on folded text).
    folded = [fold(t) for t in prepared.full_texts]
    lexical_rows = lexical_signal(lexical_texts, folded, folded=True)
    lexical = lexical_rows[0]
    word_rows = bm25_pool(lexical_texts, folded, folded=True)
    words = word_rows[0]
    if bridged:
        dense = np.where(english, np.maximum(group_max(chunk_scores[1], prepared.chunk_owner, n), 0.0), dense)
        title_sim = np.where(english, np.maximum(title_scores[1], 0.0), title_sim)
        lexical = np.where(english, lexical_rows[1], lexical)
        words = np.where(english, word_rows[1], words)
    reports = [requirement_report(spec, c) for c in prepared.cands]
    skills = np.asarray([skill_coverage(spec, r, c) for r, c in zip(reports, prepared.cands)], dtype=np.float32)
    fits = [constraint_fit(spec, c) for c in prepared.cands]
    constraints = np.asarray([f[0] for f in fits], dtype=np.float32)
    signals = {"dense": dense, "title": title_sim, "lexical": lexical, "words": words, "skills": skills, "constraints": constraints}
    total, contributions, raw = fuse_pool(spec, prepared, signals, english if bridged else None, cache.encoder.name, query, weights, fusion)
    out = PoolScores(total, contributions, signals, reports, [f[1] for f in fits], order=raw)
    if feedback:
        from ranking.feedback import closeness, describe, moved_lexical, moved_query, person_vectors, ranks

        people = person_vectors(data[chunk_rows], prepared.chunk_owner, n)
        decided = feedback.positive + feedback.negative
        sims = lexical_signal([prepared.full_texts[i] for i in decided], prepared.full_texts)
        rows = [0, 2] if bridged else [0]
        moved_dense = [np.maximum(group_max(score_all(moved_query(qv[r], people, feedback)[None, :], data[chunk_rows])[0],
                                            prepared.chunk_owner, n), 0.0) for r in rows]
        moved_lex = [moved_lexical(lexical_rows[k], sims, feedback) for k in range(len(rows))]
        moved = dict(signals)
        moved["dense"] = np.where(english, moved_dense[-1], moved_dense[0]) if bridged else moved_dense[0]
        moved["lexical"] = np.where(english, moved_lex[-1], moved_lex[0]) if bridged else moved_lex[0]
        total2, contrib2, raw2 = fuse_pool(spec, prepared, moved, english if bridged else None, cache.encoder.name, query, weights, fusion)
        near_pos, near_neg = closeness(people, feedback)
        before, after = ranks(raw), ranks(raw2)
        notes = [describe(int(b), int(a), int(p), int(q)) for b, a, p, q in zip(before, after, near_pos, near_neg)]
        out = PoolScores(total2, contrib2, moved, reports, out.notes, notes, order=raw2)
    return out


def rank_job(store: Any, job_id: int, **options: Any) -> list[RankedCandidate]:
    """Rank the pool for a job in two stages, save the best K, return them best first.

    Retrieve the best `retrieve` candidates (default `[ranking] retrieve`) from the
    persisted dense and lexical indexes, re-rank only those with every signal
    (`score_pool`), save them (`ranking.retrieve.save_ranking_run`). A pool of at most K
    candidates is ranked whole, exactly as the one-stage `ranking.full_rank.rank_job_full`.

    Args:
        store: the `Store`.
        job_id: the job to rank for (NotFoundError if it does not exist).
        **options: `config`, `encoder`, `blind`, `top`, `progress`, `weights`, `feedback`,
            `retrieve`, `filters` — see `ranking.retrieve.RankOptions` (the one list both
            ranking paths share). `feedback` is off when `[ranking] feedback = false`.
    """
    from ranking.retrieve import rank_two_stage

    return rank_two_stage(store, job_id, **options).results


def embed_pending(store: Any, *, config: Any = None, encoder: Encoder | None = None, progress: Progress | None = None) -> int:
    """Embed every candidate and open-job text not cached yet; return how many were embedded.

    Uses the encoder each open job would be ranked with (or `encoder` for all), and the
    blind or plain texts according to `privacy.blind`. A second run with no change embeds 0.
    On SQLite, only candidates changed since the last run are read (`ranking.retrieve.embed_changed`).
    """
    blind = bool(_setting(config, "privacy.blind", False))
    from sourcing.storage import rank_index

    if rank_index.supported(store):
        from ranking.retrieve import embed_changed

        return embed_changed(store, config=config, encoder=encoder, blind=blind, progress=progress)
    pool = load_pool(store)
    prepared = prepare_pool(pool, blind=blind)
    jobs = store.list_jobs(open_only=True)
    done = 0
    caches: dict[str, EmbeddingCache] = {}
    pool_langs = [c.lang for c in prepared.cands]
    plan: list[tuple[Encoder, JobSpec | None, int | None]] = []
    for job in jobs:
        spec = spec_from_job(job)
        enc = encoder or load_encoder(config, choose_lang(spec.lang, pool_langs))
        plan.append((enc, spec, job["id"]))
    if not plan:
        plan.append((encoder or load_encoder(config, choose_lang("en", pool_langs)), None, None))
    for enc, spec, job_id in plan:
        cache = caches.get(enc.name)
        if cache is None:
            cache = caches[enc.name] = _cache(store, enc, config)
            cache.ensure(prepared.chunks + prepared.titles, progress=progress, owners=prepared.owners)
        if spec is not None and job_id is not None:
            _embed_for_job(cache, spec, job_id, PreparedPool([], [], np.zeros(0, dtype=np.int64), [], {}), progress)
    for cache in caches.values():
        done += cache.stats.embedded
    return done
