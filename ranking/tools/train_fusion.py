"""Provides `python -m ranking.tools.train_fusion`: fit the learned fusion on public labelled sets.

Reproducible: fixed seeds, deterministic query subsampling, an L2
logistic regression on pairwise differences with non-negative signal coefficients (scipy
L-BFGS-B). Data and provenance:
`ranking.tools.bench_sets` (MELO sets from ../shared and from a checkout of the public
repository Avature/melo-benchmark passed with --melo, the résumé sets). No TalentCLEF split
of any kind is read.

For each set the signals are those the product computes, with the encoder the product
picks for the set's language ("views"); French sets are also seen through the English-only
MiniLM, which does not cover French — real data for the case where the encoder cannot
read the text. Then:

1. leave-one-dataset-out: for every set, a model fitted on all the OTHER sets ranks it;
   MAP / nDCG@10 are printed next to tfidf, bm25, dense and the old hand-weighted hybrid;
2. the shipped model is fitted on the training sets (`--train`), never on the dev sets
   (`--dev`), and written to ranking/data/fusion.json with the data it saw.

Embeddings go through the product's cache (a SQLite store, --cache) and each set's signal
matrices are kept as .npz files beside it, so a re-run embeds and scores nothing.

Run: HF_HUB_OFFLINE=1 nice .venv/bin/python -m ranking.tools.train_fusion --melo /path/to/melo-benchmark/data/processed/melo
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ranking.evaluate import EvalData, auto_lang, evaluate, method_scores, set_languages, signal_matrices  # noqa: E402
from ranking.fusion import FEATURES, LEARNED_SIGNALS, SHORT_QUERY_WORDS, WORD_SIGNAL, FusionModel, fused_matrix, fused_scores, pool_features  # noqa: E402
from ranking.tools.bench_sets import load_set, reduce_corpus, subsample  # noqa: E402

SEED = 20260
TRAIN_SETS = ("usa_q_en_c_en", "fra_q_fr_c_fr", "fra_q_fr_c_en", "resumes", "resumes_fr", "cze_q_cs_c_cs",
              "dnk_q_da_c_da", "esp_q_es_c_es")
DEV_SETS = ("rou_q_ro_c_ro", "swe_q_sv_c_sv", "deu_q_de_c_de", "resumes_ka")
METRICS = ("map", "ndcg@10")
MAX_QUERIES = 150  # per set, for training pairs and the leave-one-out tables
MAX_DOCS = 3000  # per set: judged documents of those queries + evenly spaced others (see bench_sets.reduce_corpus)
CANDIDATES = 100  # per signal: a query's training pool is the union of each signal's top 100
PAIRS_PER_POSITIVE = 12
MAX_POSITIVES = 10
OLD_DENSE = {"en": 0.60, "multi": 0.50, "cross": 0.50}  # the hand weights the fixed ones are scaled from


@dataclass
class View:
    """One set seen through one encoder: its signals, coverage and lengths (full query list)."""

    set_name: str
    encoder: str
    lang: str
    covered: bool
    data: EvalData
    signals: dict[str, np.ndarray]
    baselines: dict[str, dict[str, float]]  # metrics of tfidf, bm25, weighted, dense
    query_words: list[int]
    doc_words: np.ndarray


def _views(name: str, data: EvalData, encoders: dict[str, Any], store: Any, cache_dir: Path) -> list[View]:
    from ranking.cache import EmbeddingCache
    from ranking.languages import covers

    lang = auto_lang(data)
    q_lang, d_lang = set_languages(data)
    product = "default" if lang == "en" else "muse"
    specs = [product]
    if q_lang == "fr" and product != "default":
        specs.append("default")  # MiniLM on French: an encoder that does not cover the language
    views = []
    shared: dict[str, Any] = {}
    for spec in specs:
        enc = encoders[spec]
        bridge = lang == "cross" and spec == product
        path = cache_dir / f"{name}.{enc.name}.{len(data.query_ids)}x{len(data.doc_ids)}.npz"
        if path.is_file():
            z = np.load(path)
            signals = {s: z[s] for s in LEARNED_SIGNALS + (WORD_SIGNAL,) if s in z.files}
            baselines = {b: z[b] for b in ("tfidf", "bm25", "weighted")}
            z.close()
        else:
            cache = EmbeddingCache(store, enc)
            embed = lambda texts, c=cache: c.embed(texts)  # noqa: E731
            signals = signal_matrices(data, enc, embed=embed, cache=shared, bridge=bridge)
            baselines = {m: method_scores(data, m, encoder=enc, embed=embed, cache=shared, bridge=bridge,
                                          weights=_old_weights(lang if spec == product else "multi"))
                         for m in ("tfidf", "bm25", "weighted")}
            np.savez(path, **signals, **baselines)
        covered = covers(enc.name, "en" if bridge else q_lang) and covers(enc.name, d_lang)
        metrics = {m: evaluate(data, scores, METRICS) for m, scores in baselines.items()}
        metrics[f"dense[{enc.name}]"] = evaluate(data, signals["dense"], METRICS)
        views.append(View(name, enc.name, lang, covered, data, signals, metrics,
                          [len(q.split()) for q in data.queries], np.asarray([len(d.split()) for d in data.docs])))
        print(f"  view {name} / {enc.name}: lang {q_lang}->{d_lang}, profile {lang}, encoder covers: {covered}", flush=True)
    return views


def _row(view: View, qi: int) -> dict[str, np.ndarray]:
    """One query's signals (the pool of that query), the word signal included when the view has it."""
    return {s: view.signals[s][qi] for s in LEARNED_SIGNALS + (WORD_SIGNAL,) if s in view.signals}


def without_words(view: View) -> View:
    """The view without the word (BM25) signal: its features are 0 (the ablation of --no-words)."""
    signals = {s: v for s, v in view.signals.items() if s != WORD_SIGNAL}
    return View(view.set_name, view.encoder, view.lang, view.covered, view.data, signals, view.baselines,
                view.query_words, view.doc_words)


def _old_weights(lang: str) -> dict[str, float]:
    from ranking.hybrid import resolve_weights

    return resolve_weights(None, lang=lang)


def _pairs(view: View, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise differences (relevant minus non-relevant) and their weights; each query weighs the same."""
    diffs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    doc_index = {d: i for i, d in enumerate(view.data.doc_ids)}
    for qi, qid in enumerate(view.data.query_ids):
        rel = {doc_index[d] for d, r in view.data.qrels.get(qid, {}).items() if r > 0 and d in doc_index}
        if not rel:
            continue
        pool: set[int] = set()
        for s in ("dense", "lexical"):
            row = view.signals[s][qi]
            pool.update(np.argpartition(-row, min(CANDIDATES, len(row) - 1))[:CANDIDATES].tolist())
        pos = sorted(pool & rel)
        neg = np.asarray(sorted(pool - rel))
        if not pos or not len(neg):
            continue
        feats = pool_features(_row(view, qi), covered=view.covered,
                              query_words=view.query_words[qi], doc_words=view.doc_words)
        if len(pos) > MAX_POSITIVES:
            pos = sorted(rng.choice(pos, MAX_POSITIVES, replace=False).tolist())
        rows = []
        for p in pos:
            for n in rng.choice(neg, min(PAIRS_PER_POSITIVE, len(neg)), replace=False):
                rows.append(feats[p] - feats[n])
        d = np.asarray(rows)
        diffs.append(d)
        weights.append(np.full(len(d), 1.0 / len(d)))
    if not diffs:
        return np.zeros((0, len(FEATURES))), np.zeros(0)
    w = np.concatenate(weights)
    return np.vstack(diffs), w / w.sum()  # each view weighs 1 in total


def scrambled(view: View, seed: int = SEED) -> View:
    """The view as an encoder that cannot read the text would give it: each query's dense row
    is shuffled across the documents (a fixed seed), so the dense signal keeps its spread but
    says nothing, and it is flagged uncovered. Teaches the fusion to drop a dense signal that disagrees with
    the lexical one when the encoder does not know the language. Training only."""
    signals = dict(view.signals)
    rng = np.random.default_rng(seed)
    signals["dense"] = np.vstack([row[rng.permutation(len(row))] for row in view.signals["dense"]])
    return View(view.set_name, f"{view.encoder}~scrambled", view.lang, False, view.data, signals, view.baselines,
                view.query_words, view.doc_words)


def fit(views: list[View], *, seed: int = SEED, c: float = 0.1) -> FusionModel:
    """A fusion fitted on the pairs of these views and their scrambled twins (a set's views share its weight)."""
    views = views + [scrambled(v) for v in views if v.covered]
    rng = np.random.default_rng(seed)
    xs, ws = [], []
    per_set: dict[str, int] = {}
    for v in views:
        per_set[v.set_name] = per_set.get(v.set_name, 0) + 1
    for v in views:
        x, w = _pairs(v, rng)
        xs.append(x)
        ws.append(w / per_set[v.set_name])
    x = np.vstack(xs)
    w = np.concatenate(ws)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    coef = _fit_pairwise(x / scale, w * 2 * len(w), c=c, lower=_lower_bounds()) / scale
    model = FusionModel({f: round(float(v), 6) for f, v in zip(FEATURES, coef)})
    # Title similarity and constraint fit have no public labels: they keep the hand weights'
    # proportion to the dense weight, in this model's units (its weight per unit of dense
    # similarity on covered long texts, agreeing and disagreeing pools alike — with non-negative
    # coefficients either one alone may be 0).
    per_dense = (model.coef.get("dense.raw|covered|agree|long", 0.0) + model.coef.get("dense.raw|covered|disagree|long", 0.0)) / 2
    unit = max(per_dense, 0.0) / OLD_DENSE["en"]
    model.fixed = {"title": round(0.15 * unit, 6), "constraints": round(0.05 * unit, 6)}
    return model


def _lower_bounds() -> np.ndarray:
    """0 for every signal feature (a higher similarity never lowers the score), unbounded for length."""
    return np.asarray([-np.inf if f.startswith("length.") else 0.0 for f in FEATURES])


def _fit_pairwise(x: np.ndarray, w: np.ndarray, *, c: float, lower: np.ndarray) -> np.ndarray:
    """Coefficients of an L2-regularised logistic regression on pairwise differences, with lower bounds.

    Each row of `x` is "relevant minus non-relevant", so the model is P(first ranks above
    second) = sigmoid(coef . diff) with no intercept (the same objective as scikit-learn's
    LogisticRegression on the mirrored pairs, which has no bounds). scipy's L-BFGS-B keeps the
    signal coefficients at or above 0: unconstrained, the fit gave the lexical z-score on
    title-like jobs a negative weight (it paid off in-sample against the correlated raw and
    rank forms), which inverts the lexical signal on a pool whose top is tight.
    Deterministic: a fixed start (0) and a convex objective.
    """
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        m = x @ beta
        value = -float(w @ log_expit(m)) + 0.5 / c * float(beta @ beta)
        grad = -(x.T @ (w * expit(-m))) + beta / c
        return value, grad

    bounds = [(None if np.isinf(lo) else float(lo), None) for lo in lower]
    res = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 5000, "gtol": 1e-8})
    return res.x


def calibrate(views: list[View], model: FusionModel) -> dict[str, list[float]]:
    """The display score's curve: P(relevant | fusion score), one logistic curve per job kind.

    Fitted pointwise on the same pools the pairs come from (each query's union of the dense
    and lexical top 100), each query weighing the same and each set the same, so "0.7"
    means: on these public sets, about 7 in 10 candidates the fusion scored like this one
    were relevant. A monotone map: it never changes an order.
    """
    from sklearn.linear_model import LogisticRegression

    per_set: dict[str, int] = {}
    for v in views:
        per_set[v.set_name] = per_set.get(v.set_name, 0) + 1
    rows: dict[str, tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]] = {"short": ([], [], []), "long": ([], [], [])}
    for v in views:
        doc_index = {d: i for i, d in enumerate(v.data.doc_ids)}
        n_q = len(v.data.query_ids)
        for qi, qid in enumerate(v.data.query_ids):
            rel = {doc_index[d] for d, r in v.data.qrels.get(qid, {}).items() if r > 0 and d in doc_index}
            if not rel:
                continue
            pool: set[int] = set()
            for s in ("dense", "lexical"):
                row = v.signals[s][qi]
                pool.update(np.argpartition(-row, min(CANDIDATES, len(row) - 1))[:CANDIDATES].tolist())
            idx = np.asarray(sorted(pool))
            total, _ = fused_scores(model, _row(v, qi), covered=v.covered,
                                    query_words=v.query_words[qi], doc_words=v.doc_words)
            kind = "short" if v.query_words[qi] <= SHORT_QUERY_WORDS else "long"
            xs, ys, ws = rows[kind]
            xs.append(total[idx])
            ys.append(np.isin(idx, list(rel)).astype(np.float64))
            ws.append(np.full(len(idx), 1.0 / (len(idx) * n_q * per_set[v.set_name])))
    out: dict[str, list[float]] = {}
    for kind, (xs, ys, ws) in rows.items():
        if not xs:
            continue
        x, y, w = np.concatenate(xs)[:, None], np.concatenate(ys), np.concatenate(ws)
        lr = LogisticRegression(C=1e4, max_iter=1000).fit(x, y, sample_weight=w / w.mean())
        out[kind] = [round(float(lr.coef_[0][0]), 6), round(float(lr.intercept_[0]), 6)]
    return out


def _score(view: View, model: FusionModel) -> dict[str, float]:
    scores = fused_matrix(model, view.signals, covered=view.covered, query_words=view.query_words, doc_words=view.doc_words)
    return evaluate(view.data, scores, METRICS)


def _product_view(views: list[View]) -> View:
    return views[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--melo", action="append", default=[], help="folder holding MELO sets (data/processed/melo of Avature/melo-benchmark)")
    ap.add_argument("--train", default=",".join(TRAIN_SETS))
    ap.add_argument("--dev", default=",".join(DEV_SETS))
    ap.add_argument("--max-queries", type=int, default=MAX_QUERIES)
    ap.add_argument("--max-docs", type=int, default=MAX_DOCS, help="corpus cut per set (judged documents + evenly spaced others); 0 = full")
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "sourcing-fusion"))
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "data" / "fusion.json"))
    ap.add_argument("--report", default=None, help="write the leave-one-out table as JSON here")
    ap.add_argument("--no-write", action="store_true", help="measure only; do not write the model file")
    ap.add_argument("--no-lodo", action="store_true", help="skip the leave-one-dataset-out table (fit and write the model only)")
    ap.add_argument("--no-words", action="store_true", help="leave the word BM25 signal out of the fusion (ablation)")
    ap.add_argument("--c", type=float, default=0.1, help="inverse regularisation strength of the logistic regression")
    args = ap.parse_args(argv)

    from ranking.encoders import build_encoder
    from sourcing.storage import Store

    cache_dir = Path(args.cache)
    cache_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(str(cache_dir / "embeddings.db"))
    encoders = {"default": build_encoder("default", device="cpu"), "muse": build_encoder("muse")}
    melo_dirs = [Path(m) for m in args.melo]
    train = [s for s in args.train.split(",") if s]
    dev = [s for s in args.dev.split(",") if s]
    views: dict[str, list[View]] = {}
    for name in train + dev:
        t0 = time.perf_counter()
        try:
            data = reduce_corpus(subsample(load_set(name, melo_dirs=melo_dirs), args.max_queries), args.max_docs)
        except FileNotFoundError as exc:
            print(f"skip {name}: {exc}", file=sys.stderr)
            continue
        print(f"{name}: {len(data.query_ids)} queries x {len(data.doc_ids)} docs", flush=True)
        views[name] = _views(name, data, encoders, store, cache_dir)
        if args.no_words:
            views[name] = [without_words(v) for v in views[name]]
        print(f"  ready in {time.perf_counter() - t0:.0f} s", flush=True)
    store.close()
    train = [s for s in train if s in views]
    dev = [s for s in dev if s in views]

    report: dict[str, dict[str, dict[str, float]]] = {}
    print(f"\nleave-one-dataset-out (model fitted on the other training sets), {' / '.join(METRICS)}:")
    header = ["set", "tfidf", "bm25", "dense", "weighted", "fusion", "fusion - best single"]
    print(" | ".join(header))
    for name in [] if args.no_lodo else train + dev:
        others = [v for s in train if s != name for v in views[s]]
        if not others:
            print(f"{name} | no other training set to fit on")
            continue
        model = fit(others, c=args.c)
        v = _product_view(views[name])
        row = {k: v.baselines[k] for k in ("tfidf", "bm25", f"dense[{v.encoder}]", "weighted")}
        row["fusion"] = _score(v, model)
        report[name] = row
        best = max((vals["map"], k) for k, vals in row.items() if k not in ("fusion", "weighted"))
        cells = [f"{vals['map']:.3f}/{vals['ndcg@10']:.3f}" for vals in row.values()]
        print(f"{name} | " + " | ".join(cells) + f" | MAP {row['fusion']['map'] - best[0]:+.3f} vs {best[1]}", flush=True)

    final = fit([v for s in train for v in views[s]], c=args.c)
    final.calibration = calibrate([v for s in train for v in views[s]], final)
    final.meta = {
        "trained_on": train, "dev_sets_not_trained_on": dev, "max_queries_per_set": args.max_queries,
        "max_docs_per_set": args.max_docs, "seed": SEED,
        "learner": f"L2 logistic regression (C={args.c}, no intercept, scipy L-BFGS-B) on standardised pairwise feature differences, signal coefficients >= 0",
        "sources": "MELO (Avature/melo-benchmark, MIT); resumes_by_category.csv + O*NET 29.2 (CC BY 4.0); hand-written French ads",
    }
    print("\nshipped model on the dev sets (never trained on):")
    for name in dev:
        vals = _score(_product_view(views[name]), final)
        print(f"  {name}: MAP {vals['map']:.4f} nDCG@10 {vals['ndcg@10']:.4f}")
        report.setdefault(name, {})["shipped"] = vals
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=1))
    if not args.no_write:
        Path(args.out).write_text(final.to_json() + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
