"""Provides a bulk load of new, distinct people into an empty or fresh store (benchmarks, migrations).

`bulk_add_profiles(store, records)` writes one candidate, its identity keys and one
profile per record with multi-row inserts in one transaction per call — about 50x
faster than `upsert_profile`, which looks each record up and merges people seen on
several sources. Records must be new and distinct people (no lookup is made); the
triggers of the ranking indexes fire as for any write.
"""

from __future__ import annotations

import json
import secrets
from typing import Any, Sequence

from sourcing.models import ProfileRecord, utcnow
from sourcing.storage.candidates import _PROFILE_FIELDS, identity_keys

_JSON_FIELDS = {"skills", "titles", "experience", "education", "languages", "extra_urls"}


def _value(field: str, value: Any) -> Any:
    if field in _JSON_FIELDS:
        return json.dumps(value or [], ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def bulk_add_profiles(store: Any, records: Sequence[ProfileRecord]) -> list[int]:
    """Insert new, distinct people (one profile each) in one transaction; returns their candidate ids."""
    if not records:
        return []
    now = utcnow().replace(tzinfo=None).isoformat(sep=" ")
    with store.transaction() as conn:
        start = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM candidate").scalar_one()) + 1
        ids = list(range(start, start + len(records)))
        conn.exec_driver_sql(
            "INSERT INTO candidate (id, name, email, headline, location, pseudonym, created_at, updated_at, last_activity_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(cid, p.name, p.email, p.headline or ((p.titles or [None])[0]), p.location,
              f"Candidate {secrets.token_hex(5).upper()}", now, now, now) for cid, p in zip(ids, records)],
        )
        sources: dict[tuple[str, str], int] = {}
        for p in records:
            key = (p.source_kind, p.source_key or p.source_kind)
            if key not in sources:
                sources[key] = store._ensure_source(conn, key[0], key[1])
        cols = ["candidate_id", "source_id", "source_kind", "source_key", "external_id", "payload_hash", "fetched_at",
                "first_seen", "updated_at", *_PROFILE_FIELDS]
        rows = []
        keys = []
        for cid, p in zip(ids, records):
            source_key = p.source_key or p.source_kind
            fetched = (p.fetched_at or utcnow()).replace(tzinfo=None).isoformat(sep=" ")
            rows.append((cid, sources[(p.source_kind, source_key)], p.source_kind, source_key, str(p.external_id),
                         p.content_hash(), fetched, now, now, *(_value(f, getattr(p, f)) for f in _PROFILE_FIELDS)))
            keys.extend((kind, value, cid) for kind, value in identity_keys(p))
        conn.exec_driver_sql(f"INSERT INTO profile ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
        if keys:
            conn.exec_driver_sql("INSERT OR IGNORE INTO candidate_key (kind, value, candidate_id) VALUES (?, ?, ?)", keys)
    return ids
