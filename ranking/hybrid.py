"""Provides the hybrid score: a weighted sum of dense, lexical, skills and constraint signals.

Signals, each in [0, 1] (or a cosine):
- `dense`: best cosine between the job text and the candidate's profile chunks;
- `title`: cosine between the job title and the titles the candidate held;
- `lexical`: BM25 (scaled by the pool's best) averaged with char-n-gram TF-IDF cosine;
- `skills`: share of requirements met (must-haves count double);
- `constraints`: location/remote and spoken-language fit.

A candidate's score is `sum(weight * signal)`, and each term is reported as that
component's contribution. Defaults were chosen on the development benchmarks
(benchmarks/ranking_quality.py); `[ranking] weights` in the config overrides any of them.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ranking.lexical import BM25, TfidfScorer, normalise_rows

DEFAULT_WEIGHTS: dict[str, float] = {
    "dense": 0.45,
    "title": 0.15,
    "lexical": 0.15,
    "skills": 0.20,
    "constraints": 0.05,
}


def resolve_weights(config: Any = None, override: Mapping[str, float] | None = None) -> dict[str, float]:
    """Default weights, updated from `[ranking] weights` and then `override`.

    Raises:
        ConfigError: a weight names no signal or is not a non-negative number.
    """
    from sourcing.errors import ConfigError

    weights = dict(DEFAULT_WEIGHTS)
    sources: list[tuple[str, Mapping[str, Any]]] = []
    if config is not None:
        sources.append(("[ranking] weights", config.get("ranking.weights") or {}))
    if override:
        sources.append(("weights", override))
    for where, table in sources:
        for key, value in table.items():
            if key not in DEFAULT_WEIGHTS:
                raise ConfigError(f"{where}: unknown signal {key!r}; known: {', '.join(DEFAULT_WEIGHTS)}", "Invalid config")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{where}: {key} must be a non-negative number, got {value!r}", "Invalid config")
            weights[key] = float(value)
    return weights


def combine(signals: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Weighted sum of the signals present; returns (scores, contribution of each signal)."""
    contributions: dict[str, np.ndarray] = {}
    total: np.ndarray | None = None
    for name, values in signals.items():
        w = float(weights.get(name, 0.0))
        contrib = w * np.asarray(values, dtype=np.float32)
        contributions[name] = contrib
        total = contrib if total is None else total + contrib
    if total is None:
        raise ValueError("no signals to combine")
    return total, contributions


def lexical_signal(queries: Sequence[str], docs: Sequence[str]) -> np.ndarray:
    """Lexical signal of each doc for each query: mean of max-scaled BM25 and TF-IDF cosine."""
    if not docs:
        return np.zeros((len(queries), 0), dtype=np.float32)
    out = np.zeros((len(queries), len(docs)), dtype=np.float32)
    for scorer, scale in ((BM25(), True), (TfidfScorer(), False)):
        try:
            scores = scorer.fit(docs).score(queries)
        except ValueError:  # every doc is empty or stop words only: no lexical evidence
            continue
        out += normalise_rows(scores) if scale else scores
    return out / 2.0
