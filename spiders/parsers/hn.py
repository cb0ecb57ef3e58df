"""Provides parsing of HN "Who is hiring?" / "Who wants to be hired?" comments (Algolia API).

Job posts open with a header line `Company | Role | Location | REMOTE | ...`; people
looking for work post `Location: / Remote: / Willing to relocate: / Technologies: /
Résumé: / Email:` lines about themselves.
"""

from __future__ import annotations

import html
import re
from typing import Any

from sourcing.models import JobPosting, ProfileRecord
from sourcing.pay import parse_pay
from spiders.parsers.common import MalformedPayload, MalformedRecord, clean, html_to_text, parse_datetime, require, workplace

ITEM_URL = "https://news.ycombinator.com/item?id={}"

_EMPLOYMENT = re.compile(r"full[- ]?time|part[- ]?time|contract|freelance|intern|permanent|temporary|\bft\b|\bpt\b", re.I)
_SALARY = re.compile(r"[$€£]|\b\d+\s?k\b|salary|equity|\bcomp\b", re.I)
_ROLE = re.compile(r"engineer|developer|specialist|manager|designer|advocate|\blead\b|scientist|analyst|\bsre\b|architect|director|\bhead of|intern\b|researcher|consultant|administrator|technician|recruiter|marketer", re.I)
_OTHER = re.compile(r"https?://|www\.|\.(com|io|ai|co|dev)\b|visa|sponsor", re.I)


def hits(payload: Any) -> list[Any]:
    """Return the comment hits of an Algolia search page (or of the re-wrapped recording)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("hits"), list):
        raise MalformedPayload("expected an object with a 'hits' array (HN Algolia API)")
    return payload["hits"]


def latest_thread(payload: Any, title_prefix: str) -> str | None:
    """Return the objectID of the newest story whose title starts with `title_prefix`."""
    # "Ask HN: Who is Hiring? (March 2012)": the capitalisation changed over the years.
    prefix = title_prefix.casefold()
    stories = [h for h in hits(payload) if str(h.get("title") or "").casefold().startswith(prefix)]
    stories.sort(key=lambda h: h.get("created_at_i") or 0, reverse=True)
    return str(stories[0]["objectID"]) if stories else None


def is_top_level(hit: dict[str, Any], story_id: Any) -> bool:
    """Replies to other comments are not posts (questions to the poster, etc.)."""
    parent = hit.get("parent_id")
    return parent is None or str(parent) == str(story_id if story_id is not None else hit.get("story_id"))


def header_line(comment_html: str) -> str:
    """Return the first line of a comment (before the first paragraph or line break)."""
    first = re.split(r"<p>|<br\s*/?>|\n", comment_html or "", maxsplit=1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", first)).strip()


_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|io|ai|co|dev|org|net|app)\b(?:/\S*)?", re.I)
_WORKPLACE_WORDS = re.compile(r"\b(?:remote|hybrid|on-?site|in[- ](?:office|person)|onsite)\b|\bor\b", re.I)


def _company(part: str) -> tuple[str, list[str]]:
    """`Clutch https://www.clutchapp.io - building …`: the name before the link; the link goes to extras."""
    links = _LINK.findall(part)
    if not links:
        return part, []
    name = part[:part.find(links[0])].strip(" -–—,:(")
    return (name or links[0]), [links[0]]


def parse_header(line: str) -> dict[str, Any]:
    """Split `Company | Role | Location | REMOTE | Full-time | $…` into named fields.

    Segments are read by what they say, not by position: real headers put the
    company's URL second (`Woosmap | https://www.woosmap.com/ | Backend Engineer | …`)
    or the employment type before the role (`Clutch | Full-time | Head of AI | …`).
    The first segment naming a role is the title; failing one, the first plain
    segment is. Workplace words go through the shared model (`in-person` is on-site).
    """
    parts = [p.strip() for p in line.split("|") if p.strip()]
    if len(parts) < 2:
        raise MalformedRecord(f"no 'Company | Role | Location' header line: {line[:80]!r}")
    company, extra = _company(parts[0])
    out: dict[str, Any] = {"company": company, "title": None, "location": None, "remote": None,
                           "workplace": None, "employment_type": None, "salary": None, "extra": extra}
    plain: list[str] = []
    for part in parts[1:]:
        where = workplace(part)
        if _LINK.fullmatch(part):
            out["extra"].append(part)
        elif out["title"] is None and _ROLE.search(part) and not where:
            out["title"] = part
        elif where:
            # hybrid wins over remote, remote over on-site: "HYBRID (London) or REMOTE (UTC±2)" is hybrid.
            rank = {"hybrid": 3, "remote": 2, "onsite": 1}
            if rank[where] > rank.get(out["workplace"] or "", 0):
                out["workplace"] = where
            out["remote"] = out["workplace"] == "remote"
            if out["location"] is None and re.search(r"[A-Za-z]{2}", _WORKPLACE_WORDS.sub("", part)):
                out["location"] = part  # "NYC (hybrid)", "Remote (EMEA)" name the place too
        elif _EMPLOYMENT.search(part):
            out["employment_type"] = out["employment_type"] or part
        elif _SALARY.search(part):
            out["salary"] = out["salary"] or part
        elif _OTHER.search(part) or _ROLE.search(part):
            out["extra"].append(part)  # a visa note, or a second role the company is hiring for
        else:
            plain.append(part)
    if out["title"] is None and plain:
        out["title"] = plain.pop(0)
    if out["location"] is None and plain:
        out["location"] = plain.pop(0)
    out["extra"] += plain
    if out["title"] is None:
        raise MalformedRecord(f"no role in the header line: {line[:80]!r}")
    return out


def to_job(hit: Any, *, source_key: str) -> JobPosting:
    """Turn one top-level "Who is hiring?" comment into a JobPosting (raises MalformedRecord)."""
    ext = require(hit, "objectID", "hn comment")
    body = require(hit, "comment_text", f"hn comment {ext}")
    head = parse_header(header_line(body))
    pay = parse_pay(head["salary"], require_context=False) if head["salary"] else None
    return JobPosting(
        source_kind="hn_jobs",
        source_key=source_key,
        external_id=str(ext),
        title=head["title"],
        description=html_to_text(body),
        company=head["company"],
        location=head["location"],
        workplace=head["workplace"],
        remote=head["remote"],
        url=ITEM_URL.format(ext),
        employment_type=head["employment_type"],
        posted_at=parse_datetime(hit.get("created_at_i") or hit.get("created_at")),
        tags=[t for t in [head["salary"], *head["extra"]] if t],
        salary_min=pay.min if pay else None,
        salary_max=pay.max if pay else None,
        salary_currency=pay.currency if pay else None,
        salary_period=pay.period if pay else None,
        salary_text=head["salary"] if pay else None,
    )


_FIELD = re.compile(r"^\s*(location|remote|willing to relocate|relocate|technologies|tech|skills|r[ée]sum[ée](?:/cv)?|cv|email|e-mail)\s*:\s*(.*)$", re.I)
_URL = re.compile(r"https?://[^\s<>\"')]+")


def deobfuscate_email(text: str) -> str | None:
    """Return an e-mail address from `me [at] example [dot] com`-style text, or None."""
    t = re.sub(r"\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+", "@", text, flags=re.I)
    t = re.sub(r"\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+", ".", t, flags=re.I)
    m = re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", t)
    return m.group(0).lower() if m else None


def _yes(value: str) -> bool | None:
    v = value.strip().lower()
    if re.match(r"^(yes|y|sure|ok|open|remote only|only)\b", v):
        return True
    if re.match(r"^(no|n|not)\b", v):
        return False
    return None


def to_profile(hit: Any, *, source_key: str) -> ProfileRecord:
    """Turn one top-level "Who wants to be hired?" comment into a ProfileRecord (raises MalformedRecord)."""
    ext = require(hit, "objectID", "hn comment")
    body = require(hit, "comment_text", f"hn comment {ext}")
    text = html_to_text(body)
    fields: dict[str, str] = {}
    rest: list[str] = []
    for line in text.splitlines():
        m = _FIELD.match(line)
        if m:
            name = m.group(1).lower()
            name = {"relocate": "willing to relocate", "tech": "technologies", "skills": "technologies", "e-mail": "email", "cv": "résumé"}.get(name, name)
            if name.startswith(("resume", "résumé", "resumé", "résume")):
                name = "résumé"
            fields[name] = m.group(2).strip()
        elif line.strip():
            rest.append(line.strip())
    if "location" not in fields and "technologies" not in fields:
        raise MalformedRecord(f"hn comment {ext}: no 'Location:' or 'Technologies:' lines (not a self-description)")
    skills = [s.strip() for s in re.split(r"[,;/]| and ", fields.get("technologies", "")) if s.strip()]
    urls = list(dict.fromkeys(_URL.findall(text)))
    author = clean(hit.get("author"))
    return ProfileRecord(
        source_kind="hn_candidates",
        source_key=source_key,
        external_id=str(ext),
        url=ITEM_URL.format(ext),
        email=deobfuscate_email(fields["email"]) if fields.get("email") else None,
        headline=rest[0][:200] if rest else None,
        location=clean(fields.get("location")),
        remote=_yes(fields["remote"]) if "remote" in fields else None,
        willing_to_relocate=_yes(fields["willing to relocate"]) if "willing to relocate" in fields else None,
        skills=skills,
        extra_urls=urls + ([f"https://news.ycombinator.com/user?id={author}"] if author else []),
        text=text,
    )
