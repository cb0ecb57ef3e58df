"""Provides the hybrid score: a weighted sum of dense, lexical, skills and constraint signals.

Signals, each in [0, 1] (or a cosine):
- `dense`: best cosine between the job text and the candidate's profile chunks;
- `title`: cosine between the job title and the titles the candidate held;
- `lexical`: cosine of character n-gram TF-IDF vectors (scikit-learn);
- `skills`: share of requirements met (must-haves count double);
- `constraints`: location/remote and spoken-language fit.

A candidate's score is `sum(weight * signal)`, and each term is reported as that
component's contribution. Defaults were chosen on the development benchmarks
(benchmarks/ranking_quality.py); `[ranking] weights` in the config overrides any of them.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ranking.lexical import tfidf_cosine

# Chosen on the development sets (benchmarks/ranking_quality.py, see docs/ranking.md).
# Relative to `dense`, the lexical signal is worth 0.05 next to MiniLM (English) but 0.5
# next to the multilingual encoder, whose dense scores are weaker on their own; skills
# overlap helped a little on job -> résumé and hurt on short titles above ~0.1.
WEIGHTS_BY_LANG: dict[str, dict[str, float]] = {
    "en": {"dense": 0.60, "title": 0.15, "lexical": 0.03, "skills": 0.03, "constraints": 0.05},
    "multi": {"dense": 0.50, "title": 0.15, "lexical": 0.25, "skills": 0.025, "constraints": 0.05},
    # French job, English pool: n-grams of a word-by-word gloss are a weak signal next to
    # the bridged dense one (0.25 lost ~0.015 nDCG@10 against 0.1 on fra_q_fr_c_en).
    "cross": {"dense": 0.50, "title": 0.15, "lexical": 0.10, "skills": 0.025, "constraints": 0.05},
}
DEFAULT_WEIGHTS: dict[str, float] = WEIGHTS_BY_LANG["en"]


def resolve_weights(config: Any = None, override: Mapping[str, float] | None = None, *, lang: str = "en") -> dict[str, float]:
    """Default weights for the encoder's language, updated from `[ranking] weights`, then `override`.

    Args:
        config: settings (or None).
        override: weights for this call.
        lang: "en" (English model), "cross" (French job, English pool) or anything else
            (multilingual model).

    Raises:
        ConfigError: a weight names no signal or is not a non-negative number.
    """
    from sourcing.errors import ConfigError

    weights = dict(WEIGHTS_BY_LANG.get(lang, WEIGHTS_BY_LANG["multi"]))
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


def lexical_signal(queries: Sequence[str], docs: Sequence[str], *, folded: bool = False) -> np.ndarray:
    """Lexical signal of each doc for each query: cosine of character n-gram TF-IDF vectors.

    TF-IDF on character n-grams was kept over word BM25 for the hybrid: on the development
    sets BM25 added nothing on top of the dense signal and hurt on short titles, while
    n-grams catch shared spellings (plural/gender endings, "développeur/développeuse").
    (Word BM25 now enters the learned fusion as a second lexical view, `words`.)
    `folded`: the docs are already `fold`ed.
    """
    return tfidf_cosine(queries, docs, folded=folded)
