"""Provides the store-held resume state of distributed crawls: the `crawl_resume` keys of a run token.

A crawl on a scrapyd node cannot keep its `done.txt` on the node (the node may die and another
resume the run), so the pages whose items are committed are recorded here, under the run's
token chosen by the scheduler (`sourcing.scrapyd`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.engine import Connection

from sourcing.storage import schema as t
from sourcing.storage.dialect import insert_for


def done_keys(store: Any, token: str) -> set[str]:
    """The page keys recorded as done for `token` (empty for a new run)."""
    with store.connection() as conn:
        rows = conn.execute(select(t.crawl_resume.c.page_key).where(t.crawl_resume.c.token == token))
        return {r[0] for r in rows}


def mark_done(store: Any, token: str, keys: Iterable[str]) -> None:
    """Record `keys` as done for `token` (keys already recorded are kept once)."""
    rows = [{"token": token, "page_key": k} for k in dict.fromkeys(keys)]
    if not rows:
        return
    with store.transaction() as conn:
        conn.execute(insert_for(conn, t.crawl_resume).on_conflict_do_nothing(), rows)


def forget_run(store: Any, token: str) -> int:
    """Drop the resume state of a finished run; returns how many keys it had."""
    with store.transaction() as conn:
        return conn.execute(delete(t.crawl_resume).where(t.crawl_resume.c.token == token)).rowcount


def erase_keys_holding(conn: Connection, needles: list[str]) -> int:
    """Delete resume keys holding any of `needles` (a person's URL or id, at erasure); returns how many."""
    if not needles:
        return 0
    cond = or_(*[t.crawl_resume.c.page_key.contains(n, autoescape=True) for n in needles])
    return conn.execute(delete(t.crawl_resume).where(cond)).rowcount
