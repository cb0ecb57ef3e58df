"""Provides extraction of schema.org `JobPosting` records from career-site pages (JSON-LD and microdata)."""

from __future__ import annotations

import json
from typing import Any, Iterator

from parsel import Selector

from sourcing.models import JobPosting
from spiders.parsers.common import MalformedRecord, clean, html_to_text, parse_datetime


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for n in node:
            yield from _walk(n)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if "JobPosting" in types:
            yield node
        for key in ("@graph", "mainEntity", "itemListElement", "item"):
            if key in node:
                yield from _walk(node[key])


def jsonld_postings(html_text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Return (JobPosting objects found in JSON-LD blocks, reasons for blocks that are not valid JSON)."""
    sel = Selector(text=html_text)
    found, bad = [], []
    for i, block in enumerate(sel.css('script[type="application/ld+json"]::text').getall()):
        try:
            data = json.loads(block, strict=False)
        except json.JSONDecodeError as exc:
            bad.append(f"JSON-LD block {i + 1} is not valid JSON ({exc.msg} at line {exc.lineno})")
            continue
        found.extend(_walk(data))
    return found, bad


def microdata_postings(html_text: str) -> list[dict[str, Any]]:
    """Return JobPosting microdata items as JSON-LD-shaped dicts."""
    sel = Selector(text=html_text)
    out = []
    for scope in sel.xpath('//*[@itemscope][contains(@itemtype, "schema.org/JobPosting")]'):
        def prop(name: str, node=scope) -> str | None:
            el = node.xpath(f'.//*[@itemprop="{name}"]')
            if not el:
                return None
            el = el[0]
            value = el.attrib.get("content") or el.attrib.get("datetime") or el.attrib.get("href")
            return value if value else " ".join(t.strip() for t in el.xpath(".//text()").getall() if t.strip())
        desc_el = scope.xpath('.//*[@itemprop="description"]')
        out.append({
            "@type": "JobPosting",
            "title": prop("title"),
            "description": desc_el[0].get() if desc_el else None,
            "datePosted": prop("datePosted"),
            "employmentType": prop("employmentType"),
            "identifier": prop("identifier"),
            "hiringOrganization": {"name": prop("name", scope.xpath('.//*[@itemprop="hiringOrganization"]') or scope)} if scope.xpath('.//*[@itemprop="hiringOrganization"]') else None,
            "jobLocation": {"address": {"addressLocality": prop("addressLocality"), "addressRegion": prop("addressRegion"), "addressCountry": prop("addressCountry")}},
        })
    return out


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return clean(value)


def _location(value: Any) -> str | None:
    places = value if isinstance(value, list) else [value]
    out = []
    for p in places:
        addr = p.get("address") if isinstance(p, dict) else None
        if isinstance(addr, dict):
            country = addr.get("addressCountry")
            country = country.get("name") if isinstance(country, dict) else country
            text = ", ".join(x for x in (clean(addr.get("addressLocality")), clean(addr.get("addressRegion")), clean(country)) if x)
        else:
            text = clean(addr) or (clean(p.get("name")) if isinstance(p, dict) else clean(p))
        if text:
            out.append(text)
    return "; ".join(out) or None


def to_job(obj: dict[str, Any], *, source_key: str, page_url: str) -> JobPosting:
    """Turn one schema.org JobPosting into a JobPosting (raises MalformedRecord)."""
    title = clean(obj.get("title"))
    if not title:
        raise MalformedRecord(f"{page_url}: JobPosting without a title")
    ident = obj.get("identifier")
    ext = clean(ident.get("value")) if isinstance(ident, dict) else clean(ident)
    salary = obj.get("baseSalary") if isinstance(obj.get("baseSalary"), dict) else {}
    sval = salary.get("value") if isinstance(salary.get("value"), dict) else {}
    etype = obj.get("employmentType")
    url = clean(obj.get("url")) or page_url
    return JobPosting(
        source_kind="careers",
        source_key=source_key,
        external_id=ext or url,
        title=title,
        description=html_to_text(obj.get("description")),
        company=_name(obj.get("hiringOrganization")),
        location=_location(obj.get("jobLocation")),
        remote=True if str(obj.get("jobLocationType", "")).upper() == "TELECOMMUTE" else None,
        url=url,
        employment_type=", ".join(etype) if isinstance(etype, list) else clean(etype),
        salary_min=sval.get("minValue") or sval.get("value"),
        salary_max=sval.get("maxValue"),
        salary_currency=clean(salary.get("currency")),
        salary_period=clean(sval.get("unitText")).lower() if clean(sval.get("unitText")) else None,
        posted_at=parse_datetime(obj.get("datePosted")),
    )
