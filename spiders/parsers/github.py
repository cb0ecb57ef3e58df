"""Provides parsing of GitHub REST API users and their repositories into profiles (API only)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sourcing.models import ProfileRecord
from spiders.parsers.common import MalformedPayload, MalformedRecord, clean


def search_logins(payload: Any) -> list[str]:
    """Return the logins of a `/search/users` page."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise MalformedPayload("expected an object with an 'items' array (GitHub user search)")
    return [str(i["login"]) for i in payload["items"] if isinstance(i, dict) and i.get("login")]


def next_link(link_header: str | None) -> str | None:
    """Return the `rel="next"` URL of a GitHub `Link` header."""
    for part in (link_header or "").split(","):
        url, _, rel = part.partition(";")
        if 'rel="next"' in rel:
            return url.strip().strip("<>")
    return None


def languages(repos: Any) -> list[str]:
    """Return the languages of the user's own (non-fork) repositories, most used first."""
    if not isinstance(repos, list):
        raise MalformedPayload("expected a JSON array of repositories")
    counts = Counter(r["language"] for r in repos if isinstance(r, dict) and r.get("language") and not r.get("fork"))
    return [lang for lang, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def to_profile(user: Any, repos: Any, *, source_key: str) -> ProfileRecord:
    """Turn `/users/{login}` and `/users/{login}/repos` into a ProfileRecord.

    Only what the person published on their profile is kept (no avatar, no
    follower counts); the public e-mail is kept as GitHub shows it.
    """
    if not isinstance(user, dict) or not user.get("login"):
        raise MalformedRecord("github user: missing 'login'")
    login = str(user["login"])
    bio = clean(user.get("bio"))
    company = clean(user.get("company"))
    blog = clean(user.get("blog"))
    if blog and not blog.startswith(("http://", "https://")):
        blog = "https://" + blog
    return ProfileRecord(
        source_kind="github",
        source_key=source_key,
        external_id=str(user.get("id") or login),
        name=clean(user.get("name")),
        email=clean(user.get("email")),
        url=clean(user.get("html_url")) or f"https://github.com/{login}",
        github_login=login,
        headline=bio or (f"Works at {company}" if company else None),
        location=clean(user.get("location")),
        summary=bio or "",
        skills=languages(repos) if repos is not None else [],
        extra_urls=[blog] if blog else [],
    )
