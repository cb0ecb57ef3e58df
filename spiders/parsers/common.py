"""Provides helpers shared by the parsers: HTML to text, dates, and the malformed-record error."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from typing import Any

from w3lib.html import remove_tags, replace_entities


class MalformedRecord(ValueError):
    """One record of a payload cannot become an item; the message says why (it is dropped)."""


class MalformedPayload(ValueError):
    """A whole payload has the wrong shape (an error page, truncated JSON, …)."""


_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr|p|li|h\d)\b[^>]*>", re.I)


def html_to_text(markup: str | None, *, unescape_first: bool = False) -> str:
    """Return readable text from an HTML fragment (block tags become line breaks).

    Args:
        markup: the HTML.
        unescape_first: the HTML itself is entity-escaped (Greenhouse's `content`).
    """
    if not markup:
        return ""
    if unescape_first:
        markup = html.unescape(markup)
    text = _BLOCK.sub("\n", markup)
    text = replace_entities(remove_tags(text)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def parse_datetime(value: Any) -> datetime | None:
    """Parse an ISO-8601 string or an epoch (seconds or milliseconds) to aware UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    text = str(value).strip()
    if text.isdigit():
        return parse_datetime(int(text))
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def clean(value: Any) -> str | None:
    """Return a stripped string, or None for empty values."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


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
