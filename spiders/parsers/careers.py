"""Provides extraction of schema.org `JobPosting` records from career-site pages (JSON-LD and microdata)."""

from __future__ import annotations

import json
from typing import Any, Iterator

from parsel import Selector

from sourcing.models import JobPosting
from sourcing.pay import parse_pay
from spiders.parsers.common import MalformedRecord, clean, html_to_text, parse_datetime, pay_fields, workplace


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


def _loads_lenient(block: str) -> Any:
    """`json.loads`, then once more with the quotes a template left unescaped inside a string escaped.

    Sites render JSON-LD from templates that paste HTML into a string as is
    (`"description": "<h1 id="intro">…"`): the string ends at the attribute's quote and
    the decoder stops at the next character. A quote that ends a string must be followed
    by `,` `}` `]` or `:`; one followed by anything else is text, so it is escaped and
    decoding resumes. Raises the error left when that does not give valid JSON.
    """
    try:
        return json.loads(block, strict=False)
    except json.JSONDecodeError as first:
        text, error = block, first
        for _ in range(block.count('"')):
            if not error.msg.startswith("Expecting ',' delimiter"):
                break
            quote = text.rfind('"', 0, error.pos)
            if quote <= 0 or text[quote - 1] == "\\":
                break
            text = text[:quote] + '\\"' + text[quote + 1:]
            try:
                return json.loads(text, strict=False)
            except json.JSONDecodeError as exc:
                error = exc
        raise error from None


def jsonld_postings(html_text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Return (JobPosting objects found in JSON-LD blocks, reasons for blocks that are not valid JSON)."""
    sel = Selector(text=html_text)
    found, bad = [], []
    for i, block in enumerate(sel.css('script[type="application/ld+json"]::text').getall()):
        try:
            data = _loads_lenient(block)
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


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip()) if clean(value) else None
    except ValueError:
        return None


def _prop(obj: dict[str, Any], name: str) -> Any:
    """Property `name` of a schema.org node; hand-written markup also spells it `Value`, `unittext`…"""
    if name in obj:
        return obj[name]
    lower = name.lower()
    return next((v for k, v in obj.items() if isinstance(k, str) and k.lower() == lower), None)


def _salary(obj: dict[str, Any], description: str) -> dict[str, Any]:
    """schema.org `baseSalary` (MonetaryAmount with a QuantitativeValue, or a bare number/text); else the text."""
    salary = obj.get("baseSalary") or obj.get("estimatedSalary")
    salary = salary[0] if isinstance(salary, list) and salary else salary
    if isinstance(salary, dict):
        sval = _prop(salary, "value")
        unit = None
        if isinstance(sval, dict):
            lo = _number(_prop(sval, "minValue")) if _prop(sval, "minValue") is not None else _number(_prop(sval, "value"))
            hi = _number(_prop(sval, "maxValue")) if _prop(sval, "maxValue") is not None else _number(_prop(sval, "value"))
            unit = clean(_prop(sval, "unitText"))
        else:
            lo = hi = _number(sval)
        if lo is not None or hi is not None:
            return {"salary_min": lo, "salary_max": hi, "salary_currency": clean(_prop(salary, "currency")),
                    "salary_period": unit.lower() if unit else None}
    elif clean(salary):
        return pay_fields(parse_pay(str(salary), require_context=False), text=str(salary))
    return pay_fields(parse_pay(description))


def _workplace(obj: dict[str, Any]) -> str | None:
    """`jobLocationType: TELECOMMUTE` is remote; some sites write "hybrid"/"on-site" there instead."""
    kinds = obj.get("jobLocationType")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    found = [workplace(k) for k in kinds if clean(k)]
    if "hybrid" in found:
        return "hybrid"
    if "remote" in found:
        # A remote job that also names an office to attend is hybrid only when the site says so.
        return "remote"
    return next((w for w in found if w), None)


def to_job(obj: dict[str, Any], *, source_key: str, page_url: str) -> JobPosting:
    """Turn one schema.org JobPosting into a JobPosting (raises MalformedRecord)."""
    title = clean(obj.get("title"))
    if not title:
        raise MalformedRecord(f"{page_url}: JobPosting without a title")
    ident = obj.get("identifier")
    ext = clean(ident.get("value")) if isinstance(ident, dict) else clean(ident)
    etype = obj.get("employmentType")
    url = clean(obj.get("url"))
    url = url if url and url.startswith(("http://", "https://")) else page_url
    description = html_to_text(obj.get("description"))
    return JobPosting(
        source_kind="careers",
        source_key=source_key,
        external_id=ext or url,
        title=title,
        description=description,
        company=_name(obj.get("hiringOrganization")),
        location=_location(obj.get("jobLocation")),
        workplace=_workplace(obj),
        url=url,
        employment_type=", ".join(etype) if isinstance(etype, list) else clean(etype),
        posted_at=parse_datetime(obj.get("datePosted")),
        **_salary(obj, description),
    )
