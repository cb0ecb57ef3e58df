"""Provides evaluation on labelled data: loaders, TREC qrels, MAP / nDCG@k / MRR, method runs.

Queries and corpus are `id<TAB>text` TSV files (a header line such as
`q_id<TAB>jobtitle` is skipped) or directories of text files (file name without
extension = id). Judgements are TREC qrels (`qid 0 docid rel`). Every method ranks
the whole corpus for every query: `tfidf`, `bm25`, `dense` (one encoder), `hybrid`
(the product's score: the learned fusion of dense, lexical and skills, `ranking.fusion`)
and `weighted` (the earlier hand-weighted sum of the same signals, for comparison).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from sourcing.errors import UsageError

METHODS = ("tfidf", "bm25", "dense", "hybrid", "weighted")
DEFAULT_METRICS = ("map", "ndcg@10", "mrr")
RANK_DEPTH = 1000  # like trec_eval: metrics look at the top 1,000 of each ranking


def load_texts(path: str | Path, *, what: str = "file") -> dict[str, str]:
    """Read `id<TAB>text` lines from a TSV file, or every text file of a directory.

    Raises:
        UsageError: the path does not exist, or a TSV line has no tab (file and line named).
    """
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{what} {p}: no such file or directory")
    out: dict[str, str] = {}
    if p.is_dir():
        for f in sorted(p.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                try:
                    out[f.stem] = f.read_text(encoding="utf-8")
                except UnicodeDecodeError as exc:
                    raise UsageError(f"{what} {f}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        return out
    with p.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            line = line.rstrip("\n\r")
            if not line.strip():
                continue
            if "\t" not in line:
                raise UsageError(f"{what} {p}, line {n}: expected 'id<TAB>text', found no tab")
            key, text = line.split("\t", 1)
            if n == 1 and key.strip().lower() in ("id", "q_id", "qid", "c_id", "doc_id", "docid", "query_id", "corpus_id"):
                continue  # header line
            out[key.strip()] = text
    return out


def load_qrels(path: str | Path) -> dict[str, dict[str, int]]:
    """Read TREC qrels (`qid iter docid rel`, whitespace separated) into {qid: {docid: rel}}.

    Raises:
        UsageError: the file is missing or a line does not have four fields / an integer rel.
    """
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"qrels {p}: no such file")
    out: dict[str, dict[str, int]] = {}
    with p.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise UsageError(f"qrels {p}, line {n}: expected 'qid 0 docid rel', got {len(parts)} fields")
            try:
                rel = int(parts[3])
            except ValueError as exc:
                raise UsageError(f"qrels {p}, line {n}: relevance {parts[3]!r} is not an integer") from exc
            out.setdefault(parts[0], {})[parts[2]] = rel
    return out


def average_precision(ranked: Sequence[str], rels: Mapping[str, int]) -> float:
    """AP of one ranking: mean precision at each relevant document (over all relevant ones)."""
    n_rel = sum(1 for r in rels.values() if r > 0)
    if n_rel == 0:
        return 0.0
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked, start=1):
        if rels.get(doc, 0) > 0:
            hits += 1
            total += hits / i
    return total / n_rel


def ndcg(ranked: Sequence[str], rels: Mapping[str, int], k: int) -> float:
    """nDCG@k with linear gains (trec_eval's `ndcg_cut`)."""
    dcg = sum(rels.get(doc, 0) / math.log2(i + 1) for i, doc in enumerate(ranked[:k], start=1) if rels.get(doc, 0) > 0)
    ideal = sorted((r for r in rels.values() if r > 0), reverse=True)[:k]
    idcg = sum(r / math.log2(i + 1) for i, r in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: Sequence[str], rels: Mapping[str, int]) -> float:
    """1 / rank of the first relevant document, 0 if none is ranked."""
    for i, doc in enumerate(ranked, start=1):
        if rels.get(doc, 0) > 0:
            return 1.0 / i
    return 0.0


def parse_metrics(spec: str) -> list[str]:
    """Check a comma list such as "map,ndcg@10,mrr" (raises UsageError on an unknown name)."""
    out = []
    for m in (x.strip().lower() for x in spec.split(",") if x.strip()):
        if m in ("map", "mrr") or (m.startswith("ndcg@") and m[5:].isdigit() and int(m[5:]) > 0):
            out.append(m)
        else:
            raise UsageError(f"unknown metric {m!r}: use map, mrr or ndcg@K (e.g. ndcg@10)")
    return out


def score_metrics(rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]], metrics: Sequence[str]) -> dict[str, float]:
    """Mean of each metric over the queries that have at least one relevant document."""
    qids = [q for q in rankings if any(r > 0 for r in qrels.get(q, {}).values())]
    out: dict[str, float] = {}
    for m in metrics:
        vals = []
        for q in qids:
            ranked, rels = rankings[q], qrels[q]
            if m == "map":
                vals.append(average_precision(ranked, rels))
            elif m == "mrr":
                vals.append(reciprocal_rank(ranked, rels))
            else:
                vals.append(ndcg(ranked, rels, int(m[5:])))
        out[m] = float(np.mean(vals)) if vals else 0.0
    return out


@dataclass
class EvalData:
    """Queries, corpus and judgements, in a fixed order."""

    query_ids: list[str]
    queries: list[str]
    doc_ids: list[str]
    docs: list[str]
    qrels: dict[str, dict[str, int]]


def load_eval(queries: str | Path, corpus: str | Path, qrels: str | Path) -> EvalData:
    """Load a labelled set; queries without judgements are kept (they count for nothing)."""
    q = load_texts(queries, what="queries")
    c = load_texts(corpus, what="corpus")
    judgements = load_qrels(qrels)
    if not q:
        raise UsageError(f"queries {queries}: no queries found")
    if not c:
        raise UsageError(f"corpus {corpus}: no documents found")
    return EvalData(list(q), list(q.values()), list(c), list(c.values()), judgements)


def top_ids(scores: np.ndarray, ids: Sequence[str], depth: int = RANK_DEPTH) -> list[str]:
    """Ids of the `depth` best scores, best first (ties: corpus order)."""
    depth = min(depth, len(ids))
    part = np.argpartition(-scores, depth - 1)[:depth] if depth < len(ids) else np.arange(len(ids))
    order = part[np.lexsort((part, -scores[part]))]
    return [ids[i] for i in order]


def skills_signal(queries: Sequence[str], docs: Sequence[str]) -> np.ndarray:
    """Share of each query's skills that a document names (0 when the query names none)."""
    from ranking.skills import extract_skills

    doc_sk = [{s.lower() for s in extract_skills(d)} for d in docs]
    out = np.zeros((len(queries), len(docs)), dtype=np.float32)
    for i, q in enumerate(queries):
        qs = {s.lower() for s in extract_skills(q)}
        if qs:
            out[i] = [len(qs & d) / len(qs) for d in doc_sk]
    return out


def doc_chunks(docs: Sequence[str], embed: Callable[[Sequence[str]], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of every document's chunks (long documents are chunked), and each chunk's document index."""
    from ranking.text import chunk_text

    chunks: list[str] = []
    owner: list[int] = []
    for i, d in enumerate(docs):
        for ch in chunk_text(d) or [d]:
            chunks.append(ch)
            owner.append(i)
    return embed(chunks), np.asarray(owner)


def dense_scores(encoder: Any, queries: Sequence[str], docs: Sequence[str], *, embed: Callable[[Sequence[str]], np.ndarray] | None = None,
                 query_vectors: np.ndarray | None = None, chunks: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Cosine of each query with each document's best chunk.

    `query_vectors` replaces the queries' own embeddings (the bridged French queries);
    `chunks` is `doc_chunks(docs, embed)` when the caller already has it.
    """
    from ranking.search import score_all

    embed = embed or (lambda texts: encoder.encode(list(texts)))
    cv, owner = chunks if chunks is not None else doc_chunks(docs, embed)
    qv = embed(list(queries)) if query_vectors is None else query_vectors
    scores = score_all(qv, cv)
    if len(owner) == len(docs):
        return scores
    out = np.full((len(queries), len(docs)), -np.inf, dtype=np.float32)
    for qi in range(len(queries)):
        np.maximum.at(out[qi], owner, scores[qi])
    return out


def auto_lang(data: EvalData) -> str:
    """The product's language profile for a set: its queries' and documents' language, as a whole.

    "en" (English model), "cross" (French queries, English documents: multilingual model
    plus the French -> English bridge) or "multi" (multilingual model).
    """
    from ranking.service import choose_lang

    q_lang, d_lang = set_languages(data)
    return choose_lang(q_lang, [d_lang])


def set_languages(data: EvalData) -> tuple[str, str]:
    """The language of a set's queries and of its documents, each guessed over many texts at once."""
    from ranking.text import detect_lang

    # One guess per side over many texts: single job titles are too short to tell apart.
    return detect_lang(" ".join(data.queries[:200])), detect_lang(" ".join(data.docs[:200]))


def method_scores(data: EvalData, method: str, *, encoder: Any = None, weights: Mapping[str, float] | None = None,
                  embed: Callable[[Sequence[str]], np.ndarray] | None = None,
                  cache: dict[str, Any] | None = None, bridge: bool = False, fusion: Any = None) -> np.ndarray:
    """(queries x docs) scores of one method. `cache` shares signals between methods.

    With `bridge` (French queries, English documents) the hybrid compares each query
    through its text and its English gloss (`ranking.bridge`), as `rank_job` does.
    `fusion` is the `FusionModel` of the hybrid (default: the packaged one); `weights`
    are the hand weights of `weighted`.
    """
    from ranking.lexical import BM25, TfidfScorer

    cache = {} if cache is None else cache
    data = _prepared(data, cache)
    if method == "tfidf":
        return _get(cache, "tfidf", lambda: TfidfScorer().fit(data.docs).score(data.queries))
    if method == "bm25":
        return _get(cache, "bm25", lambda: BM25().fit(data.docs).score(data.queries))
    if method not in ("dense", "hybrid", "weighted"):
        raise UsageError(f"unknown method {method!r}: use {', '.join(METHODS)}")
    if encoder is None:
        raise UsageError(f"method {method} needs an encoder")
    name = getattr(encoder, "name", "encoder")
    if method == "dense":
        return _dense(data, encoder, embed, cache, bridged=False)
    signals = signal_matrices(data, encoder, embed=embed, cache=cache, bridge=bridge)
    if method == "weighted":
        from ranking.hybrid import combine, resolve_weights

        total, _ = combine(signals, dict(weights) if weights else resolve_weights(None))
        return total
    from ranking.fusion import default_model, fused_matrix
    from ranking.languages import covers

    q_lang, d_lang = _get(cache, "langs", lambda: set_languages(data))
    covered = covers(name, "en" if bridge else q_lang) and covers(name, d_lang)
    return fused_matrix(fusion or default_model(), signals, covered=covered,
                        query_words=[len(q.split()) for q in data.queries],
                        doc_words=_get(cache, "doc_words", lambda: np.asarray([len(d.split()) for d in data.docs])))


def _get(cache: dict[str, Any], name: str, fn: Callable[[], Any]) -> Any:
    if name not in cache:
        cache[name] = fn()
    return cache[name]


def _prepared(data: EvalData, cache: dict[str, Any]) -> EvalData:
    """The product's prepared texts (French gender doublets collapsed): every method compares these."""
    from ranking.text import prepare_text

    return _get(cache, "prepared", lambda: EvalData(data.query_ids, [prepare_text(q) for q in data.queries], data.doc_ids,
                                                    [prepare_text(d) for d in data.docs], data.qrels))


def _dense(data: EvalData, encoder: Any, embed: Callable[[Sequence[str]], np.ndarray] | None, cache: dict[str, Any],
           *, bridged: bool) -> np.ndarray:
    name = getattr(encoder, "name", "encoder")
    embed_fn = embed or (lambda texts: encoder.encode(list(texts)))
    # The corpus is embedded once per encoder, whichever dense signals the methods ask for.
    chunks = _get(cache, f"chunks:{name}", lambda: doc_chunks(data.docs, embed_fn))
    if not bridged:
        return _get(cache, f"dense:{name}", lambda: dense_scores(encoder, data.queries, data.docs, embed=embed_fn, chunks=chunks))
    from ranking.bridge import gloss_fr_en, mix_query_vectors

    def run() -> np.ndarray:
        glosses = _get(cache, "glosses", lambda: [gloss_fr_en(q) for q in data.queries])
        mixed = mix_query_vectors(embed_fn(list(data.queries)), embed_fn(glosses))
        return dense_scores(encoder, data.queries, data.docs, embed=embed_fn, query_vectors=mixed, chunks=chunks)

    return _get(cache, f"dense:{name}:bridged", run)


def signal_matrices(data: EvalData, encoder: Any, *, embed: Callable[[Sequence[str]], np.ndarray] | None = None,
                    cache: dict[str, Any] | None = None, bridge: bool = False) -> dict[str, np.ndarray]:
    """The hybrid's signals as (queries x docs) matrices: dense (clipped at 0), lexical, words (BM25), skills."""
    from ranking.hybrid import lexical_signal

    cache = {} if cache is None else cache
    data = _prepared(data, cache)
    dense = _dense(data, encoder, embed, cache, bridged=bridge)
    lexical_queries = data.queries
    if bridge:
        from ranking.bridge import gloss_fr_en

        glosses = _get(cache, "glosses", lambda: [gloss_fr_en(q) for q in data.queries])
        lexical_queries = [f"{q} {g}" for q, g in zip(data.queries, glosses)]
    from ranking.lexical import BM25

    return {
        "dense": np.maximum(dense, 0.0),
        "lexical": _get(cache, f"lexical:{bridge}", lambda: lexical_signal(lexical_queries, data.docs)),
        "words": _get(cache, f"words:{bridge}", lambda: BM25().fit(data.docs).score(lexical_queries)),
        "skills": _get(cache, "skills", lambda: skills_signal(data.queries, data.docs)),
    }


def evaluate(data: EvalData, scores: np.ndarray, metrics: Sequence[str]) -> dict[str, float]:
    """Metrics of a (queries x docs) score matrix against the judgements."""
    rankings = {qid: top_ids(scores[i], data.doc_ids) for i, qid in enumerate(data.query_ids)}
    return score_metrics(rankings, data.qrels, metrics)
