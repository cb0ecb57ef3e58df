"""Provides parsing of the Arbeitnow job board API (`/api/job-board-api?page=N`)."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from sourcing.pay import parse_pay
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, pay_fields, require


def records(payload: Any) -> list[Any]:
    """Return the jobs of one page `{"data": [...], "links": {...}, "meta": {...}}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise MalformedPayload("expected an object with a 'data' array (Arbeitnow API)")
    return payload["data"]


def next_page(payload: dict[str, Any]) -> str | None:
    """Return `links.next` (None on the last page)."""
    links = payload.get("links") if isinstance(payload.get("links"), dict) else {}
    return clean(links.get("next"))


def to_job(obj: Any, *, source_key: str) -> JobPosting:
    """Turn one Arbeitnow job into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "slug", "arbeitnow job")
    title = clean(require(obj, "title", f"arbeitnow job {ext}"))
    types = [str(t) for t in obj.get("job_types") or []]
    # Some descriptions arrive entity-escaped (`&lt;div&gt;…`): the cleaner detects and unescapes them.
    description = html_to_text(obj.get("description"))
    return JobPosting(
        source_kind="arbeitnow",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=description,
        company=clean(obj.get("company_name")),
        location=clean(obj.get("location")),
        # `remote: false` says "not fully remote", not "on-site": the workplace stays unknown then.
        workplace="remote" if obj.get("remote") is True else None,
        remote=bool(obj.get("remote")),
        url=clean(obj.get("url")),
        employment_type=", ".join(types) or None,
        posted_at=parse_datetime(obj.get("created_at")),
        tags=[str(t) for t in obj.get("tags") or []],
        **pay_fields(parse_pay(description)),
    )
