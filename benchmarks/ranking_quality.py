"""Provides the ranking quality benchmark: MAP / nDCG@10 / MRR of every method on public sets.

Sets (all from ../shared/data/bench, computed on the FULL corpus of each):
- MELO `usa_q_en_c_en` (633 English O*NET titles vs 33,809 ESCO English titles),
  `fra_q_fr_c_fr` (1,435 French ROME titles vs 15,217 French ESCO titles) and
  `fra_q_fr_c_en` (the same French queries vs the English corpus: cross-lingual);
- `resumes`: job -> résumé, 25 categories of resumes_by_category.csv (166 résumés).
  Query of a category = "<category>. <O*NET title>. <O*NET description>" of a hand-picked
  O*NET occupation (CATEGORY_ONET below); relevant = that category's résumés.
- `resumes_fr`: the same résumés against short French job ads, one per category, written by
  hand (benchmarks/data/resumes_fr_queries.tsv): a cross-lingual check that owes nothing to
  the ESCO labels the French -> English bridge and the MELO corpora share.

- `resumes_ka`: `resumes` written in Georgian script, a language neither encoder reads
  (constructed; see ranking/tools/bench_sets.py), and, with --melo, the other MELO countries'
  sets (e.g. rou_q_ro_c_ro, cze_q_cs_c_cs: languages neither encoder covers).

Methods: tfidf (char 3-5-gram), bm25 (words), dense for each encoder (MiniLM, multilingual
USE), weighted (the earlier hand-weighted hybrid) and hybrid (the product's score: the learned
fusion, ranking/data/fusion.json, with the encoder the product picks for the set's language),
plus residual ranking with and without feedback (--feedback N). Baselines are in the same run (the single methods). Every
method sees the product's prepared texts (French gender doublets such as "Acheteur /
Acheteuse" collapsed to one form; English texts are unchanged).

Queries may be subsampled deterministically with --max-queries N (every k-th query in file
order) and corpora cut with --max-docs N (judged documents + evenly spaced others); by
default everything is used. Embeddings go through the product's cache (a SQLite
store, --cache), so a second run embeds nothing.

Run: HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/ranking_quality.py [--sets usa_q_en_c_en,...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from ranking.evaluate import EvalData, auto_lang, evaluate, method_scores  # noqa: E402
from ranking.tools.bench_sets import load_set, reduce_corpus, subsample  # noqa: E402

METRICS = ("map", "ndcg@10", "mrr")
MELO_SETS = ("usa_q_en_c_en", "fra_q_fr_c_fr", "fra_q_fr_c_en")


def two_stage_scores(data: EvalData, shared: dict, enc, weights, k: int, *, bridge: bool) -> np.ndarray:
    """The hybrid as `rank_job` computes it in two stages: per query, the union of the dense top-k
    and the BM25 top k/4 is re-ranked (lexical TF-IDF idf from those documents only); the rest
    of the corpus is not ranked. Uses the signals `method_scores` already computed; scores with the
    learned fusion (features normalised within the re-ranked documents), as `rank_job` does."""
    from ranking.evaluate import set_languages
    from ranking.fusion import default_model, fused_scores
    from ranking.hybrid import lexical_signal
    from ranking.languages import covers
    from ranking.lexical import BM25, bm25_pool

    prepared = shared["prepared"]
    dense_key = next(key for key in shared if key.startswith("dense:") and key.endswith(":bridged") == bridge
                     and enc.name in key)
    dense = shared[dense_key]
    from ranking.lexical import _analyzer
    from ranking.retrieve import LEXICAL_POSTINGS, lexical_terms

    fitted = shared.get("bm25_fit")
    if fitted is None:
        fitted = shared["bm25_fit"] = BM25().fit(prepared.docs)
    doc_counts = np.diff(fitted.weights_.indptr)  # documents holding each word
    vocab = fitted.vectorizer_.vocabulary_
    skills = shared["skills"]
    n = len(prepared.docs)
    model = default_model()
    q_lang, d_lang = set_languages(prepared)
    covered = covers(enc.name, "en" if bridge else q_lang) and covers(enc.name, d_lang)
    doc_words = np.asarray([len(d.split()) for d in prepared.docs])
    out = np.full((len(prepared.queries), n), -np.inf, dtype=np.float32)
    if bridge:
        from ranking.bridge import gloss_fr_en

        lexical_queries = [f"{q} {gloss_fr_en(q)}" for q in prepared.queries]
    else:
        lexical_queries = list(prepared.queries)
    for qi in range(len(prepared.queries)):
        if n <= k:
            ids = np.arange(n)
        else:
            top_dense = np.argpartition(-dense[qi], k - 1)[:k]
            kl = max(1, int(k * 0.25))
            # The lexical list as `rank_job` retrieves it: BM25 over the query's rarest words only,
            # their document counts adding up to at most LEXICAL_POSTINGS x its length.
            words = list(dict.fromkeys(_analyzer(lexical_queries[qi])))
            chosen = lexical_terms({w: int(doc_counts[vocab[w]]) if w in vocab else 0 for w in words}, LEXICAL_POSTINGS * kl)
            lex = fitted.score([" ".join(chosen)])[0] if chosen else np.zeros(n, dtype=np.float32)
            top_lex = np.argpartition(-lex, kl - 1)[:kl]
            ids = np.union1d(top_dense, top_lex[lex[top_lex] > 0])
        pool_docs = [prepared.docs[i] for i in ids]
        lexical = lexical_signal([lexical_queries[qi]], pool_docs)[0]
        # Word BM25 over the re-ranked documents (idf and lengths from them), as `score_pool` has it.
        words = bm25_pool([lexical_queries[qi]], pool_docs)[0]
        signals = {"dense": np.maximum(dense[qi, ids], 0.0), "lexical": lexical, "words": words, "skills": skills[qi, ids]}
        out[qi, ids], _ = fused_scores(model, signals, covered=covered, query_words=len(prepared.queries[qi].split()),
                                       doc_words=doc_words[ids])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(MELO_SETS + ("resumes", "resumes_fr", "resumes_ka")))
    ap.add_argument("--max-queries", type=int, default=None, help="deterministic query subsample per set")
    ap.add_argument("--max-docs", type=int, default=None, help="corpus cut: judged documents + evenly spaced others (as train_fusion)")
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "sourcing-bench" / "embeddings.db"))
    ap.add_argument("--encoders", default="default,muse", help="dense encoders to measure")
    ap.add_argument("--weights", default=None, help='JSON weight override, e.g. {"dense": 0.5}')
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results here")
    ap.add_argument("--melo", action="append", default=[], help="more MELO sets (data/processed/melo of Avature/melo-benchmark)")
    ap.add_argument("--feedback", type=int, default=5, help="residual ranking with the labels of the hybrid's top N revealed (0: skip)")
    ap.add_argument("--retrieve", type=int, default=None,
                    help="also measure the two-stage hybrid (retrieve K by dense + K/4 by BM25, re-rank those; issue 11)")
    args = ap.parse_args(argv)

    from ranking.cache import EmbeddingCache
    from ranking.encoders import build_encoder
    from ranking.hybrid import resolve_weights
    from sourcing.storage import Store

    Path(args.cache).parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(args.cache)
    encoders = {spec: build_encoder(spec) for spec in args.encoders.split(",")}
    product = {"en": encoders.get("default") or build_encoder("default"), "multi": encoders.get("muse") or build_encoder("muse")}
    override = json.loads(args.weights) if args.weights else None
    for lang in ("en", "multi", "cross"):
        print(f"hybrid weights ({lang}): {resolve_weights(None, override, lang=lang)}")
    results: dict[str, dict[str, dict[str, float]]] = {}
    ok = True
    for name in args.sets.split(","):
        t0 = time.perf_counter()
        data = reduce_corpus(subsample(load_set(name, melo_dirs=[Path(m) for m in args.melo]), args.max_queries), args.max_docs)
        shared: dict = {}
        res: dict[str, dict[str, float]] = {}
        for m in ("tfidf", "bm25"):
            res[m] = evaluate(data, method_scores(data, m, cache=shared), METRICS)
        for spec, enc in encoders.items():
            cache = EmbeddingCache(store, enc)
            embed = lambda texts, c=cache: c.embed(texts)  # noqa: E731
            res[f"dense[{enc.name}]"] = evaluate(data, method_scores(data, "dense", encoder=enc, embed=embed, cache=shared), METRICS)
        # The product's choice, from the texts as `sourcing eval` makes it: English sets use
        # [ranking] model; French queries on English documents are bridged ("cross").
        lang = auto_lang(data)
        enc = product["en" if lang == "en" else "multi"]
        weights = resolve_weights(None, override, lang=lang)
        cache = EmbeddingCache(store, enc)
        embed = lambda t, c=cache: c.embed(t)  # noqa: E731
        res[f"weighted[{enc.name},{lang}]"] = evaluate(
            data, method_scores(data, "weighted", encoder=enc, weights=weights, embed=embed, cache=shared, bridge=lang == "cross"), METRICS)
        res[f"hybrid[{enc.name},{lang}]"] = evaluate(
            data, method_scores(data, "hybrid", encoder=enc, embed=embed, cache=shared, bridge=lang == "cross"), METRICS)
        if args.feedback:
            from ranking.residual import residual_metrics

            fb = residual_metrics(data, enc, metrics=METRICS, reveal=args.feedback, embed=embed, cache=shared, bridge=lang == "cross")
            res[f"residual@{args.feedback}"] = fb["no feedback"]
            res[f"residual@{args.feedback}+feedback"] = fb["feedback"]
        if args.retrieve:
            full = next(v for k, v in res.items() if k.startswith("hybrid"))
            res[f"two-stage[K={args.retrieve}]"] = evaluate(
                data, two_stage_scores(data, shared, enc, weights, args.retrieve, bridge=lang == "cross"), METRICS)
            gap = full["map"] - res[f"two-stage[K={args.retrieve}]"]["map"]
            print(f"  two-stage K={args.retrieve}: MAP {gap:+.4f} below the full hybrid (target <= 0.005) -> {'OK' if gap <= 0.005 else 'MISSED'}")
            ok &= gap <= 0.005
        results[name] = res
        print(f"\n== {name}: {len(data.query_ids)} queries x {len(data.doc_ids)} docs ({time.perf_counter() - t0:.0f} s)")
        print(f"{'method':28s}" + "".join(f"{m:>10s}" for m in METRICS))
        for m, vals in res.items():
            print(f"{m:28s}" + "".join(f"{vals[x]:10.4f}" for x in METRICS))
        hyb = next(v for k, v in res.items() if k.startswith("hybrid"))
        for metric in ("map", "ndcg@10"):
            best_single = max((v[metric], k) for k, v in res.items() if not k.startswith(("hybrid", "weighted", "residual", "two-stage")))
            good = hyb[metric] >= best_single[0] - 1e-9
            ok &= good
            print(f"  target hybrid >= every single method ({metric}): {hyb[metric]:.4f} vs best {best_single[1]} {best_single[0]:.4f} -> {'OK' if good else 'MISSED'}")
        if args.feedback:
            r0, r1 = res[f"residual@{args.feedback}"]["map"], res[f"residual@{args.feedback}+feedback"]["map"]
            ok &= r1 > r0
            print(f"  target residual MAP with feedback > without: {r1:.4f} vs {r0:.4f} -> {'OK' if r1 > r0 else 'MISSED'}")
        if name == "fra_q_fr_c_en":
            gap = hyb["ndcg@10"] - res["tfidf"]["ndcg@10"]
            good = gap >= 0.15
            ok &= good
            print(f"  target nDCG@10 >= TF-IDF + 0.15: +{gap:.4f} -> {'OK' if good else 'MISSED'}")
    store.close()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2))
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
