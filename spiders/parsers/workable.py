"""Provides parsing of the Workable widget API (`/api/v1/widget/accounts/{account}`).

The same shortcode can appear once per location: those rows are merged into one
posting whose location lists them all.
"""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting
from sourcing.pay import parse_pay
from spiders.parsers.common import MalformedPayload, MalformedRecord, clean, html_to_text, parse_datetime, pay_fields, require, workplace


def records(payload: Any) -> list[Any]:
    """Return the jobs of an account payload `{"name": ..., "jobs": [...]}`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise MalformedPayload("expected an object with a 'jobs' array (Workable widget API)")
    return payload["jobs"]


def _where(obj: dict[str, Any]) -> list[str]:
    places = []
    for loc in obj.get("locations") or [{"city": obj.get("city"), "region": obj.get("state"), "country": obj.get("country")}]:
        if isinstance(loc, dict):
            text = ", ".join(p for p in (clean(loc.get("city")), clean(loc.get("region")), clean(loc.get("country"))) if p)
            if text:
                places.append(text)
    return places


def merge_locations(jobs: list[Any]) -> list[Any]:
    """Merge rows sharing a shortcode; rows without a shortcode are kept as they are (and dropped later)."""
    merged: dict[str, dict[str, Any]] = {}
    out: list[Any] = []
    for obj in jobs:
        code = obj.get("shortcode") if isinstance(obj, dict) else None
        if not code:
            out.append(obj)
            continue
        if code in merged:
            first = merged[code]
            first["_places"] += [p for p in _where(obj) if p not in first["_places"]]
            continue
        first = dict(obj, _places=_where(obj))
        merged[code] = first
        out.append(first)
    return out


def to_job(obj: Any, *, source_key: str, account: str, company: str | None = None) -> JobPosting:
    """Turn one (merged) Workable job into a JobPosting (raises MalformedRecord)."""
    ext = require(obj, "shortcode", "workable job")
    title = clean(require(obj, "title", f"workable job {ext}"))
    if not isinstance(obj, dict):
        raise MalformedRecord(f"workable job {ext}: not an object")
    places = obj.get("_places") if "_places" in obj else _where(obj)
    description = html_to_text(obj.get("description"))
    # Newer accounts send `workplace` ("on_site" | "hybrid" | "remote"); older ones only `telecommuting`.
    where = workplace(obj.get("workplace") or obj.get("workplace_type"), remote=obj.get("telecommuting"))
    return JobPosting(
        source_kind="workable",
        source_key=source_key,
        external_id=str(ext),
        title=title or "",
        description=description,
        company=company or account,
        location="; ".join(places) or None,
        workplace=where,
        remote=bool(obj.get("telecommuting")) if "telecommuting" in obj else None,
        url=clean(obj.get("url")) or clean(obj.get("shortlink")),
        department=clean(obj.get("department")),
        employment_type=clean(obj.get("employment_type")),
        seniority=clean(obj.get("experience")),
        posted_at=parse_datetime(obj.get("published_on") or obj.get("created_at")),
        tags=[t for t in (clean(obj.get("function")), clean(obj.get("industry"))) if t],
        **pay_fields(parse_pay(description)),
    )
