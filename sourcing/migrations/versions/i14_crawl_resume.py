"""crawl_resume: resume state of crawls that run on scrapyd nodes; store_meta

Revision ID: i14
Revises: i13
Create Date: 2026-12-03

A crawl scheduled on a scrapyd node keeps its "done" detail pages in the store, keyed by
the run's token, instead of a `done.txt` on the node: a crawl whose node died is resumed
by another node without fetching those pages again. `store_meta` keeps the fingerprint of a
server store's do-not-collect secret, so every machine writing it is checked to share it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i14"
down_revision = "i13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_resume",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("page_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("token", "page_key"),
    )
    op.create_table(
        "store_meta",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("store_meta")
    op.drop_table("crawl_resume")
