"""responsible recruiting: notice state and history, ranking-run log, fairness self-reports

Revision ID: i16
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sourcing.storage.schema

revision = "i16"
down_revision = "0001"
branch_labels = None
depends_on = None

_UTC = sourcing.storage.schema.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("lang", sa.String(length=5), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], name=op.f("fk_notice_candidate_id_candidate"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_notice")),
    )
    op.create_table(
        "notice_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("lang", sa.String(length=5), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], name=op.f("fk_notice_event_candidate_id_candidate"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_event")),
    )
    op.create_index(op.f("ix_notice_event_candidate_id"), "notice_event", ["candidate_id"], unique=False)
    op.create_table(
        "ranking_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=True),
        sa.Column("fusion_version", sa.String(length=40), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("pool_size", sa.Integer(), nullable=False),
        sa.Column("retrieved_k", sa.Integer(), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("ordering", sa.String(length=16), nullable=False),
        sa.Column("top_n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_run")),
    )
    op.create_index(op.f("ix_ranking_run_at"), "ranking_run", ["at"], unique=False)
    op.create_index(op.f("ix_ranking_run_job_id"), "ranking_run", ["job_id"], unique=False)
    op.create_table(
        "ranking_run_entry",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["ranking_run.id"], name=op.f("fk_ranking_run_entry_run_id_ranking_run"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], name=op.f("fk_ranking_run_entry_candidate_id_candidate"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_ranking_run_entry")),
    )
    op.create_index(op.f("ix_ranking_run_entry_candidate_id"), "ranking_run_entry", ["candidate_id"], unique=False)
    op.create_table(
        "fairness_self_report",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("sex", sa.Text(), nullable=True),
        sa.Column("race_ethnicity", sa.Text(), nullable=True),
        sa.Column("imported_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], name=op.f("fk_fairness_self_report_candidate_id_candidate"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_fairness_self_report")),
    )


def downgrade() -> None:
    op.drop_table("fairness_self_report")
    op.drop_index(op.f("ix_ranking_run_entry_candidate_id"), table_name="ranking_run_entry")
    op.drop_table("ranking_run_entry")
    op.drop_index(op.f("ix_ranking_run_job_id"), table_name="ranking_run")
    op.drop_index(op.f("ix_ranking_run_at"), table_name="ranking_run")
    op.drop_table("ranking_run")
    op.drop_index(op.f("ix_notice_event_candidate_id"), table_name="notice_event")
    op.drop_table("notice_event")
    op.drop_table("notice")
