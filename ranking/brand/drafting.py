"""Provides the mechanics of a draft post: platform limits, hashtags, fitting text into a limit.

Limits are the platforms' own: X 280 characters, LinkedIn 3,000, Instagram 2,200
(captions; links are not clickable there, so drafts say "link in bio"). Hashtags
are made from the market's own words (role names, skills, the phrases postings
use for a benefit), camel-cased so screen readers can say them.
"""

from __future__ import annotations

import re
import unicodedata

PLATFORMS = ("linkedin", "x", "instagram")
LIMITS = {"x": 280, "linkedin": 3000, "instagram": 2200}
HASHTAG_COUNT = {"x": 2, "linkedin": 4, "instagram": 8}
ELLIPSIS = "…"


def hashtag(words: str) -> str | None:
    """Turn a phrase into a camel-case hashtag ("remote-first" -> "#RemoteFirst"; "C++" -> "#Cpp").

    Returns None when nothing usable is left (a bare number, one letter).
    """
    text = words.replace("++", "pp").replace("C#", "CSharp").replace("c#", "csharp").replace(".js", "js")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", text) if p]
    if not parts:
        return None
    # Keep the casing of acronyms and mixed-case names (PostgreSQL, AWS); capitalise plain words.
    tag = "".join(p if any(c.isupper() for c in p) else p[:1].upper() + p[1:] for p in parts)
    if len(tag) < 2 or tag.isdigit() or len(tag) > 40:
        return None
    return "#" + tag


def unique_tags(candidates: list[str | None], limit: int) -> list[str]:
    """Keep the first `limit` distinct hashtags (case-insensitive)."""
    seen: set[str] = set()
    out = []
    for tag in candidates:
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
        if len(out) == limit:
            break
    return out


def _truncate(text: str, room: int) -> str:
    """Cut text at a word boundary so it fits in `room` characters, ending with an ellipsis."""
    if len(text) <= room:
        return text
    if room <= 1:
        return ""
    cut = text[: room - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–") + ELLIPSIS


def fit(lines: list[str], hashtags: list[str], limit: int, *, keep_last: bool = True) -> tuple[str, list[str]]:
    """Assemble a post within `limit` characters.

    Drops hashtags first, then middle lines (the first line carries the message, the last
    the call to action with the link), then shortens the first line.

    Args:
        lines: the filled template lines, in order.
        hashtags: hashtags to append on their own line.
        limit: the platform's character limit.
        keep_last: keep the last line (call to action / link) whole.

    Returns:
        (text, hashtags actually kept).
    """
    lines = [ln for ln in lines if ln]
    tags = list(hashtags)

    def assemble() -> str:
        body = "\n\n".join(lines)
        return f"{body}\n\n{' '.join(tags)}" if tags else body

    while len(assemble()) > limit and tags:
        tags.pop()
    while len(assemble()) > limit and len(lines) > 2:
        lines.pop(-2 if keep_last else -1)
    if len(assemble()) > limit:
        if len(lines) == 2 and keep_last:
            room = limit - len(lines[1]) - 2
            lines[0] = _truncate(lines[0], room) if room > 20 else ""
            lines = [ln for ln in lines if ln]
        if len(assemble()) > limit:
            lines = [_truncate(" ".join(lines), limit)]
    return assemble(), tags


def words(text: str, ignore: set[str] = frozenset()) -> set[str]:
    """Content words of a draft (no hashtags, links, short words or `ignore` words), for near-duplicate checks."""
    text = re.sub(r"https?://\S+|#\w+", " ", text.lower())
    return {w for w in re.findall(r"\w+", text) if len(w) > 3 and w not in ignore}


def similarity(a: str, b: str, ignore: set[str] = frozenset()) -> float:
    """Jaccard similarity of two drafts' content words, leaving out `ignore` (the templates' own words)."""
    wa, wb = words(a, ignore), words(b, ignore)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0
