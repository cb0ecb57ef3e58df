"""Provides the free-text résumé importer (plain text, Markdown, and text pulled from PDF/DOCX).

A résumé without structure is kept mostly as text (the ranker embeds it), plus a
few fields found by simple, predictable rules:

- name: the first non-empty line (Markdown `#` and emphasis stripped; a "Curriculum
  Vitae" heading above it skipped) when it looks like a name: 2-5 capitalised words
  (particles like "de", "van" aside), no digits, no `@`, no URL, no job-title or
  section-heading word;
- headline: the next short line that is not contact details;
- e-mail: the first address in the text; URLs: the first is the profile URL, the
  rest are extra links (a github.com/<login> URL gives the GitHub login);
- `Skills:`, `Location:`, `Languages:`, `Titles:` labelled lines fill those fields.

Phone numbers are masked and date-of-birth lines removed before anything is kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from sourcing.errors import ImportFailed
from sourcing.importers.common import (
    SOURCE_KIND,
    Parsed,
    decode_text,
    external_id_for,
    find_emails,
    find_urls,
    github_login,
    redact,
    split_list,
)
from sourcing.importers.limits import cap_text
from sourcing.models import ProfileRecord

_LABEL_RE = re.compile(
    r"^\s*(?:[-*]\s*)?(?:\*\*|__)?(skills|key skills|technical skills|compétences|location|based in|localisation|"
    r"languages|langues|titles|headline|title)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = {
    "skills": "skills", "key skills": "skills", "technical skills": "skills", "compétences": "skills",
    "location": "location", "based in": "location", "localisation": "location",
    "languages": "languages", "langues": "languages", "titles": "titles",
    "headline": "headline", "title": "headline",
}
_NAME_RE = re.compile(r"^[^\W\d_][^\d@/:|]{1,60}$")
_CV_HEADINGS = {"curriculum vitae", "resume", "résumé", "cv"}
_PARTICLES = {"de", "da", "del", "della", "der", "di", "du", "la", "le", "van", "von", "bin", "ibn", "y"}
# A first line made of these is a title or a section heading, not a person's name.
_NOT_NAME_WORDS = {
    "engineer", "developer", "manager", "designer", "analyst", "scientist", "consultant", "architect",
    "lead", "senior", "junior", "intern", "director", "officer", "specialist", "administrator",
    "programmer", "resume", "résumé", "curriculum", "experience", "summary", "profile", "objective",
    "education", "skills", "contact", "data", "software",
}
_MD_RE = re.compile(r"^\s*#{1,6}\s*|[*_`]{1,3}")


def parse(path: Path, data: bytes) -> Parsed:
    """Turn a plain-text or Markdown résumé into one `ProfileRecord`.

    Raises:
        ImportFailed: bad encoding, binary content, or no text.
    """
    out = Parsed()
    out.add(from_text(path, decode_text(path, data), source_key="import:text"), str(path))
    return out


def from_text(path: Path, text: str, *, source_key: str) -> ProfileRecord:
    """Build a record from résumé text (shared by the text, PDF and DOCX importers).

    Raises:
        ImportFailed: the text is empty once whitespace is removed.
    """
    text = redact(cap_text(path, text).replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[ \t]+\n", "\n", text).strip()
    if len(re.sub(r"\W", "", text)) < 3:
        raise ImportFailed(str(path), "no text found (empty, or a scanned image without a text layer)")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    labelled: dict[str, str] = {}
    for m in _LABEL_RE.finditer(text):
        labelled.setdefault(_FIELD[m.group(1).lower()], m.group(2).strip().strip("*_ "))
    emails = find_emails(text)
    urls = find_urls(text)
    name, at = None, 0
    for at, ln in enumerate(lines[:3]):
        if _plain(ln).lower().strip(" .") in _CV_HEADINGS:
            continue  # a "Curriculum Vitae" heading above the name
        if _looks_like_name(_plain(ln)):
            name = _plain(ln)
        break
    headline = labelled.get("headline")
    if headline is None and name is not None:
        for ln in lines[at + 1:at + 4]:
            cand = _plain(ln)
            if cand and len(cand) <= 100 and not find_emails(cand) and not find_urls(cand) \
                    and "[phone removed]" not in cand and not _LABEL_RE.match(ln):
                headline = cand
                break
    email = emails[0] if emails else None
    url = urls[0] if urls else None
    login = next((g for u in urls if (g := github_login(u))), None)
    return ProfileRecord(
        source_kind=SOURCE_KIND,
        source_key=source_key,
        external_id=external_id_for(email, url, text),
        name=name,
        email=email,
        url=url,
        github_login=login,
        headline=headline,
        location=labelled.get("location"),
        skills=split_list(labelled.get("skills")),
        titles=split_list(labelled.get("titles")),
        languages=split_list(labelled.get("languages")),
        extra_urls=urls[1:],
        text=text,
    )


def _plain(line: str) -> str:
    return _MD_RE.sub("", line).strip()


def _looks_like_name(line: str) -> bool:
    words = line.split()
    if any(w.lower().strip(",.") in _NOT_NAME_WORDS for w in words):
        return False
    # Names are capitalised word by word (particles aside): this rules out sentences.
    if not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
        return False
    return 2 <= len(words) <= 5 and bool(_NAME_RE.match(line)) and not _LABEL_RE.match(line)
