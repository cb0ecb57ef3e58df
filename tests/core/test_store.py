"""Store tests on real SQLite files: migrations, idempotent upserts, merging, concurrency, erasure."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine, inspect, text

from sourcing.errors import NotFoundError, StoreError
from sourcing.models import JobPosting, ProfileRecord, RankedCandidate
from sourcing.storage import Store
from sourcing.storage.engine import create_store_engine

pytestmark = pytest.mark.postgres

TABLES = {"source", "job", "candidate", "candidate_key", "profile", "embedding", "ranking", "decision",
          "audit_log", "crawl_run", "do_not_collect", "brand_idea", "nightly_run", "alembic_version"}


def job(**kw):
    base = dict(source_kind="greenhouse", external_id="42", title="Backend Engineer", description="Python",
                source_key="greenhouse:acme", company="Acme", location="Paris")
    base.update(kw)
    return JobPosting(**base)


def test_migrates_from_empty_file_with_private_mode(db_path):
    Store.open(str(db_path)).close()
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    insp = inspect(create_engine(f"sqlite:///{db_path}"))
    assert TABLES <= set(insp.get_table_names())
    with create_engine(f"sqlite:///{db_path}").connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    with Store.open(str(db_path)) as s:
        s.upsert_job(job())

    def state():
        with create_engine(f"sqlite:///{db_path}").connect() as conn:
            return (conn.execute(text("SELECT version_num FROM alembic_version")).all(),
                    conn.execute(text("SELECT type, name, sql FROM sqlite_master ORDER BY name")).all(),
                    conn.execute(text("SELECT id, external_id, title FROM job")).all())

    before = state()
    assert before[2] == [(1, "42", "Backend Engineer")]
    Store.open(str(db_path)).close()  # reopening an up-to-date file is a no-op: same version, schema and rows
    assert state() == before


@pytest.mark.sqlite_only(reason="SQLite's per-connection PRAGMAs")
def test_pragmas_on_every_connection(store):
    with store.connection() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_current_store_opens_without_importing_alembic(db_path):
    """The head is read from the migration files; Alembic is imported only to upgrade (or refuse)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sourcing.storage.engine import code_head

    cfg = Config()
    cfg.set_main_option("script_location", "sourcing:migrations")
    assert code_head() == ScriptDirectory.from_config(cfg).get_current_head()
    probe = textwrap.dedent(f"""
        import sys
        from sourcing.storage import Store
        Store.open({str(db_path)!r}).close()
        print(sorted(m for m in sys.modules if m.split(".")[0] == "alembic"))
    """)
    run = lambda: subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert run() != "[]"  # a new file is migrated by Alembic
    assert run() == "[]"  # then it is at head: one SELECT of alembic_version


def test_newer_schema_is_refused(db_url):
    Store.open(db_url).close()
    eng = create_store_engine(db_url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    eng.dispose()
    with pytest.raises(StoreError, match="newer than this version"):
        Store.open(db_url)


def test_not_a_database_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store.open(str(junk))


def test_job_upsert_is_idempotent_and_detects_change(store):
    first = store.upsert_job(job())
    assert first.status == "new"
    assert store.upsert_job(job()).status == "unchanged"
    assert store.upsert_job(job(description="Python and Django")).status == "updated"
    assert len(store.list_jobs()) == 1
    row = store.get_job(first.id)
    assert row["description"] == "Python and Django"
    assert row["source_key"] == "greenhouse:acme"


def test_same_posting_on_two_boards_shares_a_group(store):
    a = store.upsert_job(job())
    b = store.upsert_job(job(source_kind="lever", source_key="lever:acme", external_id="abc", company="ACME Inc.",
                             title="Backend engineer (m/f/d)", location="paris"))
    assert store.get_job(a.id)["posting_group"] == store.get_job(b.id)["posting_group"]


def profile(**kw):
    base = dict(source_kind="github", external_id="1", source_key="github", name="Ada L", github_login="adal",
                url="https://github.com/adal", skills=["Python"], location="Paris")
    base.update(kw)
    return ProfileRecord(**base)


def test_profile_upsert_idempotent_and_merges_sources(store):
    r = store.upsert_profile(profile())
    assert (r.status, store.upsert_profile(profile()).status) == ("new", "unchanged")
    other = store.upsert_profile(ProfileRecord(
        "jsonresume", "https://ada.example/resume.json", source_key="jsonresume", name="Ada Lovelace",
        email="ada@example.org", extra_urls=["http://www.github.com/AdaL/"]))
    assert other.candidate_id == r.candidate_id
    person = store.get_candidate(r.candidate_id)
    assert {p["source_kind"] for p in person["profiles"]} == {"github", "jsonresume"}
    assert all(p["fetched_at"] is not None and p["source_key"] for p in person["profiles"])  # provenance
    assert store.count_candidates() == 1


def test_profile_bridging_two_people_merges_them(store):
    a = store.upsert_profile(profile())
    b = store.upsert_profile(ProfileRecord("import", "x", email="ada@example.org", name="Ada"))
    assert a.candidate_id != b.candidate_id
    c = store.upsert_profile(ProfileRecord("hn_candidates", "99", email="ADA@example.org", url="https://github.com/adal"))
    assert c.candidate_id == min(a.candidate_id, b.candidate_id)
    assert store.count_candidates() == 1
    assert len(store.get_candidate(c.candidate_id)["profiles"]) == 3


def test_decisions_audit_and_undo(store):
    cid = store.upsert_profile(profile()).candidate_id
    jid = store.add_job("Django dev", "Django")
    store.save_ranking(jid, "fake", [RankedCandidate(cid, 0.7)])
    store.set_decision(jid, cid, "shortlisted", actor="rita", score_shown=0.7)
    store.set_decision(jid, cid, "rejected", reason="no Django", actor="rita", score_shown=0.7)
    assert store.get_decisions(jid)[cid]["status"] == "rejected"
    assert store.undo_decision(jid, cid, actor="rita")["status"] == "shortlisted"
    assert store.undo_decision(jid, cid, actor="rita")["status"] is None
    assert cid not in store.get_decisions(jid)
    assert store.undo_decision(jid, cid, actor="rita") is None
    actions = [a["action"] for a in store.audit_entries(target_type="candidate", target_id=cid)]
    assert actions == ["decision", "decision", "decision.undo", "decision.undo"]
    first = store.audit_entries(target_type="candidate", target_id=cid)[0]
    assert first["after"]["score_shown"] == 0.7 and first["actor"] == "rita"


def test_embedding_cache_keeps_first_vector(store):
    store.put_embeddings("m", {"h1": b"\x01" * 8}, dim=2)
    store.put_embeddings("m", {"h1": b"\x02" * 8, "h2": b"\x03" * 8}, dim=2)
    assert store.get_embeddings("m", ["h1", "h2", "h3"]) == {"h1": b"\x01" * 8, "h2": b"\x03" * 8}
    assert store.count_embeddings("m") == 2 and store.count_embeddings("other") == 0


def test_forget_erases_everywhere_and_blocks_recollection(store, on_disk):
    p = profile(name="Zorblax Quux", summary="unique-marker-7731")
    cid = store.upsert_profile(p).candidate_id
    jid = store.add_job("Django dev", "Django")
    store.set_decision(jid, cid, "maybe", note="Zorblax seemed keen", actor="rita")
    store.put_embeddings("m", {"h": b"\0" * 8}, dim=2, owners={"h": f"candidate:{cid}"})
    counts = store.forget_candidate(cid, actor="dpo")
    assert counts["profiles"] == 1 and counts["embeddings"] == 1 and counts["decisions"] == 1
    with pytest.raises(NotFoundError):
        store.get_candidate(cid)
    assert [a["action"] for a in store.audit_entries()] == ["job.add", "candidate.erased"]
    assert store.upsert_profile(p).status == "blocked"
    assert store.count_candidates() == 0
    assert on_disk(b"Zorblax", b"unique-marker-7731") == []


def test_forget_scrubs_crawl_runs_of_a_source_that_was_this_person(store, on_disk, tmp_path):
    url = "https://registry.example.org/zorblax-quux.json"
    p = ProfileRecord(source_kind="jsonresume", external_id=url, url=url, source_key=f"jsonresume:{url}", name="Zorblax Quux")
    cid = store.upsert_profile(p).candidate_id
    jobdir = tmp_path / "crawls" / "jsonresume_zorblax-quux" / "20261126"
    jobdir.mkdir(parents=True)
    (jobdir / "requests.queue").write_text(url)
    mine = store.start_crawl_run("jsonresume", f"jsonresume:{url}", {"url": url}, jobdir=str(jobdir))
    store.finish_crawl_run(mine, status="partial", new=1, errors=1, error_details=[{"where": url, "reason": "HTTP 404"}])
    other = store.start_crawl_run("greenhouse", "greenhouse:acme", {"board": "acme"})
    counts = store.forget_candidate(cid, actor="dpo")
    assert counts["crawl_records"] == 2  # the run and the source row
    runs = {r["id"]: r for r in store.list_crawl_runs()}
    assert runs[mine]["source_key"] == "jsonresume:[erased]" and runs[mine]["args"] == {"url": "[erased]"}
    assert runs[mine]["error_details"] == [{"where": "[erased]", "reason": "HTTP 404"}] and runs[mine]["items_new"] == 1
    assert runs[other]["source_key"] == "greenhouse:acme"  # other sources' history is untouched
    assert not jobdir.exists()  # the crawl's request queue held the URL too
    assert on_disk(b"zorblax-quux") == []


WRITER = textwrap.dedent("""
    import sys
    from sourcing.storage import Store
    from sourcing.models import JobPosting
    s = Store.open(sys.argv[1])
    for i in range(int(sys.argv[3])):
        s.upsert_job(JobPosting("greenhouse", f"{sys.argv[2]}-{i}", f"Job {i}", source_key="greenhouse:x"))
    s.close()
""")


def test_concurrent_writers_and_reader_lose_nothing(db_url):
    Store.open(db_url).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db_url, name, "150"]) for name in ("a", "b")]
    reader = Store.open(db_url)
    seen = [len(reader.list_jobs())]  # reads never fail (no "database is locked") while writers hold the lock
    while any(p.poll() is None for p in procs):
        seen.append(len(reader.list_jobs()))
    assert [p.wait() for p in procs] == [0, 0]
    # Each read sees whole commits only: counts never go back, never pass what was written.
    # (How many reads land mid-write depends on scheduling, so only the order is asserted.)
    assert seen == sorted(seen) and seen[-1] <= 300
    assert len(reader.list_jobs()) == 300
    reader.close()


def test_every_migration_downgrades_to_an_empty_schema_and_upgrades_again(db_path):
    """`downgrade()` of each migration undoes its `upgrade()`: base leaves no table, head rebuilds them all.

    Mutant caught: a `downgrade()` that forgets a table (it would be left at base, and the
    next upgrade would fail creating it again).
    """
    from alembic import command

    from sourcing.storage.engine import _alembic_config

    Store.open(str(db_path)).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 0
    engine.dispose()
    with Store.open(str(db_path)) as s:  # upgrades from base again, and works
        assert s.upsert_job(job()).status == "new"
    assert TABLES <= set(inspect(create_engine(f"sqlite:///{db_path}")).get_table_names())
