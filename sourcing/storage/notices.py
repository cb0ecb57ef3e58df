"""Provides the GDPR Art. 14 notice queries: each person's explicit notice state and its history.

A person with no `notice` row has a derived state (see `sourcing.notices`): this module
only reads and writes what was recorded — "sent" (with the text, as proof) or
"not_required" (with the Art. 14(5) reason a person gave) — and the event history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update

from sourcing.storage import schema as t
from sourcing.storage.base import row_dict

EXPLICIT_STATES = ("sent", "not_required")
EVENTS = ("drafted", *EXPLICIT_STATES)


def notice_rows(store: Any, candidate_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Every person (or those in `candidate_ids`) with what the notice state needs, one query.

    Returns:
        [{candidate_id, created_at, email, state, at, channel, reason}] ordered by id;
        `state` is None when nothing was recorded.
    """
    c, n = t.candidate, t.notice
    q = (
        select(c.c.id.label("candidate_id"), c.c.created_at, c.c.email, n.c.state, n.c.at, n.c.channel, n.c.reason)
        .select_from(c.outerjoin(n, n.c.candidate_id == c.c.id))
        .order_by(c.c.id)
    )
    out: list[dict[str, Any]] = []
    with store.connection() as conn:
        if candidate_ids is None:
            return [row_dict(r) for r in conn.execute(q)]
        ids = list(dict.fromkeys(candidate_ids))
        for i in range(0, len(ids), 500):
            out.extend(row_dict(r) for r in conn.execute(q.where(c.c.id.in_(ids[i : i + 500]))))
    return sorted(out, key=lambda r: r["candidate_id"])


def pending_notice_rows(store: Any, *, created_by: datetime | None = None) -> list[dict[str, Any]]:
    """The people with no recorded notice state (those still to inform), created at or before `created_by`.

    Same rows as `notice_rows`, ordered by id, but only those: the database filters, so a
    nightly over 100,000 people with nothing due reads none of them.
    """
    c, n = t.candidate, t.notice
    q = (
        select(c.c.id.label("candidate_id"), c.c.created_at, c.c.email, n.c.state, n.c.at, n.c.channel, n.c.reason)
        .select_from(c.outerjoin(n, n.c.candidate_id == c.c.id))
        .where(or_(n.c.candidate_id.is_(None), n.c.state.is_(None), n.c.state.notin_(EXPLICIT_STATES)))
        .order_by(c.c.id)
    )
    if created_by is not None:
        q = q.where(c.c.created_at <= created_by)
    with store.connection() as conn:
        return [row_dict(r) for r in conn.execute(q)]


def record_event(store: Any, candidate_id: int, event: str, *, actor: str, at: datetime, channel: str | None = None,
                 lang: str | None = None, text: str | None = None, reason: str | None = None) -> None:
    """Append a notice event; "sent" and "not_required" also become the person's notice state.

    The state change, its history row and an audit row are written in one transaction.
    """
    if event not in EVENTS:
        raise ValueError(f"notice event must be one of {', '.join(EVENTS)}")
    values = {"at": at, "channel": channel, "lang": lang, "text": text, "reason": reason, "actor": actor}
    with store.transaction() as conn:
        conn.execute(insert(t.notice_event).values(candidate_id=candidate_id, event=event, **values))
        if event in EXPLICIT_STATES:
            exists = conn.execute(select(t.notice.c.candidate_id).where(t.notice.c.candidate_id == candidate_id)).first()
            if exists is None:
                conn.execute(insert(t.notice).values(candidate_id=candidate_id, state=event, **values))
            else:
                conn.execute(update(t.notice).where(t.notice.c.candidate_id == candidate_id).values(state=event, **values))
        store._audit(conn, f"notice.{event}", actor=actor, target_type="candidate", target_id=candidate_id,
                     after={"channel": channel, "lang": lang, "reason": reason})


def history(store: Any, candidate_id: int) -> list[dict[str, Any]]:
    """The person's notice events, oldest first."""
    with store.connection() as conn:
        return [row_dict(r) for r in conn.execute(
            select(t.notice_event).where(t.notice_event.c.candidate_id == candidate_id).order_by(t.notice_event.c.id))]


def latest_draft(store: Any, candidate_id: int) -> dict[str, Any] | None:
    """The newest "drafted" event of the person (its text is what `mark-sent` records), or None."""
    with store.connection() as conn:
        row = conn.execute(
            select(t.notice_event).where(t.notice_event.c.candidate_id == candidate_id, t.notice_event.c.event == "drafted")
            .order_by(t.notice_event.c.id.desc()).limit(1)).first()
    return row_dict(row) if row else None


def move_person(conn: Any, src: int, dst: int) -> None:
    """Merge support: `src`'s notice history goes to `dst`; its state too unless `dst` has one."""
    conn.execute(update(t.notice_event).where(t.notice_event.c.candidate_id == src).values(candidate_id=dst))
    has = conn.execute(select(t.notice.c.candidate_id).where(t.notice.c.candidate_id == dst)).first()
    if has is None:
        conn.execute(update(t.notice).where(t.notice.c.candidate_id == src).values(candidate_id=dst))
    else:
        conn.execute(delete(t.notice).where(t.notice.c.candidate_id == src))


def erase_person(conn: Any, candidate_id: int) -> dict[str, int]:
    """Erasure support: remove the person's notices (state and history). Returns counts."""
    return {
        "notices": conn.execute(delete(t.notice).where(t.notice.c.candidate_id == candidate_id)).rowcount
        + conn.execute(delete(t.notice_event).where(t.notice_event.c.candidate_id == candidate_id)).rowcount,
    }


def informed(conn: Any, candidate_id: int) -> bool:
    """True when the person's notice was sent or an exemption is recorded (inside a transaction)."""
    return conn.execute(select(t.notice.c.candidate_id).where(
        t.notice.c.candidate_id == candidate_id, t.notice.c.state.in_(EXPLICIT_STATES))).first() is not None
