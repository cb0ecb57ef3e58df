"""Provides parsing of the SmartRecruiters Posting API (list pages and posting details)."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from sourcing.pay import parse_pay
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, pay_fields, require


def records(payload: Any) -> list[Any]:
    """Return the postings of one list page `{"offset", "limit", "totalFound", "content": [...]}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("content"), list):
        raise MalformedPayload("expected an object with a 'content' array (SmartRecruiters Posting API)")
    return payload["content"]


def next_offset(payload: dict[str, Any], *, requested: int | None = None) -> int | None:
    """Return the offset of the next page, or None when this page was the last.

    Args:
        payload: the list page.
        requested: the offset this page was asked for; it wins over the payload's optional `offset`.
    """
    offset = requested if requested is not None else int(payload.get("offset") or 0)
    total = int(payload.get("totalFound") or 0)
    got = len(payload.get("content") or [])
    return offset + got if got and offset + got < total else None


def _label(value: Any) -> str | None:
    return clean(value.get("label")) if isinstance(value, dict) else clean(value)


def to_job(obj: Any, *, source_key: str, company: str, detail: dict[str, Any] | None = None) -> JobPosting:
    """Turn a posting summary (and its detail, when fetched) into a JobPosting."""
    ext = require(obj, "id", "smartrecruiters posting")
    title = clean(require(obj, "name", f"smartrecruiters posting {ext}"))
    loc = obj.get("location") if isinstance(obj.get("location"), dict) else {}
    sections = ((detail or {}).get("jobAd") or {}).get("sections") or {}
    text = "\n\n".join(
        html_to_text(sections[k].get("text"))
        for k in ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
        if isinstance(sections.get(k), dict) and sections[k].get("text")
    )
    org = obj.get("company") if isinstance(obj.get("company"), dict) else {}
    # `location.remote` (and `hybrid` on newer payloads) are flags; neither set says nothing.
    where = "hybrid" if loc.get("hybrid") is True else ("remote" if loc.get("remote") is True else None)
    if where is None and loc.get("remote") is False and loc.get("hybrid") is False:
        where = "onsite"  # both flags sent and both false: the posting says on-site
    return JobPosting(
        source_kind="smartrecruiters",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=text,
        company=clean(org.get("name")) or company,
        location=", ".join(p for p in (clean(loc.get("city")), clean(loc.get("region")), clean(loc.get("country"))) if p) or None,
        workplace=where,
        remote=False if where is None and loc.get("remote") is False else None,
        url=clean((detail or {}).get("postingUrl")) or f"https://jobs.smartrecruiters.com/{company}/{ext}",
        department=_label(obj.get("department")),
        employment_type=_label(obj.get("typeOfEmployment")),
        seniority=_label(obj.get("experienceLevel")),
        posted_at=parse_datetime(obj.get("releasedDate")),
        tags=[t for t in (_label(obj.get("function")), _label(obj.get("industry"))) if t],
        **pay_fields(parse_pay(text)),
    )
