"""Provides parsing of GitHub REST API users and their repositories into profiles (API only)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

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


# Hosts whose root is nobody's personal page (a blog field of "linkedin.com" says nothing about who).
_SHARED_HOSTS = {"github.com", "linkedin.com", "twitter.com", "x.com", "medium.com", "facebook.com", "youtube.com",
                 "instagram.com", "gitlab.com", "bitbucket.org", "google.com", "about.me"}


def _norm_name(text: str) -> str:
    text = re.sub(r"\b(inc|llc|ltd|gmbh|sas|sarl|ag|corp|co|company|labs?|hq)\b\.?", "", text.lower())
    return re.sub(r"[^a-z0-9]", "", text)


def personal_url(blog: str | None, company: str | None) -> str | None:
    """Return `blog` when it can be the person's own page, None when it is an employer's or a shared site.

    A URL becomes an identity key that merges profiles, so an employer's site
    (`tidelift.com` on a Tidelift employee's profile) would merge every colleague
    into one person. The employer is recognised from the profile's `company`
    field (`@tidelift`, "Tidelift, Inc."): a blog on that name's domain is not kept.
    """
    if not blog:
        return None
    url = blog if blog.startswith(("http://", "https://")) else "https://" + blog
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host or "." not in host:
        return None
    if host in _SHARED_HOSTS and parts.path.strip("/") == "":
        return None
    orgs = [_norm_name(c) for c in re.split(r"[,&/|]| and ", (company or "").replace("@", " ")) if _norm_name(c)]
    labels = host.split(".")
    site = _norm_name(labels[-2] if len(labels) >= 2 else labels[0])
    if site and any(site == org or (len(site) >= 4 and org.startswith(site)) for org in orgs):
        return None
    return url


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
    blog = personal_url(clean(user.get("blog")), company)
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
