"""Provides the domain records every layer exchanges: job postings, profiles, results.

These are plain dataclasses (Scrapy items too, through itemadapter), so the
core stays free of any framework. Only the fields the product needs are kept:
no photos, dates of birth, phone numbers or other identity markers beyond a
name, an e-mail and links the person published themselves.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any


def utcnow() -> datetime:
    """Return an aware UTC timestamp (the store keeps every time in UTC)."""
    return datetime.now(timezone.utc)


def payload_hash(payload: Any) -> str:
    """Return a stable SHA-1 of a JSON-able payload, used for change detection."""
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()


WORKPLACES = ("remote", "hybrid", "onsite")
"""Where a job is done: fully remote, partly remote (hybrid), or at the employer's site."""


@dataclass
class JobPosting:
    """A job posting seen on a source, or a description typed in by a recruiter.

    `source_kind` + `source_key` name the configured source (e.g. "greenhouse",
    "greenhouse:acme"); `external_id` is the posting's id on that source.
    """

    source_kind: str
    external_id: str
    title: str
    description: str = ""
    source_key: str | None = None
    company: str | None = None
    location: str | None = None
    remote: bool | None = None  # fully remote; kept for readers of the flag, derived from `workplace`
    url: str | None = None
    department: str | None = None
    employment_type: str | None = None
    seniority: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    salary_text: str | None = None  # the pay as the source states it ("$139,200—$235,200 USD")
    workplace: str | None = None  # "remote" | "hybrid" | "onsite" | None (the source does not say)
    posted_at: datetime | None = None
    fetched_at: datetime = field(default_factory=utcnow)
    tags: list[str] = field(default_factory=list)
    credit: str | None = None  # attribution a source requires us to keep (RemoteOK)

    def __post_init__(self) -> None:
        # One model, two views: `workplace` is the truth, `remote` the old boolean readers use.
        if self.workplace is not None and self.workplace not in WORKPLACES:
            raise ValueError(f"workplace must be one of {', '.join(WORKPLACES)} or None, got {self.workplace!r}")
        if self.workplace is None and self.remote is True:
            self.workplace = "remote"
        if self.workplace is not None:
            self.remote = self.workplace == "remote"

    def content_hash(self) -> str:
        """Hash of the fields that matter, ignoring fetch time."""
        data = asdict(self)
        data.pop("fetched_at", None)
        return payload_hash(data)


@dataclass
class ProfileRecord:
    """One source's view of a person who published their profile themselves.

    Identity keys used to merge sources into one candidate: `email`, `url`,
    `github_login` (and any `extra_urls` the person linked).
    """

    source_kind: str
    external_id: str
    source_key: str | None = None
    name: str | None = None
    email: str | None = None
    url: str | None = None
    github_login: str | None = None
    headline: str | None = None
    location: str | None = None
    remote: bool | None = None
    willing_to_relocate: bool | None = None
    summary: str = ""
    skills: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    experience: list[dict[str, Any]] = field(default_factory=list)  # {title, org, start, end, summary}
    education: list[dict[str, Any]] = field(default_factory=list)  # {institution, area, studyType}
    languages: list[str] = field(default_factory=list)
    extra_urls: list[str] = field(default_factory=list)
    text: str = ""  # free text (HN post, plain résumé) when there is no structure
    fetched_at: datetime = field(default_factory=utcnow)

    def content_hash(self) -> str:
        """Hash of the fields that matter, ignoring fetch time."""
        data = asdict(self)
        data.pop("fetched_at", None)
        return payload_hash(data)


@dataclass
class UpsertResult:
    """What an upsert did: `status` is "new", "updated" or "unchanged"."""

    id: int
    status: str
    candidate_id: int | None = None


@dataclass
class RankedCandidate:
    """A ranker's verdict on one candidate for one job."""

    candidate_id: int
    score: float
    components: dict[str, float] = field(default_factory=dict)
    explanation: dict[str, Any] = field(default_factory=dict)
