"""Provides parsing of the Greenhouse job board API (`/v1/boards/{board}/jobs?content=true`)."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from sourcing.pay import Pay, parse_pay
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, pay_fields, require, workplace


def records(payload: Any) -> list[Any]:
    """Return the postings of a board payload `{"jobs": [...], "meta": {...}}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise MalformedPayload("expected an object with a 'jobs' array (Greenhouse board API)")
    return payload["jobs"]


def _pay(obj: dict[str, Any], description: str) -> dict[str, Any]:
    """`pay_input_ranges` (boards asked with `pay_transparency=true`), else a range written in the content."""
    for r in obj.get("pay_input_ranges") or []:
        if isinstance(r, dict) and (r.get("min_cents") is not None or r.get("max_cents") is not None):
            lo, hi = r.get("min_cents"), r.get("max_cents")
            text = " ".join(t for t in (clean(r.get("title")), html_to_text(r.get("blurb"))) if t) or None
            return pay_fields(Pay(lo / 100 if lo is not None else None, hi / 100 if hi is not None else None,
                                  clean(r.get("currency_type")), None, text or ""), text=text)
    return pay_fields(parse_pay(description))


def to_job(obj: Any, *, source_key: str, board: str) -> JobPosting:
    """Turn one Greenhouse posting into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "id", "greenhouse job")
    title = clean(require(obj, "title", f"greenhouse job {ext}"))
    location = clean((obj.get("location") or {}).get("name")) if isinstance(obj.get("location"), dict) else None
    departments = [clean(d.get("name")) for d in obj.get("departments") or [] if isinstance(d, dict)]
    offices = [clean(o.get("name")) for o in obj.get("offices") or [] if isinstance(o, dict)]
    # `content` is HTML, entity-escaped; the cleaner detects and unescapes it.
    description = html_to_text(obj.get("content"))
    # No workplace field: the location name says it when anything does ("Remote - US", "Hybrid, Berlin").
    where = next((w for w in (workplace(x) for x in (location, *offices)) if w), None)
    return JobPosting(
        source_kind="greenhouse",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=description,
        company=clean(obj.get("company_name")) or board,
        location=location,
        workplace=where,
        url=clean(obj.get("absolute_url")),
        department=next((d for d in departments if d), None),
        posted_at=parse_datetime(obj.get("first_published") or obj.get("updated_at")),
        **_pay(obj, description),
    )
