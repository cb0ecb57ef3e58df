"""Provides parsing of the Lever postings API (`/v0/postings/{site}?mode=json`)."""

from __future__ import annotations

import re
from typing import Any

from sourcing.models import JobPosting
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, require, stated_pay
from spiders.parsers.common import workplace as where

_INTERVALS = {"per-year-salary": "year", "per-month-salary": "month", "per-hour-wage": "hour", "per-day-wage": "day"}


def records(payload: Any) -> list[Any]:
    """Return the postings of one page (the API answers a bare array)."""
    if not isinstance(payload, list):
        raise MalformedPayload("expected a JSON array of postings (Lever postings API)")
    return payload


def description(obj: dict[str, Any]) -> str:
    """Join the opening, body, lists (headed sections) and closing into one text."""
    parts = [html_to_text(obj.get("descriptionPlain")) or html_to_text(obj.get("description"))]
    for section in obj.get("lists") or []:
        if isinstance(section, dict):
            parts.append(f"{clean(section.get('text')) or ''}\n{html_to_text(section.get('content'))}".strip())
    parts.append(html_to_text(obj.get("additionalPlain")) or html_to_text(obj.get("additional")))
    # The plain-text fields keep non-breaking spaces as paragraph spacers: the cleaner makes them plain.
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(p for p in parts if p))


def to_job(obj: Any, *, source_key: str, site: str) -> JobPosting:
    """Turn one Lever posting into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "id", "lever posting")
    title = clean(require(obj, "text", f"lever posting {ext}"))
    cat = obj.get("categories") if isinstance(obj.get("categories"), dict) else {}
    location = clean(cat.get("location"))
    label = clean(obj.get("workplaceType"))  # "on-site" | "remote" | "hybrid" | "unspecified"
    salary = obj.get("salaryRange") if isinstance(obj.get("salaryRange"), dict) else {}
    stated = stated_pay(obj.get("salaryDescriptionPlain") or obj.get("salaryDescription"))
    pay = {**stated, **{k: v for k, v in {
        "salary_min": salary.get("min"), "salary_max": salary.get("max"), "salary_currency": clean(salary.get("currency")),
        "salary_period": _INTERVALS.get(str(salary.get("interval")), clean(salary.get("interval"))),
    }.items() if v is not None}} if salary else stated
    return JobPosting(
        source_kind="lever",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=description(obj),
        company=site,
        location=location,
        workplace=where(label) or where(location),
        url=clean(obj.get("hostedUrl")),
        department=clean(cat.get("department")) or clean(cat.get("team")),
        employment_type=clean(cat.get("commitment")),
        posted_at=parse_datetime(obj.get("createdAt")),
        tags=[t for t in [label, clean(obj.get("country"))] if t],
        **pay,
    )
