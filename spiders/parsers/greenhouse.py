"""Provides parsing of the Greenhouse job board API (`/v1/boards/{board}/jobs?content=true`)."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from spiders.parsers.common import MalformedPayload, clean, html_to_text, is_remote, parse_datetime, require


def records(payload: Any) -> list[Any]:
    """Return the postings of a board payload `{"jobs": [...], "meta": {...}}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise MalformedPayload("expected an object with a 'jobs' array (Greenhouse board API)")
    return payload["jobs"]


def to_job(obj: Any, *, source_key: str, board: str) -> JobPosting:
    """Turn one Greenhouse posting into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "id", "greenhouse job")
    title = clean(require(obj, "title", f"greenhouse job {ext}"))
    location = clean((obj.get("location") or {}).get("name")) if isinstance(obj.get("location"), dict) else None
    departments = [clean(d.get("name")) for d in obj.get("departments") or [] if isinstance(d, dict)]
    offices = [clean(o.get("name")) for o in obj.get("offices") or [] if isinstance(o, dict)]
    return JobPosting(
        source_kind="greenhouse",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=html_to_text(obj.get("content"), unescape_first=True),
        company=clean(obj.get("company_name")) or board,
        location=location,
        remote=is_remote(location, *offices),
        url=clean(obj.get("absolute_url")),
        department=next((d for d in departments if d), None),
        posted_at=parse_datetime(obj.get("first_published") or obj.get("updated_at")),
    )
