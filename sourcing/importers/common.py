"""Provides what every importer shares: size limit, byte reading, text decoding, ids, redaction.

Rules that hold for every format:

- A file over the size limit is refused before it is read.
- Text formats are decoded as UTF-8, then UTF-8 with a BOM, then UTF-16 when the
  file starts with a UTF-16 BOM, then cp1252 only if the whole file decodes cleanly
  and contains no control characters; anything else is refused with the offending
  byte and its offset. A NUL byte in a text file means binary junk.
- Only the fields the product needs are kept: phone numbers, postal addresses,
  photos and dates of birth are dropped from structured input and redacted from
  free text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sourcing.errors import ImportFailed
from sourcing.models import ProfileRecord

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SOURCE_KIND = "import"

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL_RE = re.compile(r"https?://[^\s<>()\[\]\"',;]+", re.IGNORECASE)
_GITHUB_RE = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/?$", re.IGNORECASE)
# A run of at least 9 digits with the usual separators: phone numbers, not years or ranges.
_PHONE_RE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().\-/]{7,}\d(?![\w/])")
_DOB_LINE_RE = re.compile(
    r"^.*\b(date of birth|birth ?date|born on|d\.o\.b\.?|dob|date de naissance|n[ée]e? le)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
# C0 controls other than tab, LF, FF and CR never appear in real text files.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class Parsed:
    """What parsing one file gave: records, and per-record failures (e.g. bad CSV rows)."""

    records: list[ProfileRecord] = field(default_factory=list)
    failures: list[ImportFailed] = field(default_factory=list)
    wheres: list[str] = field(default_factory=list)  # where each record came from: file, or file:line

    def add(self, record: ProfileRecord, where: str) -> None:
        """Append a record and where it came from."""
        self.records.append(record)
        self.wheres.append(where)


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file after checking its size against the limit.

    Raises:
        ImportFailed: the file is missing, unreadable, empty or over `max_bytes`.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    if size > max_bytes:
        raise ImportFailed(
            str(path),
            f"file is {_mb(size)}, over the {_mb(max_bytes)} import limit (setting import.max_file_mb)",
        )
    if size == 0:
        raise ImportFailed(str(path), "empty file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(str(path), f"cannot read the file ({exc.strerror or exc})") from exc


def _mb(n: int) -> str:
    """Human size: `512 bytes`, `12.5 KB`, `10 MB`, `10.3 MB`."""
    if n < 1024:
        return f"{n} bytes"
    unit, div = ("KB", 1024) if n < 1024 * 1024 else ("MB", 1024 * 1024)
    return f"{n // div} {unit}" if n % div == 0 else f"{n / div:.1f} {unit}"


def decode_text(path: Path, data: bytes) -> str:
    """Decode a text file's bytes: UTF-8 (BOM dropped), UTF-16 (BOM only), then clean cp1252.

    Raises:
        ImportFailed: binary content, or an encoding none of the above decodes cleanly.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_controls(path, data.decode("utf-16"), "UTF-16")
        except UnicodeDecodeError as exc:
            raise ImportFailed(str(path), f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from exc
    if b"\x00" in data:
        return _binary(path, data)
    try:
        # utf-8-sig is UTF-8 that also drops a leading byte-order mark (Excel, Notepad).
        return _check_controls(path, data.decode("utf-8-sig"), "UTF-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise ImportFailed(
            str(path),
            f"unknown text encoding: byte 0x{bad:02x} at offset {exc.start} is neither UTF-8 nor cp1252; "
            "re-save the file as UTF-8",
        ) from exc
    if _CONTROL_RE.search(text):
        return _binary(path, data)
    # cp1252 decodes almost anything; a file that is mostly high bytes is not Western text.
    high = sum(1 for b in data if b >= 0x80)
    if high > len(data) * 0.3:
        bad = data[utf8_error.start]
        raise ImportFailed(
            str(path),
            f"unknown text encoding: byte 0x{bad:02x} at offset {utf8_error.start} is not UTF-8 and the file "
            "does not read as cp1252 text; re-save the file as UTF-8",
        )
    return text


def _check_controls(path: Path, text: str, encoding: str) -> str:
    if _CONTROL_RE.search(text):
        raise ImportFailed(str(path), f"binary content: control characters in what should be {encoding} text")
    return text


def _binary(path: Path, data: bytes) -> str:
    pos = data.find(b"\x00")
    where = f" (NUL byte at offset {pos})" if pos >= 0 else ""
    raise ImportFailed(str(path), f"binary content{where}: not a text file")


def sha1_id(*parts: str | bytes) -> str:
    """Return `sha1:<hex>` of the parts, for records with no e-mail or URL."""
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\x1f")
    return "sha1:" + h.hexdigest()


def external_id_for(email: str | None, url: str | None, *fallback: str | bytes) -> str:
    """A stable id: the e-mail, else the profile URL, else a SHA-1 of the content.

    E-mail and URL make a re-import of an edited résumé an update of the same
    profile; the content hash keeps an unchanged file unchanged wherever it lives.
    """
    if email:
        return "email:" + email.strip().lower()
    if url:
        return "url:" + url.strip()
    return sha1_id(*fallback)


def find_emails(text: str) -> list[str]:
    """Return the distinct e-mail addresses in a text, in order."""
    return list(dict.fromkeys(m.group(0).rstrip(".") for m in _EMAIL_RE.finditer(text)))


def find_urls(text: str) -> list[str]:
    """Return the distinct http(s) URLs in a text, in order (trailing punctuation dropped)."""
    return list(dict.fromkeys(m.group(0).rstrip(".:!?") for m in _URL_RE.finditer(text)))


def github_login(url: str | None) -> str | None:
    """Return the login of a `https://github.com/<login>` URL, else None."""
    if not url:
        return None
    m = _GITHUB_RE.match(url.strip())
    return m.group(1) if m else None


def redact(text: str) -> str:
    """Drop lines giving a date of birth and mask phone numbers in free text."""
    text = _DOB_LINE_RE.sub("", text)
    return _PHONE_RE.sub(_mask_phone, text)


def _mask_phone(m: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in m.group(0))
    # Date ranges like 2019-2021 or 2019 - 2021 have 8 digits: left alone.
    return "[phone removed]" if digits >= 9 else m.group(0)


def split_list(value: str | None) -> list[str]:
    """Split a skills-like cell on `;` (or `,` when there is no `;`), dropping blanks and duplicates."""
    if not value:
        return []
    sep = ";" if ";" in value else ","
    return list(dict.fromkeys(part.strip() for part in value.split(sep) if part.strip()))


def clean(value: object) -> str | None:
    """Return a stripped string, or None for blanks and non-strings."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def require_content(path: str, record: ProfileRecord) -> ProfileRecord:
    """Refuse a record with nothing to identify or rank the person by.

    Raises:
        ImportFailed: no name, e-mail, URL, skills, titles, summary or text.
    """
    if not (record.name or record.email or record.url or record.skills or record.titles
            or record.summary.strip() or record.text.strip()):
        raise ImportFailed(path, "no content: no name, e-mail, URL, skills, titles, summary or text found")
    return record
