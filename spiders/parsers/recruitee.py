"""Provides parsing of the Recruitee careers API (`https://{company}.recruitee.com/api/offers`)."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, require


def records(payload: Any) -> list[Any]:
    """Return the offers of `{"offers": [...]}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("offers"), list):
        raise MalformedPayload("expected an object with an 'offers' array (Recruitee API)")
    return payload["offers"]


def to_job(obj: Any, *, source_key: str, company: str) -> JobPosting:
    """Turn one Recruitee offer into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "id", "recruitee offer")
    title = clean(require(obj, "title", f"recruitee offer {ext}"))
    salary = obj.get("salary") if isinstance(obj.get("salary"), dict) else {}
    desc = "\n\n".join(t for t in (html_to_text(obj.get("description")), html_to_text(obj.get("requirements"))) if t)
    return JobPosting(
        source_kind="recruitee",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=desc,
        company=clean(obj.get("company_name")) or company,
        location=", ".join(p for p in (clean(obj.get("city")), clean(obj.get("country"))) if p) or None,
        remote=bool(obj.get("remote")) if "remote" in obj else None,
        url=clean(obj.get("careers_url")),
        department=clean(obj.get("department")),
        employment_type=clean(obj.get("employment_type_code")),
        seniority=clean(obj.get("experience_code")),
        salary_min=float(salary["min"]) if salary.get("min") not in (None, "") else None,
        salary_max=float(salary["max"]) if salary.get("max") not in (None, "") else None,
        salary_currency=clean(salary.get("currency")),
        salary_period=clean(salary.get("period")),
        posted_at=parse_datetime(obj.get("published_at") or obj.get("created_at")),
        tags=[str(t) for t in obj.get("tags") or []],
    )
