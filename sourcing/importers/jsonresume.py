"""Provides the JSON Resume importer, validated against the official schema (v1.0.0).

The schema ships in `sourcing/importers/data/jsonresume.schema.json` (MIT,
jsonresume/resume-schema). Kept: name, e-mail, label (headline), city/region/
country, summary, profile URLs, skills and their keywords, work (title,
organisation, dates, summary), education, languages. Dropped on purpose: phone,
image, street address and postal code, references, and anything else.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sourcing.errors import ImportFailed
from sourcing.importers.common import (
    SOURCE_KIND,
    Parsed,
    clean,
    decode_text,
    external_id_for,
    github_login,
    require_content,
)
from sourcing.importers.limits import MAX_JSON_DEPTH, json_depth_ok, short
from sourcing.models import ProfileRecord

SOURCE_KEY = "import:jsonresume"


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema_text = resources.files("sourcing.importers").joinpath("data/jsonresume.schema.json").read_text("utf-8")
    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def parse_json_text(path: Path, text: str) -> Any:
    """Parse JSON, naming the line and column of a syntax error.

    Raises:
        ImportFailed: malformed JSON.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(str(path), f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except RecursionError:  # nested too deep for the parser itself
        too_deep = True
    else:
        too_deep = not json_depth_ok(doc)
    if too_deep:
        raise ImportFailed(str(path), f"refused: JSON nested more than {MAX_JSON_DEPTH} levels deep (a JSON Resume needs 4)")
    return doc


def validate(path: Path, doc: Any) -> None:
    """Check a document against the JSON Resume schema.

    Raises:
        ImportFailed: not an object, or a field breaks the schema (the field is named).
    """
    if not isinstance(doc, dict):
        raise ImportFailed(str(path), f"not a JSON Resume: the top-level value is {type(doc).__name__}, expected an object")
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = _field(first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        # The validator's message quotes the offending value, which can be huge: clipped.
        raise ImportFailed(str(path), f"not a valid JSON Resume: field {short(where, 80)}: {short(first.message, 120)}{more}")


def _field(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def parse(path: Path, data: bytes) -> Parsed:
    """Turn a JSON Resume file into one `ProfileRecord`.

    Raises:
        ImportFailed: bad encoding, malformed JSON, schema violation or no content.
    """
    doc = parse_json_text(path, decode_text(path, data))
    validate(path, doc)
    # The schema allows any extra keys, so other JSON (a JSON Resume *job*, say) validates too:
    # a résumé must at least say whose it is.
    basics = doc.get("basics")
    if not isinstance(basics, dict):
        raise ImportFailed(str(path), "not a JSON Resume: no 'basics' section (a job description or other JSON file?)")
    if not any(clean(basics.get(k)) for k in ("name", "email", "url")):
        raise ImportFailed(str(path), "no content: 'basics' has no name, email or url")
    out = Parsed()
    out.add(require_content(str(path), to_record(doc, data)), str(path))
    return out


def to_record(doc: dict[str, Any], raw: bytes = b"") -> ProfileRecord:
    """Map a validated JSON Resume document to a `ProfileRecord` (minimal fields only)."""
    basics = doc.get("basics") or {}
    loc = basics.get("location") or {}
    location = ", ".join(v for v in (clean(loc.get("city")), clean(loc.get("region")), clean(loc.get("countryCode"))) if v)
    email = clean(basics.get("email"))
    url = clean(basics.get("url"))
    profile_urls = [u for p in basics.get("profiles") or [] if (u := clean(p.get("url")))]
    # A network's bare home page (https://www.twitter.com) identifies nobody.
    profile_urls = [u for u in profile_urls if u.rstrip("/").count("/") > 2]
    login = next((g for u in [url, *profile_urls] if (g := github_login(u))), None)
    if login is None:
        login = next((clean(p.get("username")) for p in basics.get("profiles") or []
                      if (clean(p.get("network")) or "").lower() == "github"), None)
    skills: list[str] = []
    for s in doc.get("skills") or []:
        skills += [v for v in [clean(s.get("name")), *map(clean, s.get("keywords") or [])] if v]
    experience = [
        {k: v for k, v in (("title", clean(w.get("position"))), ("org", clean(w.get("name"))),
                           ("start", clean(w.get("startDate"))), ("end", clean(w.get("endDate"))),
                           ("summary", _join(w.get("summary"), w.get("highlights")))) if v}
        for w in doc.get("work") or []
    ]
    education = [
        {k: v for k, v in (("institution", clean(e.get("institution"))), ("area", clean(e.get("area"))),
                           ("studyType", clean(e.get("studyType")))) if v}
        for e in doc.get("education") or []
    ]
    main_url = url or (profile_urls[0] if profile_urls else None)
    return ProfileRecord(
        source_kind=SOURCE_KIND,
        source_key=SOURCE_KEY,
        external_id=external_id_for(email, main_url, raw),
        name=clean(basics.get("name")),
        email=email,
        url=main_url,
        github_login=login,
        headline=clean(basics.get("label")),
        location=location or None,
        summary=clean(basics.get("summary")) or "",
        skills=list(dict.fromkeys(skills)),
        titles=list(dict.fromkeys(e["title"] for e in experience if e.get("title"))),
        experience=[e for e in experience if e],
        education=[e for e in education if e],
        languages=[v for lang in doc.get("languages") or [] if (v := clean(lang.get("language")))],
        extra_urls=[u for u in profile_urls if u != main_url],
    )


def _join(summary: Any, highlights: Any) -> str | None:
    parts = [clean(summary)] + [clean(h) for h in highlights or []]
    text = " ".join(p for p in parts if p)
    return text or None
