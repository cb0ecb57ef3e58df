"""Provides parsing of the Recruitee careers API (`https://{company}.recruitee.com/api/offers`)."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from sourcing.pay import parse_pay, structured_pay
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, pay_fields, require


def records(payload: Any) -> list[Any]:
    """Return the offers of `{"offers": [...]}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("offers"), list):
        raise MalformedPayload("expected an object with an 'offers' array (Recruitee API)")
    return payload["offers"]


def _workplace(obj: dict[str, Any]) -> str | None:
    """Recruitee sends three flags (`remote`, `hybrid`, `on_site`); hybrid wins over remote."""
    if obj.get("hybrid") is True:
        return "hybrid"
    if obj.get("remote") is True:
        return "remote"
    if obj.get("on_site") is True:
        return "onsite"
    return None


def to_job(obj: Any, *, source_key: str, company: str) -> JobPosting:
    """Turn one Recruitee offer into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "id", "recruitee offer")
    title = clean(require(obj, "title", f"recruitee offer {ext}"))
    salary = obj.get("salary") if isinstance(obj.get("salary"), dict) else {}
    desc = "\n\n".join(t for t in (html_to_text(obj.get("description")), html_to_text(obj.get("requirements"))) if t)
    stated = structured_pay(salary.get("min"), salary.get("max"), salary.get("currency"), clean(salary.get("period")))
    pay = pay_fields(stated or parse_pay(desc))
    return JobPosting(
        source_kind="recruitee",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=desc,
        company=clean(obj.get("company_name")) or company,
        location=", ".join(p for p in (clean(obj.get("city")), clean(obj.get("country"))) if p) or None,
        workplace=_workplace(obj),
        url=clean(obj.get("careers_url")),
        department=clean(obj.get("department")),
        employment_type=clean(obj.get("employment_type_code")),
        seniority=clean(obj.get("experience_code")),
        # "2026-08-11 20:45:29 UTC": the shared parser reads Recruitee's format.
        posted_at=parse_datetime(obj.get("published_at") or obj.get("created_at")),
        tags=[str(t) for t in obj.get("tags") or []],
        **pay,
    )
