"""Provides the embedding cache, stored rankings, and recruiter decisions with their audit trail."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from sourcing.models import RankedCandidate, utcnow
from sourcing.errors import UsageError
from sourcing.storage import notices, runlog
from sourcing.storage import schema as t
from sourcing.storage.base import row_dict
from sourcing.storage.dialect import insert_for
from sourcing.textsafe import clean_text

DECISION_STATUSES = ("shortlisted", "maybe", "rejected", "contacted")
_IN_CHUNK = 500  # stay well under SQLite's bound-parameter limit


class ScoringMixin:
    """Embeddings, rankings, decisions."""

    # --- embeddings cache ------------------------------------------------------
    def get_embeddings(self, model: str, text_hashes: Iterable[str]) -> dict[str, bytes]:
        """Cached vectors (raw bytes) for the hashes that are present."""
        hashes = list(dict.fromkeys(text_hashes))
        out: dict[str, bytes] = {}
        with self.connection() as conn:
            for i in range(0, len(hashes), _IN_CHUNK):
                part = hashes[i : i + _IN_CHUNK]
                for h, v in conn.execute(
                    select(t.embedding.c.text_hash, t.embedding.c.vector).where(
                        t.embedding.c.model == model, t.embedding.c.text_hash.in_(part)
                    )
                ):
                    out[h] = v
        return out

    def put_embeddings(self, model: str, vectors: dict[str, bytes], *, dim: int, dtype: str = "float32",
                       owners: dict[str, str] | None = None) -> None:
        """Store vectors; an already cached (model, hash) is left as it is.

        `owners` maps a hash to "candidate:<id>" / "job:<id>" so erasure can find a person's vectors.
        """
        if not vectors:
            return
        now = utcnow()
        owners = owners or {}
        with self.transaction() as conn:
            present = set()
            keys = list(vectors)
            for i in range(0, len(keys), _IN_CHUNK):
                present |= set(conn.execute(
                    select(t.embedding.c.text_hash).where(t.embedding.c.model == model, t.embedding.c.text_hash.in_(keys[i : i + _IN_CHUNK]))
                ).scalars())
            rows = [
                {"model": model, "text_hash": h, "dim": dim, "dtype": dtype, "vector": v, "owner": owners.get(h), "created_at": now}
                for h, v in vectors.items() if h not in present
            ]
            if rows:  # a vector another process cached since we looked stays as it is
                conn.execute(insert_for(conn, t.embedding).on_conflict_do_nothing(index_elements=["model", "text_hash"]), rows)

    def iter_embeddings(self, model: str) -> Iterator[tuple[str, bytes]]:
        with self.connection() as conn:
            for h, v in conn.execute(select(t.embedding.c.text_hash, t.embedding.c.vector).where(t.embedding.c.model == model)):
                yield h, v

    def count_embeddings(self, model: str | None = None) -> int:
        q = select(func.count()).select_from(t.embedding)
        if model is not None:
            q = q.where(t.embedding.c.model == model)
        with self.connection() as conn:
            return conn.execute(q).scalar_one()

    # --- rankings --------------------------------------------------------------
    def save_ranking(self, job_id: int, model: str, results: list[RankedCandidate]) -> None:
        """Replace the job's stored ranking with `results` (ranked by score, best first)."""
        now = utcnow()
        ordered = sorted(results, key=lambda r: -r.score)
        rows = [
            {"job_id": job_id, "candidate_id": r.candidate_id, "rank": i, "score": float(r.score),
             "components": r.components, "explanation": r.explanation, "model": model, "ranked_at": now}
            for i, r in enumerate(ordered, start=1)
        ]
        with self.transaction() as conn:
            # The job's row lock makes two rankings of one job (two machines) replace each other
            # whole, one after the other (SQLite's write lock already does).
            conn.execute(select(t.job.c.id).where(t.job.c.id == job_id).with_for_update())
            conn.execute(delete(t.ranking).where(t.ranking.c.job_id == job_id))
            if rows and conn.dialect.name == "sqlite":
                # One driver-level executemany with the JSON serialised once: SQLAlchemy's per-row
                # bind processing was a third of saving 2,000 rows. Same text as the JSON type writes.
                at = t.sqlite_time(now)
                conn.exec_driver_sql(
                    "INSERT INTO ranking (job_id, candidate_id, rank, score, components, explanation, model, ranked_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(job_id, r["candidate_id"], r["rank"], r["score"], json.dumps(r["components"]),
                      json.dumps(r["explanation"]), model, at) for r in rows],
                )
            elif rows:
                conn.execute(insert(t.ranking), rows)

    def get_ranking(self, job_id: int) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return [row_dict(r) for r in conn.execute(select(t.ranking).where(t.ranking.c.job_id == job_id).order_by(t.ranking.c.rank))]

    def get_shortlist(self, job_id: int) -> list[dict[str, Any]]:
        """The job's ranking joined with each person's summary and decision, best first (one query)."""
        q = (
            select(
                t.ranking.c.candidate_id, t.ranking.c.rank, t.ranking.c.score, t.ranking.c.components,
                t.ranking.c.explanation, t.ranking.c.model, t.ranking.c.ranked_at,
                t.candidate.c.name, t.candidate.c.email, t.candidate.c.headline, t.candidate.c.location,
                t.candidate.c.pseudonym, t.candidate.c.created_at,
                t.decision.c.status, t.decision.c.note, t.decision.c.reason,
            )
            .select_from(
                t.ranking.join(t.candidate, t.candidate.c.id == t.ranking.c.candidate_id).outerjoin(
                    t.decision, (t.decision.c.job_id == t.ranking.c.job_id) & (t.decision.c.candidate_id == t.ranking.c.candidate_id)
                )
            )
            .where(t.ranking.c.job_id == job_id)
            .order_by(t.ranking.c.rank)
        )
        with self.connection() as conn:
            return [row_dict(r) for r in conn.execute(q)]

    # --- decisions -------------------------------------------------------------
    def _decision_state(self, conn, job_id: int, candidate_id: int) -> dict[str, Any] | None:
        row = conn.execute(
            select(t.decision.c.status, t.decision.c.note, t.decision.c.reason).where(
                t.decision.c.job_id == job_id, t.decision.c.candidate_id == candidate_id
            )
        ).first()
        return row_dict(row) if row else None

    @staticmethod
    def _lock_person(conn, candidate_id: int) -> None:
        """Serialise decisions on one person: two review apps deciding at once read, then write, one after the other.

        A row lock on PostgreSQL (so each audit row's `before` is the state the other left);
        SQLite's IMMEDIATE transactions already hold the database's write lock.
        """
        conn.execute(select(t.candidate.c.id).where(t.candidate.c.id == candidate_id).with_for_update())

    def _write_decision(self, conn, job_id: int, candidate_id: int, state: dict[str, Any] | None, actor: str) -> None:
        d = t.decision
        if state is None:
            conn.execute(delete(d).where(d.c.job_id == job_id, d.c.candidate_id == candidate_id))
            return
        values = {"actor": actor, "updated_at": utcnow(), **state}
        conn.execute(insert_for(conn, d).values(job_id=job_id, candidate_id=candidate_id, **values)
                     .on_conflict_do_update(index_elements=["job_id", "candidate_id"], set_=values))

    def set_decision(self, job_id: int, candidate_id: int, status: str | None, *, note: str | None = None,
                     reason: str | None = None, actor: str, score_shown: float | None = None) -> dict[str, Any]:
        """Record a recruiter's decision (committed before returning) with an audit row.

        Args:
            status: "shortlisted", "maybe", "rejected", "contacted", or None to keep the status
                (e.g. adding a note). "contacted" needs the person's notice sent or exempted
                (UsageError otherwise): record it in the same `store.batch()` to send it together.
            note, reason: replace the stored note/reason when given.
            score_shown: the score on screen at decision time, kept in the audit row.

        Returns:
            The new decision state.
        """
        if status is not None and status not in DECISION_STATUSES:
            raise ValueError(f"decision status must be one of {', '.join(DECISION_STATUSES)}")
        with self.transaction() as conn:
            self._lock_person(conn, candidate_id)
            if status == "contacted" and not notices.informed(conn, candidate_id):
                # GDPR Art. 14(3)(b): at the latest at first contact. Record the notice first (or with it).
                raise UsageError(f"candidate {candidate_id}: their GDPR Art. 14 notice is not recorded as sent; "
                                 "contact needs it sent first or together (`sourcing notices mark-sent`) or an exemption",
                                 "Notice not sent")
            before = self._decision_state(conn, job_id, candidate_id)
            after = dict(before or {"status": None, "note": None, "reason": None})
            if status is not None:
                after["status"] = status
                if status != "rejected":
                    after["reason"] = None
            if note is not None:
                after["note"] = clean_text(note)
            if reason is not None:
                after["reason"] = clean_text(reason, multiline=False)
            self._write_decision(conn, job_id, candidate_id, after, actor)
            self._audit(conn, "decision", actor=actor, target_type="candidate", target_id=candidate_id,
                        before={"job_id": job_id, "state": before},
                        after={"job_id": job_id, "state": after, "score_shown": score_shown,
                               **runlog.top_membership(conn, job_id, candidate_id)})
            conn.execute(update(t.candidate).where(t.candidate.c.id == candidate_id).values(last_activity_at=utcnow()))
        return after

    def undo_decision(self, job_id: int, candidate_id: int, *, actor: str) -> dict[str, Any] | None:
        """Undo the latest not-yet-undone decision on (job, candidate); returns the restored state.

        Returns None when there is nothing to undo.
        """
        with self.transaction() as conn:
            self._lock_person(conn, candidate_id)
            rows = conn.execute(
                select(t.audit_log).where(
                    t.audit_log.c.target_type == "candidate", t.audit_log.c.target_id == str(candidate_id),
                    t.audit_log.c.action.in_(("decision", "decision.undo")),
                ).order_by(t.audit_log.c.id.desc())
            ).all()
            undone = {r.after.get("undid") for r in rows if r.action == "decision.undo" and r.after}
            target = next(
                (r for r in rows if r.action == "decision" and r.id not in undone and (r.after or {}).get("job_id") == job_id),
                None,
            )
            if target is None:
                return None
            restored = (target.before or {}).get("state")
            current = self._decision_state(conn, job_id, candidate_id)
            self._write_decision(conn, job_id, candidate_id, restored, actor)
            self._audit(conn, "decision.undo", actor=actor, target_type="candidate", target_id=candidate_id,
                        before={"job_id": job_id, "state": current}, after={"job_id": job_id, "state": restored, "undid": target.id})
            return restored or {"status": None, "note": None, "reason": None}

    def get_decisions(self, job_id: int) -> dict[int, dict[str, Any]]:
        with self.connection() as conn:
            return {
                r.candidate_id: {"status": r.status, "note": r.note, "reason": r.reason, "updated_at": r.updated_at, "actor": r.actor}
                for r in conn.execute(select(t.decision).where(t.decision.c.job_id == job_id))
            }
