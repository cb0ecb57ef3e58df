"""Provides the review app's human-oversight and notice helpers (AI Act Art. 14, GDPR Art. 14).

- With automated ordering off (`[ranking] enabled = false`, or `A` in the app) the
  shortlist is in the job's neutral order (`sourcing.oversight.neutral_key`), the score
  and rank cells are blank, and the Matched column lists the must-haves met.
- People whose notice is overdue or due within 7 days carry a mark in the Status cell;
  `c` (contacted) asks to send the notice together when it was not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text

from sourcing.oversight import neutral_key
from tui.rows import ShortlistRow

SOON_DAYS = 7


def attach_notices(store: Any, rows: list[ShortlistRow], now: datetime) -> None:
    """Fill each row's notice state and days left (one query per 500 people; all at once for very long lists).

    A saved ranking is the best K (2,000) of a pool that may hold a million people: reading
    the notice state of the whole store for it took 10 s at 100k, so only past 20,000 rows
    is the store read whole.
    """
    from sourcing.notices import statuses

    ids = [r.candidate_id for r in rows]
    found = {s.candidate_id: s for s in statuses(store, ids if len(ids) <= 20_000 else None, now=now)}
    for row in rows:
        s = found.get(row.candidate_id)
        if s is not None:
            row.notice, row.notice_days = s.state, s.days_left


def notice_pending(row: ShortlistRow) -> bool:
    """The person was neither informed nor exempted (contact needs the notice sent with it)."""
    return row.notice in ("due", "overdue", "impossible")


def notice_mark(row: ShortlistRow) -> Text | None:
    """'✉late ' for an overdue notice, '✉3d ' for one due within 7 days, else None."""
    if not notice_pending(row) or row.notice_days is None or row.notice_days > SOON_DAYS:
        return None
    if row.notice_days < 0:
        return Text("✉late ", style="bold red")
    return Text(f"✉{row.notice_days}d ", style="yellow")


def must_checklist(row: ShortlistRow) -> list[str]:
    """The must-haves the person meets (what the list shows instead of a score when ranking is off)."""
    return [str(q.get("text")) for q in row.explanation.get("requirements") or []
            if q.get("kind") == "must" and q.get("matched")]


def neutral(job_id: int, rows: list[ShortlistRow]) -> list[ShortlistRow]:
    """`rows` in the job's neutral order (random per job, the same every time)."""
    return sorted(rows, key=lambda r: neutral_key(job_id, r.candidate_id))


def clock_or_now(clock: Callable[[], datetime] | None) -> datetime:
    """The app's clock (tests inject one), else the current UTC time."""
    from sourcing.models import utcnow

    return clock() if clock is not None else utcnow()
