"""Provides the deployer's records export (`sourcing audit export`): ranking runs and the audit log.

One JSON object per line, oldest first: `{"type": "ranking_run", …}` for each logged
ranking (AI Act Art. 12/26: who, when, job, model and version, fusion version, pool
size, retrieved K, blind, ordering, the top list shown — erased people appear as
`candidate_id: null`) and `{"type": "audit", …}` for each decision, undo, notice
event and erasure. Ids only: the export carries no names, e-mails or URLs (a
decision's audit row keeps its free-text note, which the team was told not to fill
with sensitive data).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from sourcing.errors import UsageError
from sourcing.storage import runlog


def parse_since(value: str) -> datetime:
    """'2026-01-01' or an ISO date-time (UTC when no offset is given).

    Raises:
        UsageError: not a date.
    """
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--since {value!r}: give a date like 2026-01-01 (or 2026-01-01T08:00)") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def records(store: Any, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Every ranking run and audit row at or after `since`, merged oldest first."""
    items = [{"type": "ranking_run", **r} for r in runlog.runs_since(store, since)]
    items += [{"type": "audit", **r} for r in runlog.audit_since(store, since)]
    items.sort(key=lambda r: (r["at"], 0 if r["type"] == "ranking_run" else 1, r["id"]))
    for item in items:
        yield _plain(item)
