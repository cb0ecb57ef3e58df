"""Provides parsing of the Ashby posting API (`/posting-api/job-board/{name}?includeCompensation=true`)."""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from spiders.parsers.common import MalformedPayload, clean, html_to_text, parse_datetime, require, stated_pay, workplace

_PERIODS = {"1 YEAR": "year", "1 MONTH": "month", "1 HOUR": "hour", "1 WEEK": "week", "1 DAY": "day"}


def records(payload: Any) -> list[Any]:
    """Return the jobs of a board payload `{"apiVersion": ..., "jobs": [...]}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise MalformedPayload("expected an object with a 'jobs' array (Ashby posting API)")
    return payload["jobs"]


def is_listed(obj: Any) -> bool:
    """Ashby marks postings hidden from the public board with isListed = false: we skip those."""
    return not (isinstance(obj, dict) and obj.get("isListed") is False)


def _salary(obj: dict[str, Any]) -> dict[str, Any]:
    comp = obj.get("compensation") if isinstance(obj.get("compensation"), dict) else {}
    summary = clean(comp.get("scrapeableCompensationSalarySummary")) or clean(comp.get("compensationTierSummary"))
    stated = stated_pay(summary) if summary else {}
    for c in comp.get("summaryComponents") or []:
        if isinstance(c, dict) and c.get("compensationType") == "Salary":
            return {
                **stated,
                "salary_min": c.get("minValue"), "salary_max": c.get("maxValue"),
                "salary_currency": clean(c.get("currencyCode")), "salary_period": _PERIODS.get(str(c.get("interval")), clean(c.get("interval"))),
            }
    return stated


def to_job(obj: Any, *, source_key: str, name: str) -> JobPosting:
    """Turn one Ashby job into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "id", "ashby job")
    title = clean(require(obj, "title", f"ashby job {ext}"))
    locations = [clean(obj.get("location"))] + [
        clean(s.get("location")) for s in obj.get("secondaryLocations") or [] if isinstance(s, dict)
    ]
    label = clean(obj.get("workplaceType"))  # "OnSite" | "Remote" | "Hybrid"
    return JobPosting(
        source_kind="ashby",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=html_to_text(obj.get("descriptionPlain")) or html_to_text(obj.get("descriptionHtml")),
        company=name,
        location="; ".join(loc for loc in locations if loc) or None,
        # `isRemote` is true on hybrid postings too: the workplace type wins over it.
        workplace=workplace(label, remote=obj.get("isRemote")),
        url=clean(obj.get("jobUrl")),
        department=clean(obj.get("department")) or clean(obj.get("team")),
        employment_type=clean(obj.get("employmentType")),
        posted_at=parse_datetime(obj.get("publishedAt")),
        tags=[label] if label else [],
        **_salary(obj),
    )
