"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sourcing.storage.schema

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.String(length=100), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_target', ['target_type', 'target_id'], unique=False)

    op.create_table('brand_idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('angle', sa.String(length=40), nullable=False),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('draft', sa.Text(), nullable=False),
    sa.Column('hashtags', sa.JSON(), nullable=False),
    sa.Column('suggested_for', sourcing.storage.schema.UTCDateTime(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('edited_text', sa.Text(), nullable=True),
    sa.Column('decided_at', sourcing.storage.schema.UTCDateTime(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brand_idea')),
    sa.UniqueConstraint('idea_key', name=op.f('uq_brand_idea_idea_key'))
    )
    op.create_table('candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('headline', sa.Text(), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('pseudonym', sa.String(length=40), nullable=False),
    sa.Column('created_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('last_activity_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_candidate_pseudonym'))
    )
    op.create_table('crawl_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spider', sa.String(length=40), nullable=False),
    sa.Column('source_key', sa.String(length=300), nullable=True),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('jobdir', sa.Text(), nullable=True),
    sa.Column('started_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sourcing.storage.schema.UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('items_new', sa.Integer(), nullable=False),
    sa.Column('items_updated', sa.Integer(), nullable=False),
    sa.Column('items_unchanged', sa.Integer(), nullable=False),
    sa.Column('items_dropped', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('error_details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_run'))
    )
    op.create_table('do_not_collect',
    sa.Column('source_kind', sa.String(length=40), nullable=False),
    sa.Column('value_hash', sa.String(length=64), nullable=False),
    sa.Column('added_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('source_kind', 'value_hash', name=op.f('pk_do_not_collect'))
    )
    op.create_table('embedding',
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('text_hash', sa.String(length=40), nullable=False),
    sa.Column('dim', sa.Integer(), nullable=False),
    sa.Column('dtype', sa.String(length=10), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=True),
    sa.Column('created_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('model', 'text_hash', name=op.f('pk_embedding'))
    )
    with op.batch_alter_table('embedding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_embedding_owner'), ['owner'], unique=False)

    op.create_table('nightly_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sourcing.storage.schema.UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('exit_code', sa.Integer(), nullable=True),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nightly_run'))
    )
    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('created_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('key', name=op.f('uq_source_key'))
    )
    op.create_table('candidate_key',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_candidate_key_candidate_id_candidate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kind', 'value', name=op.f('pk_candidate_key'))
    )
    with op.batch_alter_table('candidate_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_key_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.String(length=300), nullable=True),
    sa.Column('posting_group', sa.String(length=64), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('company', sa.Text(), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('remote', sa.Boolean(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('department', sa.Text(), nullable=True),
    sa.Column('employment_type', sa.Text(), nullable=True),
    sa.Column('seniority', sa.Text(), nullable=True),
    sa.Column('salary_min', sa.Float(), nullable=True),
    sa.Column('salary_max', sa.Float(), nullable=True),
    sa.Column('salary_currency', sa.String(length=8), nullable=True),
    sa.Column('salary_period', sa.String(length=16), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('credit', sa.Text(), nullable=True),
    sa.Column('own', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('payload_hash', sa.String(length=40), nullable=True),
    sa.Column('posted_at', sourcing.storage.schema.UTCDateTime(), nullable=True),
    sa.Column('fetched_at', sourcing.storage.schema.UTCDateTime(), nullable=True),
    sa.Column('first_seen', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('last_seen', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('last_reviewed_at', sourcing.storage.schema.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_job_source_id_source'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    sa.UniqueConstraint('source_id', 'external_id', name='uq_job_source_external')
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_posting_group'), ['posting_group'], unique=False)

    op.create_table('profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('source_kind', sa.String(length=40), nullable=False),
    sa.Column('source_key', sa.String(length=300), nullable=False),
    sa.Column('external_id', sa.String(length=300), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('github_login', sa.String(length=100), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('headline', sa.Text(), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('remote', sa.Boolean(), nullable=True),
    sa.Column('willing_to_relocate', sa.Boolean(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('experience', sa.JSON(), nullable=False),
    sa.Column('education', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('extra_urls', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('payload_hash', sa.String(length=40), nullable=False),
    sa.Column('fetched_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('first_seen', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_profile_candidate_id_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_profile_source_id_source'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile')),
    sa.UniqueConstraint('source_key', 'external_id', name='uq_profile_source_external')
    )
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_decision_candidate_id_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_decision_job_id_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('job_id', 'candidate_id', name='uq_decision_job_candidate')
    )
    op.create_table('ranking',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('components', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('ranked_at', sourcing.storage.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_ranking_candidate_id_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_ranking_job_id_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'candidate_id', name=op.f('pk_ranking'))
    )
    with op.batch_alter_table('ranking', schema=None) as batch_op:
        batch_op.create_index('ix_ranking_job_rank', ['job_id', 'rank'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ranking', schema=None) as batch_op:
        batch_op.drop_index('ix_ranking_job_rank')

    op.drop_table('ranking')
    op.drop_table('decision')
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_candidate_id'))

    op.drop_table('profile')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_posting_group'))

    op.drop_table('job')
    with op.batch_alter_table('candidate_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_key_candidate_id'))

    op.drop_table('candidate_key')
    op.drop_table('source')
    op.drop_table('nightly_run')
    with op.batch_alter_table('embedding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_embedding_owner'))

    op.drop_table('embedding')
    op.drop_table('do_not_collect')
    op.drop_table('crawl_run')
    op.drop_table('candidate')
    op.drop_table('brand_idea')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_target')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
