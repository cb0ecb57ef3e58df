"""Provides the candidate side computed once per change: derived features stored in the store.

`refresh_features(store, blind=…)` builds the `CandidateText`, the prepared chunks,
title and full text of every candidate whose profiles changed since they were last
derived (SQL triggers drop a changed candidate's row, see `sourcing.storage.rank_index`)
and stores them with the plain full text in the FTS5 lexical index. A `rank` process
then reads the rows of the candidates it re-ranks only — never the whole pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ranking.blind import masker_for
from ranking.profile_text import CandidateText, Evidence, build_candidate_text
from ranking.text import prepare_text, text_hash
from sourcing.storage import rank_index

BATCH = 2000


@dataclass
class Derived:
    """One candidate's texts as the ranker compares them (what `prepare_pool` used to rebuild)."""

    cand: CandidateText
    chunks: list[str]  # prepared chunks (embedded)
    title: str  # prepared title text (embedded)
    full: str  # prepared full text (lexical signal)
    chunk_keys: list[str] | None = None  # `text_hash` of each chunk, when read from the store
    title_key: str | None = None  # `text_hash` of the title, when read from the store


def derive(candidate: dict[str, Any], blind: bool) -> Derived:
    """Texts of one candidate dict (with its profiles), masked in blind mode."""
    ct = build_candidate_text(candidate, mask=masker_for(candidate).mask if blind else None)
    return Derived(ct, [prepare_text(ch) for ch in ct.chunks()], prepare_text(ct.title_text), prepare_text(ct.full_text))


def to_json(d: Derived) -> dict[str, Any]:
    """A JSON-safe dict that `from_json` turns back into the same `Derived`."""
    c = d.cand
    return {
        "id": c.candidate_id, "name": c.name, "headline": c.headline, "location": c.location, "remote": c.remote,
        "relocate": c.willing_to_relocate, "titles": c.titles, "skills": c.skills, "languages": c.languages,
        "evidence": [[e.text, e.source, e.skills] for e in c.evidence], "lang": c.lang,
        "chunks": d.chunks, "title": d.title, "full": d.full,
    }


def from_json(data: dict[str, Any]) -> Derived:
    """The `Derived` stored by `to_json`."""
    # The lists are json.loads's own (fresh) lists: used as they are, not copied.
    ct = CandidateText(
        candidate_id=int(data["id"]), name=data.get("name"), headline=data.get("headline") or "",
        location=data.get("location"), remote=data.get("remote"), willing_to_relocate=data.get("relocate"),
        titles=data.get("titles") or [], skills=data.get("skills") or [],
        languages=data.get("languages") or [],
        evidence=[Evidence(text, source, skills) for text, source, skills in data.get("evidence") or ()],
        lang=data.get("lang") or "en",
    )
    return Derived(ct, data["chunks"], data["title"], data["full"])


def _row(d: Derived, blind: bool) -> dict[str, Any]:
    return {
        "candidate_id": d.cand.candidate_id, "blind": blind, "lang": d.cand.lang, "location": d.cand.location,
        "remote": d.cand.remote, "chunk_hashes": " ".join(text_hash(ch) for ch in d.chunks),
        "title_hash": text_hash(d.title), "data": to_json(d),
    }


def refresh_features(store: Any, *, blind: bool, progress: Callable[[int, int], None] | None = None) -> int:
    """Derive and store the features of every candidate lacking them; returns how many were derived.

    Only candidates in the change log since the last refresh are looked at (all of them
    the first time). The plain mode also writes each candidate's full text to the
    lexical index. A candidate written again while this runs is derived on the next call.
    """
    key = f"features-{'blind' if blind else 'plain'}"
    seq = rank_index.max_change_seq(store)
    last = rank_index.get_state(store, key)
    if last is not None and int(last) == seq:
        return 0
    # Behind a pruned change log (see `rank_index.prune_changes`) the whole pool is checked instead.
    behind = last is None or int(last) + 1 < rank_index.pruned_below(store)
    todo = rank_index.candidates_without_features(store, blind, among=None if behind else rank_index.changed_since(store, int(last)))
    done = 0
    for start in range(0, len(todo), BATCH):
        read_seq = rank_index.max_change_seq(store)
        people = rank_index.candidates_with_profiles(store, todo[start : start + BATCH])
        derived = [derive(p, blind) for p in people]
        fts = {d.cand.candidate_id: d.full for d in derived} if not blind else None
        done += rank_index.save_features(store, [_row(d, blind) for d in derived], read_seq=read_seq, fts=fts)
        if progress:
            progress(min(start + BATCH, len(todo)), len(todo))
    rank_index.set_state(store, key, str(seq))
    return done


def load_derived(store: Any, ids: list[int], blind: bool) -> dict[int, Derived]:
    """Stored features of the given candidates, by id (with the cache keys of their texts, stored beside them)."""
    out = {}
    for cid, (data, chunk_keys, title_key) in rank_index.load_features(store, ids, blind, keys=True).items():
        d = out[cid] = from_json(data)
        if len(chunk_keys) == len(d.chunks):
            d.chunk_keys, d.title_key = chunk_keys, title_key
    return out
