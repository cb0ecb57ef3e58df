"""Provides `parse_datetime`: every date a source sends, as an aware UTC datetime (or None).

The formats met on real payloads: ISO 8601 with or without offset and fractions
(Greenhouse, Ashby, SmartRecruiters, GitHub, HN), `2026-08-11 20:45:29 UTC`
(Recruitee), bare dates `2024-01-15` (Workable, JSON-LD `datePosted`), RFC 2822
(`Tue, 15 Nov 1994 08:12:31 GMT`, feeds and HTTP headers), epoch seconds
(Arbeitnow, HN `created_at_i`, RemoteOK `epoch`) and epoch milliseconds (Lever),
as numbers or digit strings. python-dateutil parses the text forms; a value without
a zone is taken as UTC; a value that is not a date, or falls outside 1970–2100,
gives None rather than a wrong date.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone
from typing import Any

from dateutil import parser as _parser
from dateutil import tz as _tz

# Zone abbreviations dateutil cannot resolve alone (it knows UTC/GMT/Z and the local zone).
_TZINFOS = {
    "UTC": timezone.utc, "GMT": timezone.utc, "Z": timezone.utc, "UT": timezone.utc,
    "CET": _tz.tzoffset("CET", 3600), "CEST": _tz.tzoffset("CEST", 7200),
    "BST": _tz.tzoffset("BST", 3600), "IST": _tz.tzoffset("IST", 19800),
    "EST": _tz.tzoffset("EST", -5 * 3600), "EDT": _tz.tzoffset("EDT", -4 * 3600),
    "CST": _tz.tzoffset("CST", -6 * 3600), "CDT": _tz.tzoffset("CDT", -5 * 3600),
    "MST": _tz.tzoffset("MST", -7 * 3600), "MDT": _tz.tzoffset("MDT", -6 * 3600),
    "PST": _tz.tzoffset("PST", -8 * 3600), "PDT": _tz.tzoffset("PDT", -7 * 3600),
}
_MIN = datetime(1970, 1, 2, tzinfo=timezone.utc)
_MAX = datetime(2100, 1, 1, tzinfo=timezone.utc)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Missing parts are filled from here: "March 2012" is 1 March; a date without a year falls out of range.
_DEFAULT = datetime(1900, 1, 1)


def _from_epoch(value: float) -> datetime | None:
    seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds (Lever) vs seconds
    try:
        dt = _EPOCH + timedelta(seconds=seconds)
    except OverflowError:
        return None
    return dt if _MIN <= dt < _MAX else None


def parse_datetime(value: Any) -> datetime | None:
    """Parse a source's date or timestamp to an aware UTC datetime.

    Args:
        value: a string in any of the formats above, an epoch number (seconds or
            milliseconds), a datetime, or None/"".

    Returns:
        The UTC datetime, or None when `value` is empty or is not a plausible date.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return dt.astimezone(timezone.utc)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    if text.lstrip("-").replace(".", "", 1).isdigit():
        # A short number ("2", "15") is a day to dateutil, never a timestamp a source meant.
        return _from_epoch(float(text)) if len(text.split(".")[0].lstrip("-")) >= 9 else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # UnknownTimezoneWarning: such a zone is taken as UTC below
            dt = _parser.parse(text, tzinfos=_TZINFOS, default=_DEFAULT)
    except (ValueError, OverflowError, TypeError):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    dt = dt.astimezone(timezone.utc)
    return dt if _MIN <= dt < _MAX else None
