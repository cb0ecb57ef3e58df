"""Provides job storage: idempotent upserts from crawls, recruiter-typed jobs, listing."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select, update

from sourcing.errors import NotFoundError
from sourcing.models import JobPosting, UpsertResult, utcnow
from sourcing.storage import schema as t
from sourcing.storage.base import row_dict
from sourcing.storage.dialect import insert_for
from sourcing.textsafe import clean_record, clean_text

_COMPANY_SUFFIX = re.compile(r"\b(inc|llc|ltd|gmbh|sas|sa|sarl|corp|co|plc|bv|ag)\b\.?", re.I)
_SENIORITY = re.compile(r"\((?:m/f/d|f/h|h/f|m/w/d|w/m/d|f/m/x)\)", re.I)


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    text = _SENIORITY.sub(" ", text)
    return " ".join(re.findall(r"[a-z0-9+#]+", text))


@lru_cache(maxsize=4096)
def _company_key(company: str | None) -> str:
    return _norm(_COMPANY_SUFFIX.sub(" ", company or ""))


@lru_cache(maxsize=4096)
def _place_key(location: str | None) -> str:
    return _norm(location)


def posting_group(company: str | None, title: str, location: str | None) -> str:
    """The key that links one posting seen on several boards (normalised company+title+location).

    Company and place parts are cached: they repeat across a crawl's postings.
    """
    key = "|".join((_company_key(company), _norm(title), _place_key(location)))
    return hashlib.sha1(key.encode()).hexdigest()


_JOB_FIELDS = (
    "title", "company", "location", "remote", "description", "url", "department", "employment_type",
    "seniority", "salary_min", "salary_max", "salary_currency", "salary_period", "salary_text", "workplace", "tags", "credit",
    "posted_at",
)


class JobsMixin:
    """Job postings and recruiter-typed job descriptions."""

    def upsert_job(self, job: JobPosting) -> UpsertResult:
        """Insert or update a posting by (source, external id); unchanged postings are not rewritten.

        Returns:
            UpsertResult with status "new", "updated" or "unchanged".
        """
        job = clean_record(job)  # no terminal escape sequences or other control characters are stored
        key = job.source_key or job.source_kind
        digest = job.content_hash()
        values = {f: getattr(job, f) for f in _JOB_FIELDS}
        values["tags"] = list(job.tags or [])
        now = utcnow()
        with self.transaction() as conn:
            source_id = self._ensure_source(conn, job.source_kind, key)
            row = conn.execute(
                select(t.job.c.id, t.job.c.payload_hash).where(
                    t.job.c.source_id == source_id, t.job.c.external_id == str(job.external_id)
                )
            ).first()
            if row is None:
                job_id = conn.execute(
                    insert_for(conn, t.job).values(
                        source_id=source_id, external_id=str(job.external_id),
                        posting_group=posting_group(job.company, job.title, job.location),
                        payload_hash=digest, fetched_at=job.fetched_at, first_seen=now, last_seen=now,
                        updated_at=now, own=False, status="open", **values,
                    ).on_conflict_do_nothing(index_elements=["source_id", "external_id"]).returning(t.job.c.id)
                ).scalar()
                if job_id is not None:
                    return UpsertResult(job_id, "new")
                # Another writer stored this posting since we looked: compare with what it wrote.
                row = conn.execute(
                    select(t.job.c.id, t.job.c.payload_hash).where(
                        t.job.c.source_id == source_id, t.job.c.external_id == str(job.external_id)
                    )
                ).first()
            if row.payload_hash == digest:
                conn.execute(update(t.job).where(t.job.c.id == row.id).values(last_seen=now, fetched_at=job.fetched_at))
                return UpsertResult(row.id, "unchanged")
            conn.execute(
                update(t.job).where(t.job.c.id == row.id).values(
                    posting_group=posting_group(job.company, job.title, job.location),
                    payload_hash=digest, fetched_at=job.fetched_at, last_seen=now, updated_at=now, **values,
                )
            )
            return UpsertResult(row.id, "updated")

    def add_job(self, title: str, description: str, *, company: str | None = None, location: str | None = None,
                remote: bool | None = None, own: bool = True, actor: str = "system") -> int:
        """Add a job description typed in by a recruiter; returns its id."""
        title, description = clean_text(title, multiline=False), clean_text(description)
        company = clean_text(company, multiline=False) if company else company
        location = clean_text(location, multiline=False) if location else location
        now = utcnow()
        with self.transaction() as conn:
            job_id = conn.execute(
                insert(t.job).values(
                    title=title, description=description, company=company, location=location, remote=remote,
                    own=own, status="open", tags=[], first_seen=now, last_seen=now, updated_at=now,
                    posting_group=posting_group(company, title, location),
                )
            ).inserted_primary_key[0]
            self._audit(conn, "job.add", actor=actor, target_type="job", target_id=job_id, after={"title": title})
        return job_id

    def get_job(self, job_id: int) -> dict[str, Any]:
        """A job as a dict (with `source_key`); raises NotFoundError."""
        q = (
            select(t.job, t.source.c.key.label("source_key"), t.source.c.kind.label("source_kind"))
            .select_from(t.job.outerjoin(t.source, t.job.c.source_id == t.source.c.id))
            .where(t.job.c.id == job_id)
        )
        with self.connection() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise NotFoundError(f"no job with id {job_id}. List jobs with `sourcing jobs list`.", "Job not found")
        return row_dict(row)

    def list_jobs(self, *, open_only: bool = True, own: bool | None = None) -> list[dict[str, Any]]:
        """Jobs, newest first; `own` filters ours (True) or the market's (False)."""
        q = (
            select(t.job, t.source.c.key.label("source_key"), t.source.c.kind.label("source_kind"))
            .select_from(t.job.outerjoin(t.source, t.job.c.source_id == t.source.c.id))
            .order_by(t.job.c.id.desc())
        )
        if open_only:
            q = q.where(t.job.c.status == "open")
        if own is not None:
            q = q.where(t.job.c.own == own)
        with self.connection() as conn:
            return [row_dict(r) for r in conn.execute(q)]

    def set_job_status(self, job_id: int, status: str, *, actor: str = "system") -> None:
        if status not in ("open", "closed"):
            raise ValueError(f"job status must be open or closed, not {status!r}")
        before = self.get_job(job_id)["status"]
        with self.transaction() as conn:
            conn.execute(update(t.job).where(t.job.c.id == job_id).values(status=status, updated_at=utcnow()))
            self._audit(conn, "job.status", actor=actor, target_type="job", target_id=job_id, before={"status": before}, after={"status": status})

    def set_job_own(self, job_id: int, own: bool) -> None:
        with self.transaction() as conn:
            conn.execute(update(t.job).where(t.job.c.id == job_id).values(own=own))

    def mark_job_reviewed(self, job_id: int) -> None:
        with self.transaction() as conn:
            conn.execute(update(t.job).where(t.job.c.id == job_id).values(last_reviewed_at=utcnow()))
