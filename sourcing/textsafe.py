"""Provides control-character hygiene: cleaned on the way into the store, escaped on the way to a terminal.

Text from a résumé, a crawled page or a CSV cell may carry terminal escape sequences
(`ESC[2J` clears the screen, `ESC]0;…BEL` sets the window title). Two rules:

- At write time (`clean_text`, `clean_record`): whole ANSI sequences and every other
  C0/C1 control character are removed; free text (summaries, descriptions, résumé
  text) keeps newlines and tabs, one-line fields (name, headline, title, …) turn them
  into spaces. CR and CRLF become LF.
- At every terminal output (`for_terminal`, `terminal_tree`): anything that is still a
  control character (data stored by an older version, a value from elsewhere) is shown
  as a visible escape such as `\\x1b` instead of being sent to the terminal.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

T = TypeVar("T")

# CSI (ESC [ ... final byte, or the 8-bit CSI 0x9b), OSC/DCS/PM/APC strings up to BEL or ST,
# and two-character escapes: removed whole, so no "[2J" debris is left in a name.
_ANSI_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]P^_X]|[\x90\x9d\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ANY = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TERMINAL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

ONE_LINE_FIELDS = frozenset({
    "name", "email", "url", "github_login", "headline", "location", "title", "company", "department",
    "employment_type", "seniority", "salary_currency", "salary_period", "credit", "source_key",
    "external_id", "source_kind", "reason",
})


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Remove ANSI sequences and control characters; keep LF and tab only when `multiline`."""
    if not (_TERMINAL_RE if multiline else _CONTROL_ANY).search(value):
        return value  # the common case: one scan, no copy (CR is in _TERMINAL_RE, so CRLF is normalised)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _ANSI_RE.sub("", value)
    if multiline:
        return _CONTROL_MULTILINE.sub("", value)
    return _CONTROL_ANY.sub(lambda m: " " if m.group(0) in "\n\t" else "", value)


def clean_value(value: Any, *, multiline: bool = True) -> Any:
    """`clean_text` applied to a string, or to every string inside lists and dicts (keys too)."""
    if isinstance(value, str):
        return clean_text(value, multiline=multiline)
    if isinstance(value, list):
        return [clean_value(v, multiline=multiline) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_value(v, multiline=multiline) for v in value)
    if isinstance(value, dict):
        return {clean_value(k, multiline=False): clean_value(v, multiline=k not in ONE_LINE_FIELDS)
                for k, v in value.items()}
    return value


def clean_record(record: T) -> T:
    """A copy of a dataclass record (`ProfileRecord`, `JobPosting`) with every text field cleaned.

    One-line fields (`ONE_LINE_FIELDS`) also lose newlines and tabs; list items (skills,
    titles, URLs) are one-line too. The same object is returned when nothing changes.
    """
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if isinstance(value, str):
            cleaned = clean_text(value, multiline=f.name not in ONE_LINE_FIELDS)
        elif isinstance(value, list):
            cleaned = [clean_value(v, multiline=not isinstance(v, str)) for v in value]
        elif isinstance(value, dict):
            cleaned = clean_value(value)
        else:
            continue
        if cleaned != value:
            changes[f.name] = cleaned
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]


def _escape(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group(0)):02x}"


def for_terminal(value: Any, *, multiline: bool = True) -> str:
    """`str(value)` with control characters shown as `\\xNN` (LF and tab kept when `multiline`)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text  # fast for the usual short field
    pattern = _TERMINAL_RE if multiline else _CONTROL_ANY
    return pattern.sub(_escape, text) if pattern.search(text) else text


def terminal_tree(value: Any) -> Any:
    """`for_terminal` applied to every string inside lists, tuples and dicts (other values unchanged)."""
    if isinstance(value, str):
        return for_terminal(value)
    if isinstance(value, list):
        return [terminal_tree(v) for v in value]
    if isinstance(value, tuple):
        return tuple(terminal_tree(v) for v in value)
    if isinstance(value, dict):
        return {k: terminal_tree(v) for k, v in value.items()}
    return value


_C1_RE = re.compile(r"[\x7f-\x9f]")


def json_for_terminal(text: str) -> str:
    """JSON text with C1 controls as `\\u00NN` (json.dumps escapes C0 itself, not C1, with ensure_ascii=False)."""
    return _C1_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
