"""Provides the store's tables (SQLAlchemy Core); Alembic migrations create them.

Every time is stored in UTC. Lists and small documents are JSON columns.
Personal data lives only in `candidate`, `candidate_key` and `profile` (and the
free-text `decision.note`, the notices' text and the fairness self-reports, all
keyed by candidate id), so erasure knows exactly what to remove.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


def naive_utc(value: datetime | None) -> datetime | None:
    """A datetime as `UTCDateTime` stores it: naive UTC (a naive value is taken as UTC already)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def sqlite_time(value: datetime | None) -> str | None:
    """The text SQLAlchemy writes for a `UTCDateTime` on SQLite, for statements run on the driver."""
    stored = naive_utc(value)
    return None if stored is None else stored.isoformat(" ", "microseconds")


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime, stored naive-UTC (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: D401 - SQLAlchemy hook
        return naive_utc(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

source = Table(
    "source",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("key", String(300), nullable=False, unique=True),
    Column("address", Text),
    Column("terms", Text),
    Column("created_at", UTCDateTime, nullable=False),
)

job = Table(
    "job",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("source.id", ondelete="SET NULL")),
    Column("external_id", String(300)),
    Column("posting_group", String(64), index=True),  # normalised company|title|location hash
    Column("title", Text, nullable=False),
    Column("company", Text),
    Column("location", Text),
    Column("remote", Boolean),
    Column("description", Text, nullable=False, default=""),
    Column("url", Text),
    Column("department", Text),
    Column("employment_type", Text),
    Column("seniority", Text),
    Column("salary_min", Float),
    Column("salary_max", Float),
    Column("salary_currency", String(8)),
    Column("salary_period", String(16)),
    Column("salary_text", Text),  # the pay as stated, when the source states it (i13)
    Column("workplace", String(8)),  # "remote" | "hybrid" | "onsite" | NULL: not said (i13)
    Column("tags", JSON, nullable=False, default=list),
    Column("credit", Text),
    Column("own", Boolean, nullable=False, default=False),
    Column("status", String(16), nullable=False, default="open"),
    Column("payload_hash", String(40)),
    Column("posted_at", UTCDateTime),
    Column("fetched_at", UTCDateTime),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("last_reviewed_at", UTCDateTime),
    UniqueConstraint("source_id", "external_id", name="uq_job_source_external"),
)

candidate = Table(
    "candidate",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text),
    Column("email", Text),
    Column("headline", Text),
    Column("location", Text),
    Column("pseudonym", String(40), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("last_activity_at", UTCDateTime, nullable=False),
)

# Identity keys that merge sources into one person: ("email", "a@b.c"), ("url", …), ("github", login).
candidate_key = Table(
    "candidate_key",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("value", String(500), primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), nullable=False, index=True),
)

profile = Table(
    "profile",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("source.id", ondelete="SET NULL")),
    Column("source_kind", String(40), nullable=False),
    Column("source_key", String(300), nullable=False),
    Column("external_id", String(300), nullable=False),
    Column("url", Text),
    Column("github_login", String(100)),
    Column("name", Text),
    Column("email", Text),
    Column("headline", Text),
    Column("location", Text),
    Column("remote", Boolean),
    Column("willing_to_relocate", Boolean),
    Column("summary", Text, nullable=False, default=""),
    Column("skills", JSON, nullable=False, default=list),
    Column("titles", JSON, nullable=False, default=list),
    Column("experience", JSON, nullable=False, default=list),
    Column("education", JSON, nullable=False, default=list),
    Column("languages", JSON, nullable=False, default=list),
    Column("extra_urls", JSON, nullable=False, default=list),
    Column("text", Text, nullable=False, default=""),
    Column("payload_hash", String(40), nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("source_key", "external_id", name="uq_profile_source_external"),
)

embedding = Table(
    "embedding",
    metadata,
    Column("model", String(200), primary_key=True),
    Column("text_hash", String(40), primary_key=True),
    Column("dim", Integer, nullable=False),
    Column("dtype", String(10), nullable=False),
    Column("vector", LargeBinary, nullable=False),
    Column("owner", String(40), index=True),  # "candidate:12" / "job:3", so erasure finds a person's vectors
    Column("created_at", UTCDateTime, nullable=False),
)

ranking = Table(
    "ranking",
    metadata,
    Column("job_id", Integer, ForeignKey("job.id", ondelete="CASCADE"), primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("components", JSON, nullable=False, default=dict),
    Column("explanation", JSON, nullable=False, default=dict),
    Column("model", String(200), nullable=False),
    Column("ranked_at", UTCDateTime, nullable=False),
    Index("ix_ranking_job_rank", "job_id", "rank"),
)

decision = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", Integer, ForeignKey("job.id", ondelete="CASCADE"), nullable=False),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16)),
    Column("note", Text),
    Column("reason", Text),
    Column("actor", String(100), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("job_id", "candidate_id", name="uq_decision_job_candidate"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target_type", String(20), nullable=False),
    Column("target_id", String(100), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_target", "target_type", "target_id"),
)

crawl_run = Table(
    "crawl_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("spider", String(40), nullable=False),
    Column("source_key", String(300)),
    Column("args", JSON, nullable=False, default=dict),
    Column("jobdir", Text),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False, default="running"),
    Column("items_new", Integer, nullable=False, default=0),
    Column("items_updated", Integer, nullable=False, default=0),
    Column("items_unchanged", Integer, nullable=False, default=0),
    Column("items_dropped", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("error_details", JSON, nullable=False, default=list),
    # postings stored by this run with each field filled: {"posted_at": 9, "salary": 2, ...} (i13)
    Column("field_counts", JSON),
)

# Resume state of a crawl run that may move between machines (scrapyd nodes, i14): the
# detail pages whose items are committed, keyed by the run's token, so a crawl a dead node
# started is resumed by another without fetching them again. Dropped when the run finishes.
crawl_resume = Table(
    "crawl_resume",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("page_key", Text, primary_key=True),
)

# Facts about the store itself (i14). `dnc_key_fingerprint`: an HMAC of a fixed text under the
# do-not-collect secret of a server store, so a machine with another secret is refused (the
# secret itself never enters the database: with it, the database could confirm a guessed URL).
store_meta = Table(
    "store_meta",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

# Hashes only: enough to recognise a record we must not collect again, nothing else.
do_not_collect = Table(
    "do_not_collect",
    metadata,
    Column("source_kind", String(40), primary_key=True),
    Column("value_hash", String(64), primary_key=True),
    Column("added_at", UTCDateTime, nullable=False),
)

brand_idea = Table(
    "brand_idea",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("idea_key", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("angle", String(40), nullable=False),
    Column("role", Text),
    Column("platform", String(20), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("draft", Text, nullable=False),
    Column("hashtags", JSON, nullable=False, default=list),
    Column("suggested_for", UTCDateTime),
    Column("evidence", JSON, nullable=False, default=list),
    Column("status", String(16), nullable=False, default="proposed"),
    Column("edited_text", Text),
    Column("decided_at", UTCDateTime),
    Column("actor", String(100)),
)

nightly_run = Table(
    "nightly_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False, default="running"),
    Column("exit_code", Integer),
    Column("report", JSON, nullable=False, default=dict),
)

# --- ranking indexes (issue 11): derived from profiles, rebuilt from them, erased with them ----
# What the ranker derives from a candidate's profiles (texts, chunks, skills, language), computed
# once per change; `blind` rows hold the masked texts. Triggers (migration i11) delete a
# candidate's rows and log the change in `rank_change` in the same transaction as the write.
rank_feature = Table(
    "rank_feature",
    metadata,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), primary_key=True),
    Column("blind", Boolean, primary_key=True),
    Column("seq", Integer, nullable=False),  # rank_change.seq this row was computed after
    Column("lang", String(8), nullable=False),
    Column("location", Text),
    Column("remote", Boolean),
    Column("chunk_hashes", Text, nullable=False),  # space-separated SHA-1s of the prepared chunks
    Column("title_hash", String(40), nullable=False),  # SHA-1 of the prepared title text
    Column("data", JSON, nullable=False),  # the serialised CandidateText + prepared texts
)

# Every write that changes what the ranker sees of a candidate appends a row (SQL triggers).
rank_change = Table(
    "rank_change",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("candidate_id", Integer, nullable=False, index=True),
)

# Small key/value state of the ranking indexes (e.g. the store token the index files carry).
rank_state = Table(
    "rank_state",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

# What the last ranking of a job covered: "best `saved` of `pool`", retrieved `retrieved`.
ranking_scope = Table(
    "ranking_scope",
    metadata,
    Column("job_id", Integer, ForeignKey("job.id", ondelete="CASCADE"), primary_key=True),
    Column("pool", Integer, nullable=False),
    Column("retrieved", Integer, nullable=False),
    Column("saved", Integer, nullable=False),
    Column("model", String(200), nullable=False),
    Column("ranked_at", UTCDateTime, nullable=False),
)

# --- responsible recruiting (issue 16): GDPR Art. 14 notices, AI Act run log, LL144 self-reports ---

# The explicit notice state of a person ("sent" or "not_required"); no row = derived
# ("due" when an e-mail is known, else "impossible"), deadline = candidate.created_at + 30 days.
notice = Table(
    "notice",
    metadata,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("channel", String(40)),
    Column("lang", String(5)),
    Column("text", Text),  # the notice as sent: the proof
    Column("reason", Text),  # Art. 14(5) reason of a "not_required"
    Column("actor", String(100), nullable=False),
)

# Every notice event (drafted, sent, not_required, reopened), oldest first: the history.
notice_event = Table(
    "notice_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("event", String(16), nullable=False),
    Column("channel", String(40)),
    Column("lang", String(5)),
    Column("text", Text),
    Column("reason", Text),
    Column("actor", String(100), nullable=False),
)

# One row per ranking run (AI Act Art. 12/26). No FK to job: the record outlives the job.
ranking_run = Table(
    "ranking_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("job_id", Integer, nullable=False, index=True),
    Column("model", String(200), nullable=False),
    Column("model_version", String(200)),
    Column("fusion_version", String(40)),
    Column("params", JSON, nullable=False, default=dict),
    Column("pool_size", Integer, nullable=False),
    Column("retrieved_k", Integer, nullable=False),
    Column("blind", Boolean, nullable=False),
    Column("ordering", String(16), nullable=False),  # "score" | "neutral" (oversight switch off)
    Column("top_n", Integer, nullable=False),
)

# The top list a run showed. `forget` sets candidate_id to NULL: the fact of the run stays.
ranking_run_entry = Table(
    "ranking_run_entry",
    metadata,
    Column("run_id", Integer, ForeignKey("ranking_run.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="SET NULL"), index=True),
    Column("score", Float),
)

# Voluntary self-reported categories (LL144), apart from profiles; never read by the ranker or the app.
fairness_self_report = Table(
    "fairness_self_report",
    metadata,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"), primary_key=True),
    Column("sex", Text),
    Column("race_ethnicity", Text),
    Column("imported_at", UTCDateTime, nullable=False),
)
