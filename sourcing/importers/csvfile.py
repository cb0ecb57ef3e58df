"""Provides the CSV importer: one candidate per row, through a documented column mapping.

The header row is required. Header names are matched case-insensitively, ignoring
spaces, dashes and underscores; each field accepts the aliases in `COLUMNS`.
List fields (skills, titles, languages, links) are split on `;`, or on `,` when
the cell has no `;`. The delimiter (`,`, `;`, tab or `|`) is the one used most in the header line.

Columns the product does not need (phone, address, date of birth, photo, …) are
ignored on purpose. A bad row is reported as `file.csv:LINE` and the other rows
are imported.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sourcing.errors import ImportFailed
from sourcing.importers.common import (
    SOURCE_KIND,
    Parsed,
    clean,
    decode_text,
    external_id_for,
    find_emails,
    github_login,
    redact,
    require_content,
    split_list,
)
from sourcing.models import ProfileRecord

SOURCE_KEY = "import:csv"

# field -> accepted header names (normalised: lower case, no spaces/dashes/underscores)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "candidate", "candidatename"),
    "first_name": ("firstname", "givenname", "prenom", "prénom"),
    "last_name": ("lastname", "surname", "familyname", "nom"),
    "email": ("email", "mail", "emailaddress"),
    "headline": ("headline", "label", "currenttitle", "jobtitle", "position"),
    "location": ("location", "city", "based"),
    "region": ("region", "state"),
    "country": ("country", "countrycode"),
    "skills": ("skills", "skill", "keywords", "competences", "compétences"),
    "summary": ("summary", "about", "bio", "profile"),
    "url": ("url", "profileurl", "website", "homepage", "linkedin", "portfolio"),
    "github": ("github", "githublogin", "githubusername"),
    "titles": ("titles", "pasttitles", "roles"),
    "languages": ("languages", "language"),
    "links": ("links", "urls", "extraurls", "otherurls"),
    "remote": ("remote", "openremote"),
    "relocate": ("relocate", "willingtorelocate", "relocation"),
    "text": ("resume", "resumetext", "cv", "cvtext"),
}
DELIMITERS = (",", ";", "\t", "|")
_ALIAS = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
_TRUE = {"yes", "y", "true", "1", "oui", "x"}
_FALSE = {"no", "n", "false", "0", "non"}


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


def parse(path: Path, data: bytes) -> Parsed:
    """Turn a CSV file into one `ProfileRecord` per row.

    Raises:
        ImportFailed: bad encoding, no header, or no recognised column. A bad row
            is returned in `Parsed.failures` instead, and the other rows go on.
    """
    text = decode_text(path, data)
    if not text.strip():
        raise ImportFailed(str(path), "no content: the CSV has no rows")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), quotechar='"')
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFailed(str(path), f"cannot read the CSV header ({exc})") from exc
    mapping = {i: _ALIAS[_norm(h)] for i, h in enumerate(header) if _norm(h) in _ALIAS}
    if not mapping:
        expected = ", ".join(k for k in COLUMNS if k not in ("first_name", "last_name"))
        raise ImportFailed(str(path), f"no recognised column in the header {header!r}; expected some of: {expected}")
    out = Parsed()
    rows = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            out.failures.append(ImportFailed(f"{path}:{line}", _row_error(exc)))
            if "field larger than field limit" in str(exc):
                break  # the reader is lost inside the huge cell: the rows after it are not trustworthy
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        where = f"{path}:{line}"
        if len(row) > len(header):
            out.failures.append(ImportFailed(where, f"row has {len(row)} cells, the header has {len(header)} (unquoted delimiter?)"))
            continue
        fields = {name: row[i] for i, name in mapping.items() if i < len(row)}
        try:
            out.add(_record(where, fields, "\x1f".join(row)), where)
        except ImportFailed as exc:
            out.failures.append(exc)
    if rows == 0 and out.failures:
        first = out.failures[0]
        raise ImportFailed(first.path, first.reason)
    if rows == 0:
        raise ImportFailed(str(path), "no content: the CSV has a header but no rows")
    return out


def _row_error(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (f"a cell is longer than {csv.field_size_limit():,} characters (an unclosed quote, or not "
                "résumé data); this row and the rest of the file were not read")
    return f"unreadable CSV row ({exc})"


def _delimiter(text: str) -> str:
    """The delimiter is the candidate most frequent in the header line.

    The header alone decides: csv.Sniffer, fed with rows, is fooled by cells full of
    `;` or `,` (skills lists, summaries).
    """
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _bool(where: str, field: str, value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ImportFailed(where, f"column '{field}': {value!r} is not yes/no")


def _record(where: str, f: dict[str, str], raw: str) -> ProfileRecord:
    name = clean(f.get("name")) or clean(" ".join(v for v in (f.get("first_name", "").strip(), f.get("last_name", "").strip()) if v))
    email = clean(f.get("email"))
    if email is not None:
        found = find_emails(email)
        if len(found) != 1 or found[0] != email:
            raise ImportFailed(where, f"column 'email': {email!r} is not an e-mail address")
    url = clean(f.get("url"))
    if url is not None and not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url if "." in url and " " not in url else None
    links = [u for u in split_list(f.get("links")) if u != url]
    login = clean(f.get("github"))
    if login and "/" in login:
        login = github_login(login)
    login = login or github_login(url) or next((g for u in links if (g := github_login(u))), None)
    location = ", ".join(v for v in (clean(f.get("location")), clean(f.get("region")), clean(f.get("country"))) if v)
    record = ProfileRecord(
        source_kind=SOURCE_KIND,
        source_key=SOURCE_KEY,
        external_id=external_id_for(email, url, raw),
        name=name,
        email=email,
        url=url,
        github_login=login,
        headline=clean(f.get("headline")),
        location=location or None,
        remote=_bool(where, "remote", f.get("remote")),
        willing_to_relocate=_bool(where, "relocate", f.get("relocate")),
        summary=redact(clean(f.get("summary")) or ""),
        skills=split_list(f.get("skills")),
        titles=split_list(f.get("titles")),
        languages=split_list(f.get("languages")),
        extra_urls=links,
        text=redact(clean(f.get("text")) or ""),
    )
    # An anonymous résumé (text or skills only) is still worth ranking; an empty row is not.
    return require_content(where, record)
