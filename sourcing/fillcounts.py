"""Provides per-field fill counts of stored postings: how many had a date, a salary, a location…

A crawl run records them (`crawl_run.field_counts`), so `sourcing sources list
--quality` shows at once when a board stopped giving dates or pay.
"""

from __future__ import annotations

from typing import Any

from sourcing.models import JobPosting

FIELDS = ("posted_at", "salary", "location", "description", "workplace", "company", "url")
"""The fields counted, in display order ("salary" is any of min, max or the stated text)."""


def filled(job: JobPosting) -> list[str]:
    """Return the names in FIELDS that `job` has a value for."""
    out = []
    for name in FIELDS:
        if name == "salary":
            value: Any = job.salary_min is not None or job.salary_max is not None or bool(job.salary_text)
        else:
            value = getattr(job, name)
        if value not in (None, "", False):
            out.append(name)
    return out


class FillCounter:
    """Accumulates fill counts over a crawl's postings: `{"postings": 12, "posted_at": 12, "salary": 3, …}`."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {"postings": 0, **{f: 0 for f in FIELDS}}

    def add(self, job: JobPosting) -> None:
        """Count one posting passed to the store."""
        self.counts["postings"] += 1
        for name in filled(job):
            self.counts[name] += 1

    def as_dict(self) -> dict[str, int] | None:
        """The counts, or None when the run stored no posting (a profiles source)."""
        return dict(self.counts) if self.counts["postings"] else None


def quality_note(counts: dict[str, int] | None) -> str:
    """"12 postings: date 12, salary 3, location 11, description 12, …" (empty without counts)."""
    if not counts or not counts.get("postings"):
        return ""
    labels = {"posted_at": "date"}
    parts = [f"{labels.get(f, f)} {counts.get(f, 0)}" for f in FIELDS]
    return f"{counts['postings']} postings: " + ", ".join(parts)
