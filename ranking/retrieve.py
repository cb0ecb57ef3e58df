"""Provides the two-stage ranking: retrieve the best K from persisted indexes, re-rank only those.

1. *Retrieve*: the job's vector against the dense index of chunk vectors (memory-mapped
   files beside the database, `sourcing.storage.vector_index`), and its words against the
   FTS5 lexical index (`bm25()`); the union of both top lists, inside the recruiter's
   filters (SQL). Nothing else of the pool is read.
2. *Re-rank*: the stored features of those candidates, every signal of the hybrid score
   (`ranking.service.score_pool`, the one re-rank scoring function), explanations for
   the K that are saved (`save_ranking_run`, the one place a ranking run is saved).

A pool of at most K candidates skips retrieval and is ranked whole: the result is the
one-stage ranking's (`ranking.full_rank`). Indexes are brought up to date from the
store's change log before every ranking (`sync_dense_index`), so they are never stale.
"""

from __future__ import annotations

import gc
import secrets
import tempfile
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from ranking.blind import pseudonym
from ranking.encoders import Encoder
from ranking.explain import build_explanation
from ranking.features import Derived, load_derived, refresh_features
from ranking.text import content_words, text_hash
from sourcing.models import RankedCandidate
from sourcing.storage import rank_index
from sourcing.storage.vector_index import DenseIndex, index_folder, index_key, locked

DEFAULT_RETRIEVE = 2000
# The lexical list adds the candidates the dense list misses (rare words, exact tool names);
# a quarter of K holds them at a fraction of the re-rank cost of a second full list.
LEXICAL_SHARE = 0.25
# The lexical list reads at most this many postings per candidate it keeps: words are taken
# rarest first while their document counts add up to at most LEXICAL_POSTINGS x its length,
# and a word more common than that is left to the dense list. FTS5's bm25() costs ~1.5 us
# per matching row, so an OR of common words grew with the pool (0.13 s at 100k, > 1 s at
# 1M); bounded, the list costs the same at any pool size.
LEXICAL_POSTINGS = 20
_TOKEN_KEY = "index_token"
_TEMP_FOLDERS: "weakref.WeakKeyDictionary[Any, tempfile.TemporaryDirectory]" = weakref.WeakKeyDictionary()

Progress = Callable[[int, int], None]


@dataclass
class RankRun:
    """One ranking of a job: what was saved and what it covered."""

    job_id: int
    model: str
    pool: int  # candidates the filters let through (the whole pool without filters)
    retrieved: int  # candidates re-ranked (the union of the two top lists, or the whole pool)
    results: list[RankedCandidate] = field(default_factory=list)  # the saved ranking, best first
    embedded: int = 0  # texts embedded by this run (0 when everything was cached)
    saved: int = 0  # ranking rows saved (the best K, or the whole pool when smaller)


@dataclass(frozen=True)
class RankOptions:
    """How to rank a job: the keywords of `ranking.service.rank_job` (and, but for the last two,
    of the one-stage `ranking.full_rank.rank_job_full`). An unknown keyword is a TypeError.

    Attributes:
        config: settings (`ranking.*`; `privacy.blind` is the caller's business).
        encoder: use this encoder instead of the configured one (e.g. `FakeEncoder` in tests).
        blind: mask identity markers before embedding and in the explanation.
        top: return only the best `top` (all that are ranked are saved).
        progress: `progress(done, total)` while embedding.
        weights: override signal weights for this call (the hand-weighted sum instead of the fusion).
        feedback: move the job's query with the recruiter's decisions on this job
            (`ranking.feedback`); the explanation says who moved and why.
        retrieve: K, how many candidates to retrieve, re-rank and save (two stages only).
        filters: a recruiter's filters applied at retrieval: `lang`, `location`, `remote`,
            `undecided` (True: leave out candidates with a decision on this job) (two stages only).
    """

    config: Any = None
    encoder: Encoder | None = None
    blind: bool = False
    top: int | None = None
    progress: Progress | None = None
    weights: dict[str, float] | None = None
    feedback: bool = False
    retrieve: int | None = None
    filters: dict[str, Any] | None = None

    def shared(self) -> dict[str, Any]:
        """The keywords both paths take (not `retrieve` and `filters`)."""
        return {f: getattr(self, f) for f in ("config", "encoder", "blind", "top", "progress", "weights", "feedback")}


def _setting(config: Any, key: str, default: Any) -> Any:
    try:
        value = config.get(key)
    except (KeyError, AttributeError):
        return default
    return default if value is None else value


def retrieve_size(config: Any, override: int | None = None) -> int:
    """K: `override`, else `[ranking] retrieve`, else 2,000 (at least 1)."""
    value = override if override is not None else _setting(config, "ranking.retrieve", DEFAULT_RETRIEVE)
    return max(1, int(value))


def _folder(store: Any) -> Path:
    db = rank_index.db_file(store)
    if db is not None:
        return index_folder(db)
    tmp = _TEMP_FOLDERS.get(store)  # an in-memory store: its index lives as long as it does
    if tmp is None:
        tmp = _TEMP_FOLDERS[store] = tempfile.TemporaryDirectory(prefix="sourcing-index-")
    return Path(tmp.name)


def _store_token(store: Any) -> str:
    """A random token kept in the database; index files carrying another one belong elsewhere."""
    token = rank_index.get_state(store, _TOKEN_KEY)
    if token is None:
        token = secrets.token_hex(16)
        rank_index.set_state(store, _TOKEN_KEY, token)
    return token


def _chunk_vectors(store: Any, encoder: Encoder, rows: list[tuple[int, list[str], str]], blind: bool,
                   progress: Progress | None) -> tuple[np.ndarray, np.ndarray, int]:
    """(owner ids, chunk vectors) of the rows' chunks, and how many texts were embedded.

    Vectors come from the store's embedding cache; chunks and titles not cached yet are
    embedded (and cached with their owner), so a re-rank of these candidates embeds nothing.
    """
    from ranking.matrix import encode_blob

    hashes = [h for _, hs, _ in rows for h in hs]
    owners = np.fromiter((cid for cid, hs, _ in rows for _ in hs), dtype=np.int64, count=len(hashes))
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(hashes + [title for _, _, title in rows]))
    for start in range(0, len(unique), 50_000):
        for h, blob in store.get_embeddings(encoder.name, unique[start : start + 50_000]).items():
            found[h] = np.frombuffer(blob, dtype=np.float32)
    want = {h for h in unique if h not in found}
    embedded = 0
    if want:
        who = sorted({cid for cid, hs, title in rows if title in want or want.intersection(hs)})
        texts: dict[str, tuple[str, int]] = {}
        for cid, d in load_derived(store, who, blind).items():
            for text in [*d.chunks, d.title]:
                h = text_hash(text)
                if h in want:
                    texts.setdefault(h, (text, cid))
        keys = list(texts)
        for start in range(0, len(keys), 2048):
            part = keys[start : start + 2048]
            vecs = np.asarray(encoder.encode([texts[h][0] for h in part]), dtype=np.float32)
            store.put_embeddings(encoder.name, {h: encode_blob(v) for h, v in zip(part, vecs)}, dim=encoder.dim,
                                 owners={h: f"candidate:{texts[h][1]}" for h in part})
            found.update(zip(part, vecs))
            embedded += len(part)
            if progress:
                progress(start + len(part), len(keys))
    keep = np.fromiter((h in found for h in hashes), dtype=bool, count=len(hashes))
    vectors = np.zeros((int(keep.sum()), encoder.dim), dtype=np.float32)
    for i, h in enumerate(h for h, k in zip(hashes, keep) if k):
        vectors[i] = found[h]
    return owners[keep], vectors, embedded


def sync_dense_index(store: Any, encoder: Encoder, *, blind: bool, progress: Progress | None = None) -> tuple[DenseIndex, int]:
    """Bring the model's dense index up to date with the store; returns (index, texts embedded).

    Derives the features of changed candidates first. Changes since the index's
    recorded sequence number are applied (their rows removed, their current chunks
    appended); an index that cannot be trusted (see `DenseIndex.open`) is rebuilt.
    """
    folder = _folder(store)
    token = _store_token(store)
    idx = DenseIndex(folder, index_key(encoder.name, blind), encoder.dim)
    with locked(folder):
        seq = rank_index.max_change_seq(store)  # read first: changes after it are applied next time
        refresh_features(store, blind=False)  # the plain rows carry the lexical index
        if blind:
            refresh_features(store, blind=True)
        # An index older than the pruned part of the change log cannot replay it: rebuilt.
        trusted = idx.open(token, seq) and idx.seq + 1 >= rank_index.pruned_below(store)
        if not trusted:
            idx.reset(token)
        changed = rank_index.changed_since(store, idx.seq) if trusted else None
        if trusted and not changed:
            if idx.seq != seq:
                idx.commit(seq)
                _prune_change_log(store, folder, token)
            return idx, 0
        if changed:
            idx.remove(changed)
        rows = list(rank_index.iter_chunk_hashes(store, blind, ids=changed))
        owners, vectors, embedded = _chunk_vectors(store, encoder, rows, blind, progress)
        idx.append(owners, vectors)
        idx.commit(seq)
        _prune_change_log(store, folder, token)
    return idx, embedded


def _prune_change_log(store: Any, folder: Path, token: str) -> None:
    """Delete the change-log rows that every reader (features, each model's index) has applied."""
    import json

    seqs = [int(v) for v in (rank_index.get_state(store, f"features-{m}") for m in ("plain", "blind")) if v is not None]
    for meta_path in folder.glob("*.json"):
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and meta.get("token") == token and isinstance(meta.get("seq"), int):
            seqs.append(int(meta["seq"]))
    if seqs:
        rank_index.prune_changes(store, min(seqs) + 1)


def _retrieve(store: Any, idx: DenseIndex, spec: Any, qvecs: np.ndarray, k: int, allowed: list[int] | None,
              lexical_words: list[str]) -> list[int]:
    """Union of the dense top-k (for each query vector) and the lexical top list, in the filter."""
    allow = np.asarray(allowed, dtype=np.int64) if allowed is not None else None
    ids: dict[int, None] = {}
    for q in qvecs:
        for cid in idx.search(q, k, allowed=allow)[0].tolist():
            ids.setdefault(int(cid), None)
    n_lex = max(1, int(k * LEXICAL_SHARE))
    want = n_lex if allow is None else n_lex * 4
    budget = LEXICAL_POSTINGS * want
    counts = rank_index.term_doc_counts(store, rank_index.fts_terms(lexical_words)[: rank_index.MAX_FTS_TERMS], budget)
    lex = rank_index.lexical_top(store, lexical_terms(counts, budget), want)
    if allow is not None:
        allowed_set = set(allowed or [])
        lex = [c for c in lex if c in allowed_set][:n_lex]
    for cid in lex:
        ids.setdefault(int(cid), None)
    return sorted(ids)


def lexical_terms(doc_counts: dict[str, int], budget: int) -> list[str]:
    """The words the lexical list is retrieved with: rarest first while their document counts add up to at most `budget`.

    `doc_counts`: how many candidates hold each word (any value above `budget` means "more").
    Words no candidate holds are dropped; so is every word held by more than `budget`
    candidates (it cannot single out the few the dense list misses, and reading its postings
    is what made an OR of common words cost more as the pool grew). Ties keep the job's order.
    """
    chosen, total = [], 0
    for word, n in sorted(doc_counts.items(), key=lambda item: item[1]):
        if n <= 0:
            continue
        if total + n > budget:
            break
        chosen.append(word)
        total += n
    return chosen


def prepared_from(derived: list[Derived]) -> Any:
    """A `PreparedPool` from stored features (what `prepare_pool` builds from profiles)."""
    from ranking.service import PreparedPool

    cands, chunks, owner_idx, titles, fulls = [], [], [], [], []
    chunk_keys: list[str] | None = []
    title_keys: list[str] | None = []
    for i, d in enumerate(derived):
        cands.append(d.cand)
        chunks.extend(d.chunks)
        owner_idx.extend([i] * len(d.chunks))
        titles.append(d.title)
        fulls.append(d.full)
        if chunk_keys is not None and title_keys is not None and d.chunk_keys is not None and d.title_key is not None:
            chunk_keys.extend(d.chunk_keys)
            title_keys.append(d.title_key)
        else:
            chunk_keys = title_keys = None
    if chunk_keys is None or title_keys is None:
        chunk_keys = [text_hash(t) for t in chunks]
        title_keys = [text_hash(t) for t in titles]
    owners = {h: f"candidate:{cands[i].candidate_id}" for h, i in zip(chunk_keys, owner_idx)}
    owners.update({h: f"candidate:{c.candidate_id}" for h, c in zip(title_keys, cands)})
    return PreparedPool(cands, chunks, np.asarray(owner_idx, dtype=np.int64), titles, owners, fulls,
                        chunk_keys=chunk_keys, title_keys=title_keys)


def save_ranking_run(store: Any, run: RankRun, *, config: Any, encoder: Encoder, weights: dict[str, float], blind: bool) -> None:
    """Save a ranking run: the job's ranking rows (the best K), what it covered, and its run-log entry.

    The one place a ranking run is written, one transaction. `run.pool` and
    `run.retrieved` say "best `len(run.results)` of `run.pool`, `run.retrieved` re-ranked";
    the AI Act run log (`sourcing.oversight.record_ranking_run`) gets both.
    """
    from sourcing.oversight import record_ranking_run

    with store.batch():
        store.save_ranking(run.job_id, run.model, run.results)
        if rank_index.supported(store):
            rank_index.save_scope(store, run.job_id, pool=run.pool, retrieved=run.retrieved, saved=len(run.results), model=run.model)
        # AI Act Art. 12/26: every saved ranking is logged (who, model, pool, K, the top list shown).
        record_ranking_run(store, config, job_id=run.job_id, encoder=encoder, weights=weights, pool_size=run.pool,
                           retrieved_k=run.retrieved, blind=blind, results=run.results)


def job_spec(store: Any, job: dict[str, Any]) -> Any:
    """`spec_from_job(job)`, with the language detected once per job text and kept in the store.

    Identifying the language loads py3langid's model (~1–2 s in a fresh process); a
    `rank` of a job seen before reads the answer instead. Keyed by the text's hash, so an
    edited job is detected again.
    """
    from ranking.jobspec import spec_from_job

    if not rank_index.supported(store):
        return spec_from_job(job)
    key = "job-lang:" + text_hash(f"{job.get('title') or ''}\n{job.get('description') or ''}")
    lang = rank_index.get_state(store, key)
    if lang:
        return spec_from_job(job, lang=lang)
    spec = spec_from_job(job)
    rank_index.set_state(store, key, spec.lang)
    return spec


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a re-rank allocates ~100k short-lived objects, none in cycles,
    and the collections they trigger scan the whole heap (15–20 % of a re-rank's time, measured)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def rank_two_stage(store: Any, job_id: int, **options: Any) -> RankRun:
    """Retrieve, re-rank, save (`ranking.service.rank_job`; keywords: `RankOptions`); returns the run (results cut to `top`)."""
    with _no_gc():
        return _rank_two_stage(store, job_id, RankOptions(**options))


def _rank_two_stage(store: Any, job_id: int, o: "RankOptions") -> RankRun:
    config, encoder, blind, top, progress = o.config, o.encoder, o.blind, o.top, o.progress
    weights, retrieve, filters, feedback = o.weights, o.retrieve, o.filters, o.feedback
    from ranking.feedback import annotate, job_feedback
    from ranking.full_rank import rank_job_full
    from ranking.fusion import resolve_fusion
    from ranking.hybrid import resolve_weights
    from ranking.service import _cache, _embed_for_job, _job_glosses, _job_texts, choose_lang, load_encoder, score_pool

    if not rank_index.supported(store):
        results = rank_job_full(store, job_id, **o.shared())
        model = str(results[0].explanation.get("model", "")) if results else ""
        n = store.count_candidates()
        return RankRun(job_id, model, n, n, results, saved=n)
    job = store.get_job(job_id)
    spec = job_spec(store, job)
    k = retrieve_size(config, retrieve)
    refresh_features(store, blind=False)
    if blind:
        refresh_features(store, blind=True)
    lang = choose_lang(spec.lang, rank_index.pool_languages(store, blind))
    if encoder is None:
        encoder = load_encoder(config, lang)  # lazy: a model is loaded only if a text must be embedded
    w = resolve_weights(config, weights, lang=lang)
    idx, embedded = sync_dense_index(store, encoder, blind=blind, progress=progress)
    filters = dict(filters or {})
    undecided = filters.pop("undecided", False)
    allowed: list[int] | None = None
    if filters or undecided:
        allowed = rank_index.pool_ids(store, blind, lang=filters.get("lang"), location=filters.get("location"),
                                      remote=filters.get("remote"), undecided_for_job=job_id if undecided else None)
        pool = len(allowed)
    else:
        pool = rank_index.pool_size(store, blind)
    cache = _cache(store, encoder, config)
    from ranking.service import PreparedPool

    _embed_for_job(cache, spec, job_id, PreparedPool([], [], np.zeros(0, dtype=np.int64), [], {}), progress)
    if pool <= k:
        ids = allowed if allowed is not None else rank_index.pool_ids(store, blind)
    else:
        query, title = _job_texts(spec)
        qv = cache.embed([query])
        words = content_words(query)
        glosses = _job_glosses(spec, query, title)
        if glosses is not None:
            from ranking.bridge import mix_query_vectors

            qv = np.vstack([qv, mix_query_vectors(qv, cache.embed([glosses[0]]))])
            words += content_words(glosses[0])
        ids = _retrieve(store, idx, spec, qv, k, allowed, words)
    if feedback:
        # The people decided on are re-ranked too, so their vectors can move the query.
        decided = set(store.get_decisions(job_id))
        ids = sorted(set(ids) | (decided & set(rank_index.pool_ids(store, blind))))
    derived_by_id = load_derived(store, ids, blind)
    derived = [derived_by_id[c] for c in sorted(derived_by_id)]
    run = RankRun(job_id, encoder.name, pool, len(derived), embedded=embedded + cache.stats.embedded)
    if derived:
        prepared = prepared_from(derived)
        chunk_keys, title_keys = prepared.keys()
        cache.ensure(prepared.chunks + prepared.titles, progress=progress, owners=prepared.owners, keys=chunk_keys + title_keys)
        run.embedded = embedded + cache.stats.embedded
        fusion = resolve_fusion(config, weights)
        fb = job_feedback(store, job_id, config, [d.cand.candidate_id for d in derived], feedback)
        scored = score_pool(spec, prepared, cache, w, fusion=fusion, feedback=fb)
        total, contributions, signals, reports, notes = scored
        key = np.asarray(scored.order_key())  # the fusion score: `total` is its 0-1 display form, tied in the tail once rounded
        cand_ids = np.fromiter((d.cand.candidate_id for d in derived), dtype=np.int64, count=len(derived))
        order = np.lexsort((cand_ids, -key))[:k].tolist()  # best first, ties by candidate id
        names = _pseudonyms(store, [derived[i].cand.candidate_id for i in order])
        # Each signal's column as Python floats once (float(v[i]) per row and signal cost more than the rows).
        contrib_cols = {name: np.asarray(v).tolist() for name, v in contributions.items()}
        signal_cols = {name: np.asarray(v).tolist() for name, v in signals.items()}
        totals, keys = np.asarray(total).tolist(), key.tolist()
        for i in order:
            ct = derived[i].cand
            contrib = {name: col[i] for name, col in contrib_cols.items()}
            sig = {name: col[i] for name, col in signal_cols.items()}
            explanation = build_explanation(spec, ct, reports[i], contrib, sig, notes[i], blind=blind,
                                            pseudonym=pseudonym(ct.candidate_id, names.get(ct.candidate_id)))
            explanation["model"] = encoder.name
            annotate(explanation, learned=fusion is not None, fb=fb, note=scored.feedback_notes[i] if fb else "",
                     fusion_score=keys[i])
            run.results.append(RankedCandidate(candidate_id=ct.candidate_id, score=round(totals[i], 6),
                                               components=contrib, explanation=explanation))
    save_ranking_run(store, run, config=config, encoder=encoder, weights=w, blind=blind)
    run.saved = len(run.results)
    if top:
        run.results = run.results[:top]
    return run


def _pseudonyms(store: Any, ids: list[int]) -> dict[int, str]:
    from sourcing.storage.nightly import pseudonyms

    return pseudonyms(store, ids)


def embed_changed(store: Any, *, config: Any = None, encoder: Encoder | None = None, blind: bool = False,
                  progress: Progress | None = None) -> int:
    """The nightly's embedding step: sync each needed model's index and embed open jobs' texts.

    Reads only candidates changed since the index was last synced; returns texts embedded
    (0 when nothing changed).
    """
    from ranking.service import PreparedPool, _cache, _embed_for_job, choose_lang, load_encoder

    refresh_features(store, blind=False)
    if blind:
        refresh_features(store, blind=True)
    langs = rank_index.pool_languages(store, blind)
    plan: dict[str, tuple[Encoder, list[tuple[Any, int]]]] = {}
    jobs = [(job_spec(store, job), job["id"]) for job in store.list_jobs(open_only=True)]
    for spec, job_id in jobs or [(None, 0)]:
        enc = encoder or load_encoder(config, choose_lang(spec.lang if spec else "en", langs))
        plan.setdefault(enc.name, (enc, []))[1].append((spec, job_id))
    done = 0
    empty = PreparedPool([], [], np.zeros(0, dtype=np.int64), [], {})
    for enc, specs in plan.values():
        _, embedded = sync_dense_index(store, enc, blind=blind, progress=progress)
        cache = _cache(store, enc, config)
        for spec, job_id in specs:
            if spec is not None:
                _embed_for_job(cache, spec, job_id, empty, progress)
        done += embedded + cache.stats.embedded
    return done
