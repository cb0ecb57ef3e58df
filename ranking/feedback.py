"""Provides learning from the recruiter's decisions: Rocchio relevance feedback on both signals.

After a few decisions on a job, the job's query is moved toward the people shortlisted
and away from the people rejected (Rocchio, 1971; alpha=1, beta=0.75, gamma=0.15, the
textbook values — nothing here was tuned on an evaluation set):

    q' = alpha * q + beta * mean(shortlisted) - gamma * mean(rejected)

in the encoder's space (dense signal; a person's vector is the normalised mean of their
text chunks) and in the TF-IDF space (lexical signal; computed exactly from cosines, so no
vocabulary is needed). The moved signals go through the same fusion as the first ranking,
so a dense signal the fusion distrusts (an uncovered language) stays distrusted.
The explanation says what moved a person ("moved up 4 places: close to 2 people you
shortlisted").

Decisions are the store's own (`store.get_decisions`), which `forget` erases with the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

ALPHA, BETA, GAMMA = 1.0, 0.75, 0.15
POSITIVE = frozenset({"shortlisted", "contacted"})
NEGATIVE = frozenset({"rejected"})
CLOSE = 0.6  # cosine between two people's vectors above which the explanation calls them close


@dataclass
class Feedback:
    """Indices (into the pool) of the people shortlisted and rejected for a job."""

    positive: list[int] = field(default_factory=list)
    negative: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.positive or self.negative)


def feedback_from_decisions(decisions: dict[int, dict], candidate_ids: Sequence[int]) -> Feedback:
    """The store's decisions for a job, as pool indices (people not in the pool are ignored)."""
    index = {cid: i for i, cid in enumerate(candidate_ids)}
    fb = Feedback()
    for cid, d in sorted(decisions.items()):
        i = index.get(cid)
        if i is None:
            continue
        if d.get("status") in POSITIVE:
            fb.positive.append(i)
        elif d.get("status") in NEGATIVE:
            fb.negative.append(i)
    return fb


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def person_vectors(chunk_vectors: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """One unit vector per person: the normalised mean of their chunks' vectors."""
    out = np.zeros((n, chunk_vectors.shape[1]), dtype=np.float64)
    np.add.at(out, owner, chunk_vectors.astype(np.float64))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def moved_query(query: np.ndarray, people: np.ndarray, fb: Feedback) -> np.ndarray:
    """Rocchio's query vector (unit length) in the encoder's space."""
    q = ALPHA * np.asarray(query, dtype=np.float64)
    if fb.positive:
        q = q + BETA * people[fb.positive].astype(np.float64).mean(axis=0)
    if fb.negative:
        q = q - GAMMA * people[fb.negative].astype(np.float64).mean(axis=0)
    return _unit(q).astype(np.float32)


def moved_lexical(lexical: np.ndarray, doc_sims: np.ndarray, fb: Feedback) -> np.ndarray:
    """Cosine of Rocchio's TF-IDF query with every document, from cosines alone.

    Args:
        lexical: cosine of the job's TF-IDF vector with every document (n,).
        doc_sims: cosine of each decided person's TF-IDF vector with every document,
            rows in `fb.positive + fb.negative` order (k, n).
        fb: the decisions.
    """
    k_pos = len(fb.positive)
    pos_rows, neg_rows = doc_sims[:k_pos], doc_sims[k_pos:]
    b = BETA / k_pos if k_pos else 0.0
    g = GAMMA / len(fb.negative) if fb.negative else 0.0
    num = ALPHA * lexical + b * pos_rows.sum(axis=0) - g * neg_rows.sum(axis=0)
    # |q'|^2 from the cosines between the job and the decided people, and among them.
    idx = fb.positive + fb.negative
    coef = np.r_[np.full(k_pos, b), np.full(len(fb.negative), -g)]
    among = doc_sims[:, idx]  # (k, k): cosines among the decided people
    q_to = lexical[idx]
    norm2 = ALPHA ** 2 + 2 * ALPHA * float(coef @ q_to) + float(coef @ among @ coef)
    return (num / np.sqrt(max(norm2, 1e-12))).astype(np.float32)


def closeness(people: np.ndarray, fb: Feedback) -> tuple[np.ndarray, np.ndarray]:
    """How many shortlisted and how many rejected people each person is close to (cosine >= CLOSE)."""
    n = len(people)
    near_pos = np.zeros(n, dtype=np.int64)
    near_neg = np.zeros(n, dtype=np.int64)
    if fb.positive:
        near_pos = (people @ people[fb.positive].T >= CLOSE).sum(axis=1)
    if fb.negative:
        near_neg = (people @ people[fb.negative].T >= CLOSE).sum(axis=1)
    return near_pos, near_neg


def describe(rank_before: int, rank_after: int, near_pos: int, near_neg: int) -> str:
    """The explanation's sentence for one person ("" when feedback did not move them)."""
    moved = rank_before - rank_after
    if moved > 0:
        why = f": close to {near_pos} {'person' if near_pos == 1 else 'people'} you shortlisted" if near_pos else ""
        return f"moved up {moved} place{'s' if moved != 1 else ''}{why}"
    if moved < 0:
        why = f": close to {near_neg} {'person' if near_neg == 1 else 'people'} you rejected" if near_neg else ""
        return f"moved down {-moved} place{'s' if moved != -1 else ''}{why}"
    return ""


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each score (best first, ties by position)."""
    order = np.lexsort((np.arange(len(scores)), -np.asarray(scores, dtype=np.float64)))
    out = np.empty(len(scores), dtype=np.int64)
    out[order] = np.arange(1, len(scores) + 1)
    return out


def job_feedback(store: object, job_id: int, config: object, candidate_ids: Sequence[int], wanted: bool) -> Feedback | None:
    """The decisions to learn from when ranking a job, or None (not asked, turned off, or none taken)."""
    if not wanted:
        return None
    try:
        allowed = config.get("ranking.feedback") if config is not None else True  # type: ignore[attr-defined]
    except (KeyError, AttributeError):
        allowed = True
    if not allowed:
        return None
    return feedback_from_decisions(store.get_decisions(job_id), candidate_ids) or None  # type: ignore[attr-defined]


def annotate(explanation: dict, *, learned: bool, fb: Feedback | None, note: str, fusion_score: float | None = None) -> None:
    """Say in an explanation which fusion scored it, its fusion score (what the components add up to) and what the decisions did."""
    explanation["fusion"] = "learned" if learned else "weights"
    if fusion_score is not None:
        explanation["fusion_score"] = round(fusion_score, 4)
    if fb:
        explanation["feedback"] = {"shortlisted": len(fb.positive), "rejected": len(fb.negative), "note": note}
        if note:
            explanation["headline"] = f"{explanation['headline']}; {note}" if explanation.get("headline") else note
