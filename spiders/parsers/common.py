"""Provides helpers shared by the parsers: text, dates, workplace, pay, and the malformed-record error.

The text cleaner and the date parser live in `sourcing` (`sourcing.textclean`,
`sourcing.dates`) because the ranker and the importers use the same ones; they are
re-exported here so each parser imports its helpers from one place.
"""

from __future__ import annotations

import re
from typing import Any

from sourcing.dates import parse_datetime
from sourcing.pay import Pay, parse_pay
from sourcing.textclean import clean_text, html_to_text

__all__ = [
    "MalformedPayload", "MalformedRecord", "clean", "html_to_text", "is_remote", "parse_datetime",
    "pay_fields", "require", "stated_pay", "workplace",
]


class MalformedRecord(ValueError):
    """One record of a payload cannot become an item; the message says why (it is dropped)."""


class MalformedPayload(ValueError):
    """A whole payload has the wrong shape (an error page, truncated JSON, …)."""


def clean(value: Any) -> str | None:
    """Return a one-line field stripped, with NBSP and other odd spaces made plain, or None when empty."""
    return clean_text(value)


def require(obj: Any, key: str, what: str) -> Any:
    """Return `obj[key]`, raising MalformedRecord naming `what` when it is missing or empty."""
    if not isinstance(obj, dict):
        raise MalformedRecord(f"{what}: expected an object, got {type(obj).__name__}")
    value = obj.get(key)
    if value in (None, "", [], {}):
        raise MalformedRecord(f"{what}: missing '{key}'")
    return value


def is_remote(*texts: Any) -> bool | None:
    """Return True when any text says remote, None when nothing says anything."""
    seen = False
    for t in texts:
        if t is None:
            continue
        seen = True
        if re.search(r"\bremote\b|\btelecommut|\bwfh\b|home[- ]?office", str(t), re.I):
            return True
    return False if seen else None


_WORKPLACE_WORDS = [
    # (workplace, pattern over a source's own label); hybrid first: "Hybrid (remote 2 days)" is hybrid.
    ("hybrid", r"hybrid|hybride|partly remote|partially remote|teilweise remote"),
    ("onsite", r"on[- _]?site|in[- _]?office|office[- ]based|onsite|in[- ]person|presentiel|vor ort"),
    ("remote", r"remote|telecommute|work from home|wfh|fully[- ]distributed|teletravail|home[- ]?office"),
]


def workplace(label: Any = None, *, remote: Any = None) -> str | None:
    """Return "remote", "hybrid" or "onsite" from a source's workplace label and/or remote flag.

    The label wins over the flag: Ashby sends `isRemote: true` with `workplaceType:
    "Hybrid"` for hybrid postings, which are not remote jobs. A label that says
    nothing known ("unspecified") falls back to the flag; a false flag alone says
    only "not fully remote" and gives None.

    Args:
        label: the source's workplace field (`workplaceType`, `jobLocationType`, …).
        remote: the source's remote boolean, when it has one.
    """
    text = clean(label)
    if text:
        folded = text.lower().replace("_", " ")
        if folded == "telecommute":
            return "remote"
        for kind, pattern in _WORKPLACE_WORDS:
            if re.search(pattern, folded):
                return kind
    return "remote" if remote is True else None


def pay_fields(pay: Pay | None, *, text: str | None = None) -> dict[str, Any]:
    """Return the JobPosting salary keyword arguments for `pay` (empty when there is none).

    Args:
        pay: what `parse_pay` found.
        text: the stated pay to keep as `salary_text` (defaults to the line the pay was found on).
    """
    if pay is None:
        return {"salary_text": clean(text)} if clean(text) else {}
    return {"salary_min": pay.min, "salary_max": pay.max, "salary_currency": pay.currency,
            "salary_period": pay.period, "salary_text": clean(text) or pay.text}


def stated_pay(text: Any) -> dict[str, Any]:
    """Salary fields from a field that is about pay by definition (Lever `salaryDescriptionPlain`,
    Personio `salaryInformation`): the text is kept even when no amount can be read from it."""
    plain = html_to_text(text) if text else ""
    if not plain:
        return {}
    return pay_fields(parse_pay(plain, require_context=False), text=plain.replace("\n", " "))
