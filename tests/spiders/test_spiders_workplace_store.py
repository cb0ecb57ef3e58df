"""The workplace and stated pay reach the store: migration i13 from a 0001 database, and a round trip."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from sourcing.models import JobPosting
from sourcing.storage import Store
from sourcing.storage.engine import _alembic_config


def test_migration_from_0001_keeps_rows_and_marks_remote_jobs(tmp_path):
    from alembic import command

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg = _alembic_config(conn)
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO source (id, kind, key, created_at) VALUES (1, 'lever', 'lever:x', '2026-01-01 00:00:00')"))
        for i, remote in ((1, 1), (2, 0), (3, None)):
            conn.execute(text(
                "INSERT INTO job (id, source_id, external_id, title, description, remote, tags, own, status, first_seen, "
                "last_seen, updated_at) VALUES (:i, 1, :e, 'Engineer', '', :r, '[]', 0, 'open', '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"), {"i": i, "e": f"e{i}", "r": remote})
    engine.dispose()
    store = Store.open(str(path))  # migrates to head
    try:
        with store.connection() as conn:
            rows = conn.execute(text("SELECT id, remote, workplace, salary_text FROM job ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(1, 1, "remote", None), (2, 0, None, None), (3, None, None, None)]
    finally:
        store.close()


def test_hybrid_and_stated_pay_round_trip(tmp_path):
    store = Store.open(str(tmp_path / "s.db"))
    try:
        job = JobPosting("ashby", "a1", "Engineer", source_key="ashby:x", workplace="hybrid", remote=True,
                         salary_text="€50K – €60K", salary_min=50000.0, salary_max=60000.0, salary_currency="EUR")
        res = store.upsert_job(job)
        got = store.get_job(res.id)
        assert (got["workplace"], got["remote"], got["salary_text"]) == ("hybrid", False, "€50K – €60K")
        assert store.upsert_job(job).status == "unchanged"
    finally:
        store.close()


def test_the_ranker_reads_the_stored_workplace(tmp_path):
    from ranking.jobspec import spec_from_job

    store = Store.open(str(tmp_path / "r.db"))
    try:
        job = JobPosting("ashby", "h1", "Backend Engineer", description="Python and Django.", source_key="ashby:x",
                         workplace="hybrid", remote=True)
        spec = spec_from_job(store.get_job(store.upsert_job(job).id))
        assert spec.remote == "hybrid"  # not "onsite" from remote=False, not "remote" from isRemote
    finally:
        store.close()
