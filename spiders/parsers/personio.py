"""Provides parsing of the Personio XML feed (`https://{account}.jobs.personio.de/xml?language=en`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from sourcing.models import JobPosting
from sourcing.pay import structured_pay
from spiders.parsers.common import MalformedPayload, MalformedRecord, clean, html_to_text, parse_datetime, pay_fields, stated_pay, workplace

_PERIODS = {"yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour"}


def records(xml_text: str | bytes) -> list[ET.Element]:
    """Return the <position> elements of a <workzag-jobs> feed."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise MalformedPayload(f"not well-formed XML ({exc})") from exc
    if root.tag != "workzag-jobs":
        raise MalformedPayload(f"expected a <workzag-jobs> feed, got <{root.tag}>")
    return root.findall("position")


def _text(el: ET.Element, tag: str) -> str | None:
    found = el.find(tag)
    return clean(found.text) if found is not None else None


def _salary(el: ET.Element) -> dict[str, Any]:
    """`<salaryInformation>` is either structured (`<min>`, `<max>`, `<currencyCode>`, `<type>yearly</type>`,
    as real feeds send it) or free text; both are read."""
    info = el.find("salaryInformation")
    if info is None:
        return {}
    if len(info):
        kind = (_text(info, "type") or "").lower()
        pay = structured_pay(_text(info, "min"), _text(info, "max"), _text(info, "currencyCode"), _PERIODS.get(kind, kind or None))
        return pay_fields(pay)
    return stated_pay(clean(info.text))


def to_job(el: Any, *, source_key: str, account: str, base_url: str) -> JobPosting:
    """Turn one <position> into a JobPosting (raises MalformedRecord).

    Args:
        base_url: the account's public jobs host (`https://{account}.jobs.personio.de`), used
            for the posting URL; never a mirror the feed was fetched from.
    """
    ext, title = _text(el, "id"), _text(el, "name")
    if not ext or not title:
        raise MalformedRecord(f"personio position {ext or '?'}: missing <{'id' if not ext else 'name'}>")
    sections = []
    for jd in el.findall("jobDescriptions/jobDescription"):
        head, body = _text(jd, "name"), html_to_text(_text(jd, "value"))
        sections.append(f"{head}\n{body}" if head else body)
    offices = [_text(el, "office")] + [clean(o.text) for o in el.findall("additionalOffices/office")]
    schedule = _text(el, "schedule")
    keywords = [k.strip() for k in (_text(el, "keywords") or "").split(",") if k.strip()]
    # No dedicated field on most feeds: an office named "Remote" / "Hybrid" says it, or a
    # `<remote>`/`<workplaceType>` element on feeds that have one.
    labels = [_text(el, "workplaceType"), _text(el, "workplace"), *offices]
    where = next((w for w in (workplace(x) for x in labels) if w), None)
    if where is None and (_text(el, "remote") or "").lower() in ("true", "1", "yes"):
        where = "remote"
    return JobPosting(
        source_kind="personio",
        source_key=source_key,
        external_id=ext,
        title=title,
        description="\n\n".join(s for s in sections if s),
        company=_text(el, "subcompany") or account,
        location="; ".join(o for o in offices if o) or None,
        workplace=where,
        url=f"{base_url.rstrip('/')}/job/{ext}",
        department=_text(el, "department"),
        employment_type=", ".join(t for t in (_text(el, "employmentType"), schedule) if t) or None,
        seniority=_text(el, "seniority"),
        posted_at=parse_datetime(_text(el, "createdAt")),
        tags=keywords,
        **_salary(el),
    )
