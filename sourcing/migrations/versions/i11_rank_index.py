"""ranking indexes: derived features, change log, lexical FTS5 index, ranking scope

Revision ID: i11
Revises: i16
Create Date: 2026-12-03

The change log and the invalidation of derived rows are SQL triggers, so they commit in
the same transaction as the profile write that causes them (a crash cannot separate them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sourcing.storage.schema

revision = "i11"
down_revision = "i16"
branch_labels = None
depends_on = None

# Statements run on SQLite only (FTS5 and triggers); other databases rank with the one-stage path.
_INVALIDATE = """
  INSERT INTO rank_change(candidate_id) VALUES ({cid});
  DELETE FROM rank_feature WHERE candidate_id = {cid};
  DELETE FROM rank_fts WHERE rowid = {cid};"""
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE rank_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER rank_profile_ins AFTER INSERT ON profile BEGIN" + _INVALIDATE.format(cid="NEW.candidate_id") + "\nEND",
    "CREATE TRIGGER rank_profile_upd AFTER UPDATE ON profile"
    " WHEN OLD.payload_hash IS NOT NEW.payload_hash OR OLD.candidate_id IS NOT NEW.candidate_id BEGIN"
    + _INVALIDATE.format(cid="OLD.candidate_id") + _INVALIDATE.format(cid="NEW.candidate_id") + "\nEND",
    "CREATE TRIGGER rank_profile_del AFTER DELETE ON profile BEGIN" + _INVALIDATE.format(cid="OLD.candidate_id") + "\nEND",
    "CREATE TRIGGER rank_candidate_upd AFTER UPDATE OF name, headline, location ON candidate"
    " WHEN OLD.name IS NOT NEW.name OR OLD.headline IS NOT NEW.headline OR OLD.location IS NOT NEW.location BEGIN"
    + _INVALIDATE.format(cid="OLD.id") + "\nEND",
    "CREATE TRIGGER rank_candidate_del AFTER DELETE ON candidate BEGIN" + _INVALIDATE.format(cid="OLD.id") + "\nEND",
]


def upgrade() -> None:
    op.create_table(
        "rank_feature",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("remote", sa.Boolean(), nullable=True),
        sa.Column("chunk_hashes", sa.Text(), nullable=False),
        sa.Column("title_hash", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], name=op.f("fk_rank_feature_candidate_id_candidate"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("candidate_id", "blind", name=op.f("pk_rank_feature")),
    )
    op.create_table(
        "rank_change",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_rank_change")),
    )
    with op.batch_alter_table("rank_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rank_change_candidate_id"), ["candidate_id"], unique=False)
    op.create_table(
        "rank_state",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rank_state")),
    )
    op.create_table(
        "ranking_scope",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("pool", sa.Integer(), nullable=False),
        sa.Column("retrieved", sa.Integer(), nullable=False),
        sa.Column("saved", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("ranked_at", sourcing.storage.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_ranking_scope_job_id_job"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_ranking_scope")),
    )
    if op.get_bind().dialect.name == "sqlite":
        for stmt in SQLITE_DDL:
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("rank_profile_ins", "rank_profile_upd", "rank_profile_del", "rank_candidate_upd", "rank_candidate_del"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS rank_fts")
    op.drop_table("ranking_scope")
    op.drop_table("rank_state")
    with op.batch_alter_table("rank_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rank_change_candidate_id"))
    op.drop_table("rank_change")
    op.drop_table("rank_feature")
