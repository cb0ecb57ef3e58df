"""Provides candidate storage: profiles per source merged into one person, and erasure."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from sourcing.errors import NotFoundError
from sourcing.models import ProfileRecord, UpsertResult, utcnow
from sourcing.storage import rank_index, responsible, vector_index
from sourcing.storage import schema as t
from sourcing.storage.base import row_dict
from sourcing.storage.dnc import load_key, lookup_hashes, write_hash
from sourcing.storage.erasure_files import remove_if_empty, scrub_crawl_files
from sourcing.storage.dialect import insert_for
from sourcing.storage.resume import erase_keys_holding
from sourcing.textsafe import clean_record

_PROFILE_FIELDS = (
    "url", "github_login", "name", "email", "headline", "location", "remote", "willing_to_relocate",
    "summary", "skills", "titles", "experience", "education", "languages", "extra_urls", "text",
)


def normalise_url(url: str) -> str:
    """Canonical form of a profile URL for identity matching (scheme, www, case, trailing slash)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}".lower() if host else url.strip().lower()


def identity_keys(p: ProfileRecord | dict[str, Any]) -> set[tuple[str, str]]:
    """The (kind, value) keys that identify the person behind a profile."""
    get = p.get if isinstance(p, dict) else lambda k: getattr(p, k)
    keys: set[tuple[str, str]] = set()
    if get("email"):
        keys.add(("email", get("email").strip().lower()))
    if get("github_login"):
        keys.add(("github", get("github_login").strip().lower()))
    for url in [get("url"), *(get("extra_urls") or [])]:
        if url:
            keys.add(("url", normalise_url(url)))
    return keys


class CandidatesMixin:
    """People: one candidate, one profile per source view, merged by identity keys."""

    # --- writes ------------------------------------------------------------------
    def upsert_profile(self, p: ProfileRecord) -> UpsertResult:
        """Insert or update one source's view of a person; merge with the same person seen elsewhere.

        Returns:
            UpsertResult (status "new", "updated", "unchanged", or "blocked" for a
            do-not-collect record, which is not stored); `candidate_id` is the person.
        """
        p = clean_record(p)  # no terminal escape sequences or other control characters are stored
        source_key = p.source_key or p.source_kind
        if self.is_do_not_collect(p.source_kind, external_id=p.external_id, url=p.url):
            return UpsertResult(0, "blocked")
        digest = p.content_hash()
        values = {f: getattr(p, f) for f in _PROFILE_FIELDS}
        now = utcnow()
        with self.transaction() as conn:
            source_id = self._ensure_source(conn, p.source_kind, source_key)
            row = conn.execute(
                select(t.profile.c.id, t.profile.c.payload_hash, t.profile.c.candidate_id).where(
                    t.profile.c.source_key == source_key, t.profile.c.external_id == str(p.external_id)
                )
            ).first()
            if row is not None and row.payload_hash == digest:
                conn.execute(update(t.profile).where(t.profile.c.id == row.id).values(fetched_at=p.fetched_at))
                return UpsertResult(row.id, "unchanged", row.candidate_id)
            keys = identity_keys(p)
            cid = self._resolve_candidate(conn, keys, row.candidate_id if row else None)
            pid = None
            if row is None:
                # DO NOTHING: another writer may have stored this profile since we looked; then it
                # is updated below like any profile we had found.
                pid = conn.execute(
                    insert_for(conn, t.profile).values(
                        candidate_id=cid, source_id=source_id, source_kind=p.source_kind, source_key=source_key,
                        external_id=str(p.external_id), payload_hash=digest, fetched_at=p.fetched_at,
                        first_seen=now, updated_at=now, **values,
                    ).on_conflict_do_nothing(index_elements=["source_key", "external_id"]).returning(t.profile.c.id)
                ).scalar()
                status = "new"
                if pid is None:
                    row = conn.execute(select(t.profile.c.id).where(
                        t.profile.c.source_key == source_key, t.profile.c.external_id == str(p.external_id))).first()
            if pid is None:
                pid = row.id
                conn.execute(
                    update(t.profile).where(t.profile.c.id == pid).values(
                        candidate_id=cid, payload_hash=digest, fetched_at=p.fetched_at, updated_at=now, **values
                    )
                )
                status = "updated"
            for kind, value in keys:
                # A key the person already has (or another writer just gave them) is kept as it is.
                conn.execute(insert_for(conn, t.candidate_key).values(kind=kind, value=value, candidate_id=cid)
                             .on_conflict_do_nothing(index_elements=["kind", "value"]))
            self._refresh_candidate(conn, cid)
            return UpsertResult(pid, status, cid)

    def _new_candidate(self, conn: Connection) -> int:
        now = utcnow()
        for _ in range(20):
            pseudonym = "Candidate " + secrets.token_hex(3).upper()
            if conn.execute(select(t.candidate.c.id).where(t.candidate.c.pseudonym == pseudonym)).first() is None:
                break
        return conn.execute(
            insert(t.candidate).values(pseudonym=pseudonym, created_at=now, updated_at=now, last_activity_at=now)
        ).inserted_primary_key[0]

    def _resolve_candidate(self, conn: Connection, keys: set[tuple[str, str]], current: int | None) -> int:
        found: set[int] = set()
        for kind, value in keys:
            cid = conn.execute(
                select(t.candidate_key.c.candidate_id).where(t.candidate_key.c.kind == kind, t.candidate_key.c.value == value)
            ).scalar()
            if cid is not None:
                found.add(cid)
        if current is not None:
            found.add(current)
        if not found:
            return self._new_candidate(conn)
        target = min(found)  # the oldest record survives a merge
        for other in sorted(found - {target}):
            self._merge_into(conn, other, target)
        return target

    def merge_candidates(self, src: int, dst: int) -> None:
        """Merge candidate `src` into `dst` (same person): profiles, keys, decisions, audit rows move."""
        with self.transaction() as conn:
            self._merge_into(conn, src, dst)

    def _merge_into(self, conn: Connection, src: int, dst: int) -> None:
        """Move everything of candidate `src` onto `dst` (same person seen on two sources)."""
        conn.execute(update(t.profile).where(t.profile.c.candidate_id == src).values(candidate_id=dst))
        conn.execute(update(t.candidate_key).where(t.candidate_key.c.candidate_id == src).values(candidate_id=dst))
        kept = {r.job_id for r in conn.execute(select(t.decision.c.job_id).where(t.decision.c.candidate_id == dst))}
        for d in conn.execute(select(t.decision).where(t.decision.c.candidate_id == src)).all():
            if d.job_id not in kept:
                conn.execute(update(t.decision).where(t.decision.c.id == d.id).values(candidate_id=dst))
        conn.execute(delete(t.ranking).where(t.ranking.c.candidate_id == src))  # re-ranking recomputes it
        responsible.move_person(conn, src, dst)
        conn.execute(update(t.audit_log).where(t.audit_log.c.target_type == "candidate", t.audit_log.c.target_id == str(src)).values(target_id=str(dst)))
        conn.execute(delete(t.candidate).where(t.candidate.c.id == src))
        self._audit(conn, "candidate.merge", actor="system", target_type="candidate", target_id=dst, before={"merged": src})

    def _refresh_candidate(self, conn: Connection, cid: int) -> None:
        """Recompute the person's summary fields from their most recently fetched profiles."""
        rows = conn.execute(
            select(t.profile.c.name, t.profile.c.email, t.profile.c.headline, t.profile.c.location, t.profile.c.titles)
            .where(t.profile.c.candidate_id == cid)
            .order_by(t.profile.c.fetched_at.desc())
        ).all()

        def first(attr: str) -> Any:
            return next((getattr(r, attr) for r in rows if getattr(r, attr)), None)

        headline = first("headline") or next((r.titles[0] for r in rows if r.titles), None)
        now = utcnow()
        conn.execute(
            update(t.candidate).where(t.candidate.c.id == cid).values(
                name=first("name"), email=first("email"), headline=headline, location=first("location"),
                updated_at=now, last_activity_at=now,
            )
        )

    def forget_candidate(self, cid: int, *, actor: str, compact: bool = True) -> dict[str, int]:
        """Erase a person everywhere; keep only an audit row saying an erasure happened.

        Their source ids and URLs go to the do-not-collect list (as hashes) so later
        crawls skip them. Then the space their rows took is rewritten on disk
        (`sourcing.storage.erasure`), unless `compact` is False: a caller erasing many
        people (the purge) calls `compact_after_erasure` once at the end. Returns counts
        of what was removed.
        """
        self.get_candidate(cid)  # raises NotFoundError
        with self.transaction() as conn:
            profiles = conn.execute(select(t.profile).where(t.profile.c.candidate_id == cid)).all()
            for pr in profiles:
                self._add_dnc(conn, pr.source_kind, pr.external_id)
                if pr.url:
                    self._add_dnc(conn, pr.source_kind, normalise_url(pr.url))
            counts = {
                "profiles": len(profiles),
                "embeddings": conn.execute(delete(t.embedding).where(t.embedding.c.owner == f"candidate:{cid}")).rowcount,
                "decisions": conn.execute(delete(t.decision).where(t.decision.c.candidate_id == cid)).rowcount,
                "rankings": conn.execute(delete(t.ranking).where(t.ranking.c.candidate_id == cid)).rowcount,
                "audit_rows": conn.execute(
                    delete(t.audit_log).where(t.audit_log.c.target_type == "candidate", t.audit_log.c.target_id == str(cid))
                ).rowcount,
            }
            counts.update(responsible.erase_person(conn, cid))
            needles = {v for pr in profiles for v in (pr.external_id, pr.url, normalise_url(pr.url) if pr.url else None)
                       if v and len(str(v)) >= 4}
            other_jobdirs = [d for d in conn.execute(select(t.crawl_run.c.jobdir).distinct()).scalars() if d]
            counts["crawl_records"], jobdirs = self._scrub_crawl_runs(conn, sorted(needles, key=len, reverse=True))
            conn.execute(delete(t.candidate_key).where(t.candidate_key.c.candidate_id == cid))
            conn.execute(delete(t.profile).where(t.profile.c.candidate_id == cid))
            conn.execute(delete(t.candidate).where(t.candidate.c.id == cid))
            # The triggers of migration i11 dropped their derived ranking rows; merge the lexical
            # index so their words are not kept as deleted entries.
            rank_index.purge_fts_residue(conn)
            self._audit(conn, "candidate.erased", actor=actor, target_type="erasure", target_id=cid, after={k: v for k, v in counts.items()})
        # Their rows in the dense index files beside the database are zeroed in place.
        counts["index_rows"] = vector_index.erase_candidate(rank_index.db_file(self), cid)
        for jobdir in jobdirs:
            # A crawl of this person's own source kept its request queue (their URLs) on disk.
            shutil.rmtree(jobdir, ignore_errors=True)
            remove_if_empty(Path(jobdir).parent)  # the per-source folder's name is their URL
        counts["crawl_files"] = scrub_crawl_files(other_jobdirs, sorted(needles, key=len, reverse=True))
        if compact and getattr(self._local, "batch", None) is None:
            from sourcing.storage.erasure import compact_after_erasure

            compact_after_erasure(self)  # the erased text must not linger in free pages or the WAL
        return counts

    @staticmethod
    def _scrub_crawl_runs(conn: Connection, needles: list[str]) -> tuple[int, list[str]]:
        """Remove a person's ids and URLs from crawl, source and nightly records (a source may be one
        person: `jsonresume:<their URL>`, `github:login=<them>`); return (rows changed, their crawl folders)."""
        if not needles:
            return 0, []

        def scrub(value: Any) -> Any:
            if isinstance(value, str):
                for n in needles:
                    value = value.replace(n, "[erased]")
                return value
            if isinstance(value, (list, tuple)):
                return [scrub(v) for v in value]
            if isinstance(value, dict):
                return {scrub(k): scrub(v) for k, v in value.items()}
            return value

        changed, jobdirs = 0, []
        for row in conn.execute(select(t.crawl_run.c.id, t.crawl_run.c.source_key, t.crawl_run.c.args,
                                       t.crawl_run.c.error_details, t.crawl_run.c.jobdir)).all():
            before = [row.source_key, row.args, row.error_details]
            after = scrub(before)
            if after != before:
                conn.execute(update(t.crawl_run).where(t.crawl_run.c.id == row.id).values(
                    source_key=after[0], args=after[1], error_details=after[2], jobdir=None))
                changed += 1
                if row.jobdir:
                    jobdirs.append(row.jobdir)
        for row in conn.execute(select(t.source.c.id, t.source.c.key, t.source.c.address)).all():
            if scrub((row.key, row.address)) != [row.key, row.address]:
                # A source that is this one person (their resume URL, their login): its row goes
                # (postings and profiles pointing at it keep their data, with no source link).
                conn.execute(delete(t.source).where(t.source.c.id == row.id))
                changed += 1
        # A distributed crawl's resume state (i14) names the pages it fetched: their URLs.
        changed += erase_keys_holding(conn, needles)
        for row in conn.execute(select(t.nightly_run.c.id, t.nightly_run.c.report)).all():
            report = scrub(row.report)
            if report != row.report:
                conn.execute(update(t.nightly_run).where(t.nightly_run.c.id == row.id).values(report=report))
                changed += 1
        return changed, jobdirs

    # --- do-not-collect ----------------------------------------------------------
    def _add_dnc(self, conn: Connection, source_kind: str, value: str) -> None:
        h = write_hash(self, source_kind, value)  # HMAC with this installation's secret
        conn.execute(insert_for(conn, t.do_not_collect).values(source_kind=source_kind, value_hash=h, added_at=utcnow())
                     .on_conflict_do_nothing(index_elements=["source_kind", "value_hash"]))

    def add_do_not_collect(self, source_kind: str, *, external_id: str | None = None, url: str | None = None) -> None:
        with self.transaction() as conn:
            if external_id:
                self._add_dnc(conn, source_kind, str(external_id))
            if url:
                self._add_dnc(conn, source_kind, normalise_url(url))

    def is_do_not_collect(self, source_kind: str, *, external_id: str | None = None, url: str | None = None) -> bool:
        hashes: list[str] = []
        key = load_key(self, create=False)
        if external_id:
            hashes += lookup_hashes(key, source_kind, str(external_id))
        if url:
            hashes += lookup_hashes(key, source_kind, normalise_url(url))
        if not hashes:
            return False
        with self.connection() as conn:
            return conn.execute(
                select(t.do_not_collect.c.value_hash).where(
                    t.do_not_collect.c.source_kind == source_kind, t.do_not_collect.c.value_hash.in_(hashes)
                )
            ).first() is not None

    # --- reads -------------------------------------------------------------------
    def get_candidate(self, cid: int) -> dict[str, Any]:
        """A person with every source's profile (provenance); raises NotFoundError."""
        with self.connection() as conn:
            row = conn.execute(select(t.candidate).where(t.candidate.c.id == cid)).first()
            if row is None:
                raise NotFoundError(f"no candidate with id {cid}. List them with `sourcing candidates list`.", "Candidate not found")
            out = row_dict(row)
            out["profiles"] = [
                row_dict(r) for r in conn.execute(
                    select(t.profile).where(t.profile.c.candidate_id == cid).order_by(t.profile.c.fetched_at.desc())
                )
            ]
        return out

    def list_candidates(self, *, limit: int | None = None, since: Any = None) -> list[dict[str, Any]]:
        q = select(t.candidate).order_by(t.candidate.c.id)
        if since is not None:
            q = q.where(t.candidate.c.created_at >= since)
        if limit is not None:
            q = q.limit(limit)
        with self.connection() as conn:
            return [row_dict(r) for r in conn.execute(q)]

    def candidate_profiles(self) -> dict[int, list[dict[str, Any]]]:
        """Every candidate's profiles in one query (for ranking a whole pool)."""
        out: dict[int, list[dict[str, Any]]] = {}
        with self.connection() as conn:
            for r in conn.execute(select(t.profile).order_by(t.profile.c.candidate_id, t.profile.c.fetched_at.desc())):
                out.setdefault(r.candidate_id, []).append(row_dict(r))
        return out

    def count_candidates(self) -> int:
        from sqlalchemy import func

        with self.connection() as conn:
            return conn.execute(select(func.count()).select_from(t.candidate)).scalar_one()
