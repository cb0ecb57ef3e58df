"""Provides parsing of the Remote OK API (`/api`): element 0 is the legal notice, not a job."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, require

CREDIT = "Source: Remote OK (https://remoteok.com), linked back as its API terms require"


def records(payload: Any) -> list[Any]:
    """Return the job objects, leaving out the legal notice element(s)."""
    if not isinstance(payload, list):
        raise MalformedPayload("expected a JSON array (Remote OK API)")
    return [o for o in payload if not (isinstance(o, dict) and "legal" in o and "position" not in o)]


def legal_notice(payload: Any) -> str | None:
    """Return the API's legal notice (kept in the crawl log so the terms stay visible)."""
    if isinstance(payload, list):
        for o in payload:
            if isinstance(o, dict) and "legal" in o:
                return str(o["legal"])
    return None


def to_job(obj: Any, *, source_key: str) -> JobPosting:
    """Turn one Remote OK job into a JobPosting; the link back and credit are kept (terms)."""
    ext = require(obj, "id", "remoteok job")
    title = clean(require(obj, "position", f"remoteok job {ext}"))
    url = clean(require(obj, "url", f"remoteok job {ext}"))
    smin, smax = obj.get("salary_min") or None, obj.get("salary_max") or None
    location = clean(obj.get("location"))
    return JobPosting(
        source_kind="remoteok",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=html_to_text(obj.get("description")),
        company=clean(obj.get("company")),
        location=location.strip(" ,") if location else None,
        workplace="remote",
        url=url,
        salary_min=float(smin) if smin else None,
        salary_max=float(smax) if smax else None,
        salary_currency="USD" if (smin or smax) else None,
        salary_period="year" if (smin or smax) else None,
        posted_at=parse_datetime(obj.get("date") or obj.get("epoch")),
        tags=[str(t) for t in obj.get("tags") or []],
        credit=f"{CREDIT}: {url}",
    )
