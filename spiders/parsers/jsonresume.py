"""Provides parsing of JSON Resume documents (https://jsonresume.org/schema) into profiles.

Only the fields the product needs are kept: no phone number, street address or picture.
"""

from __future__ import annotations

import re
from typing import Any

from sourcing.models import ProfileRecord
from spiders.parsers.common import MalformedRecord, clean


_GITHUB_URL = re.compile(r"https?://(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/?$")


def to_profile(doc: Any, *, source_key: str, url: str) -> ProfileRecord:
    """Turn a resume.json document published at `url` into a ProfileRecord (raises MalformedRecord)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("basics"), dict):
        raise MalformedRecord(f"{url}: not a JSON Resume document (no 'basics' object)")
    b = doc["basics"]
    loc = b.get("location") if isinstance(b.get("location"), dict) else {}
    profiles = [p for p in b.get("profiles") or [] if isinstance(p, dict)]
    # `website` is the 0.0.x schema's name for `url`; both are common in the wild.
    site = clean(b.get("url")) or clean(b.get("website"))
    github = next((clean(p.get("username")) for p in profiles if str(p.get("network", "")).lower() == "github"), None)
    if github is None:
        urls = [str(p.get("url") or "") for p in profiles] + [site or ""]
        github = next((m.group(1) for m in (_GITHUB_URL.match(u) for u in urls) if m), None)
    work = [w for w in doc.get("work") or [] if isinstance(w, dict)]
    skills: list[str] = []
    for s in doc.get("skills") or []:
        if isinstance(s, str):
            skills += [s.strip()] if s.strip() else []
        elif isinstance(s, dict):
            keywords = [k for k in map(clean, s.get("keywords") or []) if k]
            # With keywords, `name` is the group's heading ("Languages", "Tools"), not a skill.
            skills += keywords or [x for x in [clean(s.get("name"))] if x]
    return ProfileRecord(
        source_kind="jsonresume",
        source_key=source_key,
        external_id=url,
        name=clean(b.get("name")),
        email=clean(b.get("email")),
        url=url,
        github_login=github,
        headline=clean(b.get("label")),
        location=", ".join(x for x in (clean(loc.get("city")), clean(loc.get("region")), clean(loc.get("countryCode"))) if x) or None,
        summary=clean(b.get("summary")) or "",
        skills=list(dict.fromkeys(skills)),
        titles=[t for t in (clean(w.get("position")) for w in work) if t],
        experience=[
            {"title": clean(w.get("position")), "org": clean(w.get("name")) or clean(w.get("company")),
             "start": clean(w.get("startDate")),
             "end": clean(w.get("endDate")), "summary": clean(w.get("summary")) or ""}
            for w in work
        ],
        education=[
            {"institution": clean(e.get("institution")), "area": clean(e.get("area")), "studyType": clean(e.get("studyType"))}
            for e in doc.get("education") or [] if isinstance(e, dict)
        ],
        languages=[x for x in (clean(lang.get("language")) or clean(lang.get("name"))
                               for lang in doc.get("languages") or [] if isinstance(lang, dict)) if x],
        extra_urls=list(dict.fromkeys(u for u in [site, *(clean(p.get("url")) for p in profiles)] if u)),
    )
