"""Provides the `crawl_run` queries for runs that stopped badly: list the running ones, close one as interrupted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from sourcing.models import utcnow
from sourcing.storage import schema as t
from sourcing.storage.base import row_dict


def running_runs(store: Any) -> list[dict[str, Any]]:
    """Crawl runs still marked `running` (live, or stale when their process is gone), oldest first."""
    with store.connection() as conn:
        q = select(t.crawl_run).where(t.crawl_run.c.status == "running").order_by(t.crawl_run.c.id)
        return [row_dict(r) for r in conn.execute(q)]


def close_interrupted(store: Any, run_id: int, *, counts: dict[str, Any], reason: str) -> bool:
    """Mark a `running` row `interrupted` with the committed counts and the reason; False if it was not running.

    Only a row still `running` changes: a crawl that closed its own row (a graceful stop) keeps its account.
    """
    from sourcing.sources import redact_url

    values = {f"items_{k}": int(counts.get(k) or 0) for k in ("new", "updated", "unchanged", "dropped")}
    with store.transaction() as conn:
        done = conn.execute(
            update(t.crawl_run).where(t.crawl_run.c.id == run_id, t.crawl_run.c.status == "running").values(
                finished_at=utcnow(), status="interrupted", errors=int(counts.get("errors") or 0),
                error_details=[{"kind": "error", "where": "crawl", "reason": redact_url(reason)}], **values,
            )
        ).rowcount
    return bool(done)
