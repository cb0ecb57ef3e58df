"""Provides the learned fusion: per-(job, candidate) features and the fitted linear model.

One job's pool is scored at once. For every signal (dense, lexical, skills) the features
are its raw value and two forms normalised within the pool, each anchored at the top
of the pool so they read the same whether the pool holds the retrieved 2,000 or the
whole corpus (a gap to the pool's best value would add nothing: in a pairwise model it is
the raw value again):

- `z`: z-score against the pool's 50 best values;
- `rank`: 1 / log2(2 + rank), the DCG discount of the candidate's rank under that signal.

The dense features exist four times: for candidates whose language the encoder covers
(job and candidate, see `ranking.languages`) or not, each weighed by how far the dense and
lexical top lists of the pool agree (`agreement`) and by how far they do not, so the model
learns how much a dense score is worth when the encoder cannot read the text — from the
model card's language list and from the pool itself. Every feature is
also split by the job text's kind (title-like, at most 8 words, or a longer description),
since what works on titles differs from what works on job ads. The candidate's text length
(log words) is the last feature.

The model is a logistic regression fitted on pairwise differences (a relevant and a
non-relevant candidate of the same job) by `python -m ranking.tools.train_fusion`, shipped
as `ranking/data/fusion.json`. Its score is a sum of coefficient x feature, so each
signal's contribution is the sum over its features: the explanation shows them.
Title similarity and constraint fit have no public labelled data; they enter with fixed
weights in the model's units (stored in the same file).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import numpy as np

LEARNED_SIGNALS = ("dense", "lexical", "skills")
WORD_SIGNAL = "words"  # word-level BM25 over the pool (`ranking.lexical.bm25_pool`): a second lexical view
FUSED_SIGNALS = (*LEARNED_SIGNALS, WORD_SIGNAL)  # what a fusion model reads; "words" may be absent
FORMS = ("raw", "z", "rank")
SKILL_FORMS = ("raw",)
WORD_FORMS = ("z", "rank")  # BM25's raw scale grows with the query's length: only its pool-normalised forms
SHORT_QUERY_WORDS = 8
TOP_FOR_Z = 50


DENSE_REGIMES = ("covered|agree", "covered|disagree", "uncovered|agree", "uncovered|disagree")


def feature_names() -> list[str]:
    """Names of the features, in column order ("dense.rank|covered|agree|short", …)."""
    names: list[str] = []
    for kind in ("short", "long"):
        for regime in DENSE_REGIMES:
            names += [f"dense.{f}|{regime}|{kind}" for f in FORMS]
        names += [f"lexical.{f}|{kind}" for f in FORMS]
        names += [f"{WORD_SIGNAL}.{f}|{kind}" for f in WORD_FORMS]
        names += [f"skills.{f}|{kind}" for f in SKILL_FORMS]
        names.append(f"length.raw|{kind}")
    return names


FEATURES = feature_names()


def signal_of(feature: str) -> str:
    """The signal a feature belongs to ("dense.gap|covered|long" -> "dense")."""
    return feature.split(".", 1)[0]


def normalised_forms(values: np.ndarray) -> dict[str, np.ndarray]:
    """raw / gap / z / rank of one signal over a pool (see the module docstring; gap is not a model feature)."""
    x = np.asarray(values, dtype=np.float64)
    n = len(x)
    if n == 0:
        return {f: x.copy() for f in FORMS}
    k = min(TOP_FOR_Z, n)
    top = np.partition(x, n - k)[n - k:] if k < n else x
    mean, std = float(top.mean()), float(top.std())
    order = np.argsort(-x, kind="stable")
    rank = np.empty(n, dtype=np.float64)
    rank[order] = np.arange(n, dtype=np.float64)
    # Ties share the best rank of their group, so equal scores get equal features.
    sorted_vals = x[order]
    first = np.r_[0, np.flatnonzero(np.diff(sorted_vals) != 0) + 1]
    group_start = np.repeat(first, np.diff(np.r_[first, n]))
    rank[order] = group_start
    return {
        "raw": x,
        "gap": x - float(x.max()),
        "z": (x - mean) / (std + 1e-3),
        "rank": 1.0 / np.log2(2.0 + rank),
    }


def agreement(dense: np.ndarray, lexical: np.ndarray) -> float:
    """Share of the dense signal's top k that is also in the lexical signal's top k (k = pool/10, 1..50).

    An encoder that cannot read a language ranks its texts almost at random, so its top list
    shares little with the lexical one; on text it reads the two agree far more. Measured on
    the pool itself, with no label.
    """
    n = len(dense)
    if n == 0:
        return 1.0
    k = max(1, min(TOP_FOR_Z, n // 10))
    if k >= n:
        return 1.0
    top_d = set(np.argpartition(-np.asarray(dense), k - 1)[:k].tolist())
    top_l = set(np.argpartition(-np.asarray(lexical), k - 1)[:k].tolist())
    return len(top_d & top_l) / k


def pool_features(signals: Mapping[str, np.ndarray], *, covered: np.ndarray | bool, query_words: int,
                  doc_words: np.ndarray) -> np.ndarray:
    """The (pool size x len(FEATURES)) feature matrix of one job's pool.

    Args:
        signals: "dense", "lexical" and "skills" values of every candidate (same length), and
            "words" (word BM25); a pool without "words" gets 0 in its features.
        covered: whether the encoder covers the job's and each candidate's language
            (one bool for all, or one per candidate).
        query_words: words in the job text (title-like when at most SHORT_QUERY_WORDS).
        doc_words: words in each candidate's text.
    """
    n = len(next(iter(signals.values())))
    cov = np.broadcast_to(np.asarray(covered, dtype=np.float64), (n,))
    short = 1.0 if query_words <= SHORT_QUERY_WORDS else 0.0
    forms = {s: normalised_forms(signals[s]) for s in LEARNED_SIGNALS}
    words = signals.get(WORD_SIGNAL)
    forms[WORD_SIGNAL] = normalised_forms(words) if words is not None else {f: np.zeros(n) for f in WORD_FORMS}
    length = np.log1p(np.asarray(doc_words, dtype=np.float64))
    agree = agreement(signals["dense"], signals["lexical"])
    regimes = (cov * agree, cov * (1.0 - agree), (1.0 - cov) * agree, (1.0 - cov) * (1.0 - agree))
    cols: list[np.ndarray] = []
    for kind_on in (short, 1.0 - short):
        for regime_on in regimes:
            cols += [forms["dense"][f] * regime_on * kind_on for f in FORMS]
        cols += [forms["lexical"][f] * kind_on for f in FORMS]
        cols += [forms[WORD_SIGNAL][f] * kind_on for f in WORD_FORMS]
        cols += [forms["skills"][f] * kind_on for f in SKILL_FORMS]
        cols.append(length * kind_on)
    return np.column_stack(cols) if cols else np.zeros((n, 0))


@dataclass
class FusionModel:
    """A fitted linear fusion: one coefficient per feature, fixed weights for unlabelled signals."""

    coef: dict[str, float]
    fixed: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, list[float]] = field(default_factory=dict)  # job kind -> [slope, intercept]

    def display(self, total: np.ndarray, query_words: int) -> np.ndarray:
        """The 0–1 score users see: P(relevant | fusion score) on the public training sets.

        A logistic curve fitted per job kind (title-like or longer) by
        `ranking.tools.train_fusion.calibrate`; monotone, so it never changes an order.
        A file without a curve gives the plain logistic of the fusion score.
        """
        slope, intercept = self.calibration.get("short" if query_words <= SHORT_QUERY_WORDS else "long", (1.0, 0.0))
        return 1.0 / (1.0 + np.exp(-(slope * np.asarray(total, dtype=np.float64) + intercept)))

    def weights(self) -> np.ndarray:
        """Coefficients in FEATURES order (0 for a feature the file does not name)."""
        return np.asarray([self.coef.get(f, 0.0) for f in FEATURES], dtype=np.float64)

    def score(self, features: np.ndarray, extra: Mapping[str, np.ndarray] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Scores of a pool and each signal's contribution (they add up to the score).

        Args:
            features: `pool_features(...)`.
            extra: signals with fixed weights (e.g. "title", "constraints"), raw values.
        """
        w = self.weights()
        contrib_cols = features * w
        out: dict[str, np.ndarray] = {}
        for j, name in enumerate(FEATURES):
            sig = signal_of(name)
            out[sig] = out.get(sig, 0.0) + contrib_cols[:, j]
        for name, values in (extra or {}).items():
            if name in self.fixed:
                out[name] = self.fixed[name] * np.asarray(values, dtype=np.float64)
        n = features.shape[0]
        total = np.zeros(n, dtype=np.float64)
        for v in out.values():
            total = total + v
        return total, {k: np.asarray(v, dtype=np.float64) for k, v in out.items()}

    def to_json(self) -> str:
        """The file `ranking/data/fusion.json` holds."""
        return json.dumps({"features": FEATURES, "coef": self.coef, "fixed": self.fixed, "meta": self.meta,
                           "calibration": self.calibration}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, *, where: str = "fusion file") -> "FusionModel":
        """Read a model file; raises ValueError naming what is wrong."""
        raw = json.loads(text)
        coef = raw.get("coef")
        if not isinstance(coef, dict) or not coef:
            raise ValueError(f"{where}: no 'coef' table")
        unknown = sorted(set(coef) - set(FEATURES))
        if unknown:
            raise ValueError(f"{where}: unknown features {unknown[:3]} (file from another version?)")
        calibration = raw.get("calibration") or {}
        if not isinstance(calibration, dict) or any(k not in ("short", "long") or len(v) != 2 for k, v in calibration.items()):
            raise ValueError(f"{where}: 'calibration' must map short/long to [slope, intercept]")
        return cls({k: float(v) for k, v in coef.items()}, {k: float(v) for k, v in (raw.get("fixed") or {}).items()},
                   raw.get("meta") or {}, {k: [float(a), float(b)] for k, (a, b) in calibration.items()})


_LOCK = threading.Lock()
_DEFAULT: FusionModel | None = None


def default_model() -> FusionModel:
    """The packaged model (`ranking/data/fusion.json`), read once per process."""
    global _DEFAULT
    with _LOCK:
        if _DEFAULT is None:
            text = (resources.files("ranking") / "data" / "fusion.json").read_text(encoding="utf-8")
            _DEFAULT = FusionModel.from_json(text, where="ranking/data/fusion.json")
        return _DEFAULT


def load_model(path: str | Path | None = None) -> FusionModel:
    """A model file (`[ranking] fusion_model`), or the packaged one when `path` is empty.

    Raises:
        ConfigError: the file is missing or not a fusion model.
    """
    if not path:
        return default_model()
    from sourcing.errors import ConfigError

    p = Path(path).expanduser()
    try:
        return FusionModel.from_json(p.read_text(encoding="utf-8"), where=str(p))
    except OSError as exc:
        raise ConfigError(f"[ranking] fusion_model {p}: {exc.strerror}", "Invalid config") from exc
    except (ValueError, json.JSONDecodeError) as exc:
        raise ConfigError(f"[ranking] fusion_model {p}: {exc}", "Invalid config") from exc


def fused_scores(model: FusionModel, signals: Mapping[str, np.ndarray], *, covered: np.ndarray | bool, query_words: int,
                 doc_words: np.ndarray, extra: Mapping[str, np.ndarray] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One job's pool scored by the fusion: (scores, contribution of each signal).

    This is the function the re-rank stage calls; it needs nothing but the signals.
    """
    feats = pool_features(signals, covered=covered, query_words=query_words, doc_words=doc_words)
    return model.score(feats, extra)


def fused_matrix(model: FusionModel, signals: Mapping[str, np.ndarray], *, covered: np.ndarray | bool,
                 query_words: list[int], doc_words: np.ndarray) -> np.ndarray:
    """(queries x docs) fused scores of an evaluation set: each query's row is one pool."""
    n_q = len(query_words)
    out = np.zeros((n_q, len(doc_words)), dtype=np.float32)
    for i in range(n_q):
        total, _ = fused_scores(model, {s: signals[s][i] for s in FUSED_SIGNALS if s in signals}, covered=covered,
                                query_words=query_words[i], doc_words=doc_words)
        out[i] = total
    return out


def fuse_pool(spec: Any, prepared: Any, signals: dict[str, np.ndarray], english: np.ndarray | None,
          encoder_name: str, query: str, weights: dict[str, float] | None, fusion: Any) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """The hybrid score of a ranked pool (`ranking.service`): the learned fusion, or the weighted sum of `weights`.

    Returns (score shown, contributions, order key). With the learned fusion the score shown
    is its 0–1 display score (`FusionModel.display`), the contributions are in fusion units
    and add up to the order key (the fusion score), which orders the pool without the ties
    a rounded probability would make in its tail. With the weighted sum all three agree.

    Coverage is per candidate: the encoder must know the job's language (English for the
    profiles a French job meets through its English gloss) and the candidate's.
    """
    if fusion is None:
        from ranking.hybrid import combine

        total, parts = combine(signals, weights or {})
        return total, parts, total
    from ranking.languages import covers

    job_cov = covers(encoder_name, spec.lang)
    covered = np.asarray([(True if english is not None and english[i] else job_cov) and covers(encoder_name, c.lang)
                          for i, c in enumerate(prepared.cands)], dtype=bool)
    if english is not None:
        covered = np.where(english, covers(encoder_name, "en"), covered)
    total, contributions = fused_scores(
        fusion, {s: signals[s] for s in FUSED_SIGNALS if s in signals}, covered=covered, query_words=len(query.split()),
        doc_words=np.asarray([len(t.split()) for t in prepared.full_texts]),
        extra={"title": signals["title"], "constraints": signals["constraints"]},
    )
    display = fusion.display(total, len(query.split()))
    return display.astype(np.float32), {k: v.astype(np.float32) for k, v in contributions.items()}, total


def resolve_fusion(config: Any, weights: dict[str, float] | None) -> Any:
    """The learned fusion to rank with, or None for the hand-weighted sum.

    `[ranking] fusion`: "learned" (default: the packaged model), "weights" (the hand
    weights), or the path of a model file written by `ranking.tools.train_fusion`.
    Explicit weights (`[ranking] weights` or the `weights` argument) also mean the weighted sum.
    """
    choice = str(_config(config, "ranking.fusion", "learned") or "learned")
    if weights or _config(config, "ranking.weights", {}) or choice == "weights":
        return None
    return load_model(None if choice == "learned" else choice)


def _config(config: Any, key: str, default: Any) -> Any:
    try:
        return config.get(key) if config is not None else default
    except (KeyError, AttributeError):
        return default
