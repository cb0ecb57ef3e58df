"""Provides human oversight of the ranking (AI Act Art. 14) and the ranking-run log (Art. 12/26).

- `[ranking] enabled = false` (or the review app's key) turns automated ordering
  off: lists are then in a neutral order — random per job, the same every time —
  and show the must-have checklist only, never a score (`neutral_key`, `ordered`).
- Every ranking run is logged from the one place a ranking is saved
  (`ranking.service.rank_job` calls `record_ranking_run`): when, who, job, model and
  its version, fusion parameters' version, pool size, retrieved K, blind or not, the
  ordering, and the top list it showed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sourcing.models import utcnow
from sourcing.storage import runlog

AUTOMATION_NOTE = ("The score orders, you decide: it is an estimate from the text of a profile, "
                   "not a judgement of the person. Look past the top 10.")
DEFAULT_TOP = 30


def ranking_enabled(config: Any) -> bool:
    """The oversight switch (`ranking.enabled`); True when no config is given."""
    if config is None:
        return True
    try:
        return bool(config.get("ranking.enabled"))
    except KeyError:
        return True


def neutral_key(job_id: int, candidate_id: int) -> str:
    """Sort key of the neutral order: a hash of (job, person) — random-looking per job, stable."""
    return hashlib.sha256(f"neutral:{job_id}:{candidate_id}".encode()).hexdigest()


def neutral_order(job_id: int, candidate_ids: list[int]) -> list[int]:
    """`candidate_ids` in the job's neutral order."""
    return sorted(candidate_ids, key=lambda c: neutral_key(job_id, c))


def ordered(job_id: int, items: list[Any], *, enabled: bool, key: Any = None) -> list[Any]:
    """`items` (best first) unchanged when ranking is enabled, else in the job's neutral order.

    `key(item)` gives the candidate id (default: `item["candidate_id"]` or `.candidate_id`).
    """
    if enabled:
        return items

    def cid(item: Any) -> int:
        if key is not None:
            return key(item)
        return item["candidate_id"] if isinstance(item, dict) else item.candidate_id

    return sorted(items, key=lambda it: neutral_key(job_id, cid(it)))


def fusion_version(weights: dict[str, float] | None) -> str:
    """A short, stable fingerprint of the fusion parameters (the signal weights)."""
    blob = json.dumps({k: round(float(v), 6) for k, v in sorted((weights or {}).items())}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def model_version(encoder: Any) -> str:
    """The encoder's version: its own `version`, else a fingerprint of its model folder's files
    (names and sizes: it changes when the weights change), else its name."""
    own = getattr(encoder, "version", None)
    if own:
        return str(own)
    path = getattr(encoder, "path", None)
    if path and Path(path).is_dir():
        h = hashlib.sha256()
        for f in sorted(Path(path).rglob("*")):
            if f.is_file():
                h.update(f"{f.relative_to(path)}:{f.stat().st_size}\n".encode())
        return f"{encoder.name}@{h.hexdigest()[:12]}"
    return str(getattr(encoder, "name", encoder))


def _top_n(config: Any) -> int:
    try:
        n = int(config.get("ranking.top")) if config is not None else DEFAULT_TOP
    except (KeyError, TypeError, ValueError):
        n = DEFAULT_TOP
    return max(n, 1)


def _actor(config: Any) -> str:
    if config is not None and hasattr(config, "actor"):
        return config.actor
    return os.environ.get("USER", "unknown")


def record_ranking_run(store: Any, config: Any, *, job_id: int, encoder: Any, weights: dict[str, float] | None,
                       pool_size: int, retrieved_k: int, blind: bool, results: list[Any]) -> int:
    """Log one ranking run with the top list a recruiter is shown; return the run id.

    Args:
        results: the saved ranking, best first (RankedCandidate-like: candidate_id, score).
        pool_size: people considered; retrieved_k: people scored by the final stage.
    """
    enabled = ranking_enabled(config)
    shown = ordered(job_id, list(results), enabled=enabled)[: _top_n(config)]
    return runlog.log_run(
        store, at=utcnow(), actor=_actor(config), job_id=job_id, model=str(getattr(encoder, "name", encoder)),
        model_version=model_version(encoder), fusion_version=fusion_version(weights),
        params={"weights": {k: float(v) for k, v in (weights or {}).items()}}, pool_size=pool_size,
        retrieved_k=retrieved_k, blind=bool(blind), ordering="score" if enabled else "neutral",
        shown=[(r.candidate_id, float(r.score) if enabled else None) for r in shown],
    )
