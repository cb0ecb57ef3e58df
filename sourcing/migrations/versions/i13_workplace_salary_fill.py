"""job.workplace and job.salary_text; crawl_run.field_counts

Revision ID: i13
Revises: i11
Create Date: 2026-12-03

`workplace` keeps hybrid apart from remote (the `remote` flag alone lost it);
`salary_text` keeps the pay as the source states it; `field_counts` records, per
crawl run, how many stored postings had a date, a salary, a location, a description.
Existing rows keep NULL (nothing is known about them until the next crawl); a job
flagged remote is marked `workplace = 'remote'` so the two columns agree.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i13"
down_revision = "i11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("salary_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("workplace", sa.String(length=8), nullable=True))
    # A bound boolean: SQLite stores it as 1, PostgreSQL has no boolean = integer operator.
    op.execute(sa.text("UPDATE job SET workplace = 'remote' WHERE remote = :yes").bindparams(yes=True))
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field_counts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.drop_column("field_counts")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("workplace")
        batch_op.drop_column("salary_text")
