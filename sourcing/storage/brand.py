"""Provides the employer-brand queries: post ideas (the `brand_idea` table) and pool scores per job.

Free functions taking the `Store` (see docs/STORE_API.md). An idea is keyed by
`idea_key` (stable for the same subject, platform and language), so generating
the calendar again refreshes proposed drafts without duplicating them, and never
overwrites a decision: accepted or discarded ideas and edited texts stay as the
person left them. Every decision and edit is appended to the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Mapping

from sqlalchemy import delete, insert, select, update

from sourcing.errors import NotFoundError, UsageError
from sourcing.models import utcnow
from sourcing.storage import schema as t
from sourcing.storage.base import row_dict
from sourcing.storage.dialect import insert_for

STATUSES = ("proposed", "accepted", "discarded")
_FIELDS = ("angle", "role", "platform", "lang", "draft", "hashtags", "suggested_for", "evidence")


def save_ideas(store: Any, ideas: Iterable[Mapping[str, Any]], *, replace_proposed: bool = False) -> list[int]:
    """Insert or refresh ideas by `idea_key`; returns their ids in the order given.

    Args:
        store: the Store.
        ideas: mappings with idea_key, angle, role, platform, lang, draft, hashtags (list),
            suggested_for (datetime or None), evidence (list of dicts).
        replace_proposed: delete proposed (undecided) ideas that are not in this batch,
            so a new calendar replaces the previous one; decided ideas are always kept.

    Raises:
        UsageError: an idea lacks a key, a draft, or has an unknown platform/lang.
    """
    rows = list(ideas)
    for n, idea in enumerate(rows, start=1):
        missing = [f for f in ("idea_key", "angle", "platform", "lang", "draft") if not idea.get(f)]
        if missing:
            raise UsageError(f"idea #{n}: missing {', '.join(missing)}", "Invalid idea")
    ids = []
    now = utcnow()
    with store.transaction() as conn:
        for idea in rows:
            values = {f: idea.get(f) for f in _FIELDS}
            values["hashtags"] = list(values["hashtags"] or [])
            values["evidence"] = list(values["evidence"] or [])
            found = conn.execute(
                select(t.brand_idea.c.id, t.brand_idea.c.status).where(t.brand_idea.c.idea_key == idea["idea_key"])
            ).first()
            if found is None:
                new_id = conn.execute(
                    insert_for(conn, t.brand_idea).values(idea_key=idea["idea_key"], created_at=now, status="proposed", **values)
                    .on_conflict_do_nothing(index_elements=["idea_key"]).returning(t.brand_idea.c.id)
                ).scalar()
                if new_id is not None:
                    ids.append(new_id)
                    continue
                # Saved by another process since we looked: refreshed like any idea we had found.
                found = conn.execute(
                    select(t.brand_idea.c.id, t.brand_idea.c.status).where(t.brand_idea.c.idea_key == idea["idea_key"])
                ).first()
            if found.status == "proposed":
                conn.execute(update(t.brand_idea).where(t.brand_idea.c.id == found.id).values(**values))
            ids.append(found.id)
        if replace_proposed:
            conn.execute(
                delete(t.brand_idea).where(t.brand_idea.c.status == "proposed", t.brand_idea.c.id.not_in(ids or [-1]))
            )
    return ids


def list_ideas(store: Any, *, status: str | None = None, lang: str | None = None, platform: str | None = None) -> list[dict[str, Any]]:
    """Ideas in calendar order (suggested date, then id), optionally filtered."""
    q = select(t.brand_idea).order_by(t.brand_idea.c.suggested_for.is_(None), t.brand_idea.c.suggested_for, t.brand_idea.c.id)
    if status is not None:
        q = q.where(t.brand_idea.c.status == status)
    if lang is not None:
        q = q.where(t.brand_idea.c.lang == lang)
    if platform is not None:
        q = q.where(t.brand_idea.c.platform == platform)
    with store.connection() as conn:
        return [row_dict(r) for r in conn.execute(q)]


def get_idea(store: Any, idea_id: int) -> dict[str, Any]:
    """One idea; raises NotFoundError."""
    with store.connection() as conn:
        row = conn.execute(select(t.brand_idea).where(t.brand_idea.c.id == idea_id)).first()
    if row is None:
        raise NotFoundError(f"no brand idea with id {idea_id}. List them with `sourcing brand ideas --saved`.", "Idea not found")
    return row_dict(row)


def set_idea_status(store: Any, idea_id: int, status: str, *, actor: str) -> dict[str, Any]:
    """Accept, discard or re-propose an idea (audited); returns the updated idea."""
    if status not in STATUSES:
        raise UsageError(f"idea status must be one of {', '.join(STATUSES)}, not {status!r}", "Invalid status")
    before = get_idea(store, idea_id)
    with store.transaction() as conn:
        conn.execute(update(t.brand_idea).where(t.brand_idea.c.id == idea_id).values(
            status=status, decided_at=None if status == "proposed" else utcnow(), actor=actor))
        store._audit(conn, f"brand_idea.{status}", actor=actor, target_type="brand_idea", target_id=idea_id,
                     before={"status": before["status"]}, after={"status": status})
    return get_idea(store, idea_id)


def edit_idea(store: Any, idea_id: int, text: str, *, actor: str) -> dict[str, Any]:
    """Store an edited text for an idea (the draft is kept; the edit is what gets posted); audited."""
    text = text.strip()
    if not text:
        raise UsageError(f"idea {idea_id}: the edited text is empty; discard the idea instead", "Empty text")
    before = get_idea(store, idea_id)
    with store.transaction() as conn:
        conn.execute(update(t.brand_idea).where(t.brand_idea.c.id == idea_id).values(edited_text=text, actor=actor))
        store._audit(conn, "brand_idea.edit", actor=actor, target_type="brand_idea", target_id=idea_id,
                     before={"text": before["edited_text"] or before["draft"]}, after={"text": text})
    return get_idea(store, idea_id)


def ranking_scores(store: Any, job_ids: Iterable[int] | None = None) -> dict[int, list[float]]:
    """Each job's latest ranking scores, best first, in one query (hard-to-fill signals)."""
    q = select(t.ranking.c.job_id, t.ranking.c.score).order_by(t.ranking.c.job_id, t.ranking.c.rank)
    if job_ids is not None:
        q = q.where(t.ranking.c.job_id.in_(list(job_ids)))
    out: dict[int, list[float]] = defaultdict(list)
    with store.connection() as conn:
        for job_id, score in conn.execute(q):
            out[job_id].append(float(score))
    return dict(out)
