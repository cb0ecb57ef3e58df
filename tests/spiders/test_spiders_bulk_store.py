"""`sourcing.storage.crawl.upsert_jobs` must write exactly what `Store.upsert_job` writes, one by one."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from sourcing.models import JobPosting
from sourcing.storage.crawl import content_hash, dnc_hashes, is_blocked, upsert_jobs
from spiders.parsers import greenhouse, lever
from spiders_helpers import load

pytestmark = pytest.mark.postgres

IGNORED = {"id", "first_seen", "last_seen", "updated_at", "fetched_at", "source_id"}


def _jobs() -> list[JobPosting]:
    gh = [greenhouse.to_job(o, source_key="greenhouse:smarterdx", board="smarterdx") for o in load("real/greenhouse.json")["jobs"]]
    lv = [lever.to_job(o, source_key="lever:palantir", site="palantir") for o in load("real/lever.json")]
    when = datetime(2026, 11, 1, tzinfo=timezone.utc)
    return [replace(j, fetched_at=when) for j in gh + lv]


def _rows(store):
    rows = {(r["company"], r["external_id"]): {k: v for k, v in store.get_job(r["id"]).items() if k not in IGNORED}
            for r in store.list_jobs(open_only=False)}
    return rows


def test_bulk_equals_one_by_one(new_db_url, open_store):
    one, bulk = open_store(new_db_url("one")), open_store(new_db_url("bulk"))
    jobs = _jobs()
    first = [one.upsert_job(j).status for j in jobs]
    assert [r.status for r in upsert_jobs(bulk, jobs)] == first == ["new"] * 4
    assert _rows(one) == _rows(bulk)
    for row in bulk.list_jobs(open_only=False):  # the raw insert's timestamps read back as aware UTC
        full = bulk.get_job(row["id"])
        assert full["fetched_at"] == datetime(2026, 11, 1, tzinfo=timezone.utc)
        assert full["first_seen"] == full["last_seen"] == full["updated_at"] and full["first_seen"].tzinfo is not None
        assert full["own"] is False and full["status"] == "open"
    changed = [replace(jobs[0], title="Client Support Analyst II"), jobs[1], replace(jobs[2], tags=["remote"]), jobs[3]]
    expect = [one.upsert_job(j).status for j in changed]
    got = upsert_jobs(bulk, changed)
    assert [r.status for r in got] == expect == ["updated", "unchanged", "updated", "unchanged"]
    assert _rows(one) == _rows(bulk)
    assert [r.id for r in got] == [r["id"] for r in sorted(bulk.list_jobs(open_only=False), key=lambda r: r["id"])]
    assert {s["key"] for s in bulk.list_sources()} == {"greenhouse:smarterdx", "lever:palantir"}


def test_repeats_inside_one_batch(new_db_url, open_store):
    store = open_store(new_db_url("b"))
    a = _jobs()[0]
    results = upsert_jobs(store, [a, a, replace(a, title="Renamed")])
    assert [r.status for r in results] == ["new", "unchanged", "updated"]
    assert len({r.id for r in results}) == 1
    assert [j["title"] for j in store.list_jobs(open_only=False)] == ["Renamed"]


def test_preloaded_do_not_collect_matches_store(new_db_url, open_store):
    store = open_store(new_db_url("d"))
    store.add_do_not_collect("github", external_id="327146")
    store.add_do_not_collect("github", url="https://GitHub.com/nvie/")
    hashes = dnc_hashes(store, "github")
    for ext, url in (("327146", None), ("1", "https://github.com/nvie"), ("2", "https://github.com/other"), ("3", None)):
        assert is_blocked(hashes, "github", external_id=ext, url=url) == store.is_do_not_collect("github", external_id=ext, url=url)
    assert dnc_hashes(store, "greenhouse") == set()


def test_fast_content_hash_is_the_models_hash():
    for job in _jobs():
        assert content_hash(job) == job.content_hash()
        assert content_hash(replace(job, tags=["a", "b"], salary_min=1.5)) == replace(job, tags=["a", "b"], salary_min=1.5).content_hash()


def test_cached_posting_group_is_the_stores():
    from sourcing.storage import crawl, jobs

    cases = [(j.company, j.title, j.location) for j in _jobs()] + [
        (None, "Dev", None), ("ACME Inc.", "Développeur (m/w/d)", "Lyon, FR"), ("Acme", "Développeur", "lyon fr"), ("", "", "")]
    for c in cases * 2:  # twice: the second round comes from the caches
        assert crawl.posting_group(*c) == jobs.posting_group(*c)


def test_raw_rows_equal_store_rows_on_edge_values(new_db_url, open_store):
    """The driver-level INSERT/UPDATE convert values as SQLAlchemy does: None, floats, naive/aware times, non-ASCII."""
    from datetime import timedelta

    base = JobPosting(source_kind="lever", source_key="lever:edge", external_id="e1", title="Développeur·se \"senior\"",
                      description="Ligne 1\nLigne 2\t\u00e9\u2603 \\ fin", company="Édition SA", location=None, remote=None,
                      salary_min=41000.5, salary_max=60000.0, salary_currency="EUR", salary_period="year",
                      posted_at=datetime(2026, 3, 1, 12, 30), tags=[], credit=None,
                      fetched_at=datetime(2026, 11, 1, 9, 0, tzinfo=timezone(timedelta(hours=2))))
    cases = [base, replace(base, external_id="e2", remote=False, tags=["remote", "été"], location="Zürich", posted_at=None),
             replace(base, external_id="e3", remote=True, salary_min=None, description="")]
    one, bulk = open_store(new_db_url("one")), open_store(new_db_url("bulk"))
    for round_ in (cases, [replace(c, title=c.title + " II") for c in cases[:2]] + cases[2:]):
        expect = [one.upsert_job(j).status for j in round_]
        assert [r.status for r in upsert_jobs(bulk, round_)] == expect
        assert _rows(one) == _rows(bulk)
        for a, b in zip(sorted(one.list_jobs(open_only=False), key=lambda r: r["external_id"]),
                        sorted(bulk.list_jobs(open_only=False), key=lambda r: r["external_id"])):
            ja, jb = one.get_job(a["id"]), bulk.get_job(b["id"])
            assert ja["fetched_at"] == jb["fetched_at"] and ja["posted_at"] == jb["posted_at"]
    for job in cases:
        assert content_hash(job) == job.content_hash()


def test_unchanged_rows_only_get_sighting_times(new_db_url, open_store):
    store = open_store(new_db_url("u"))
    jobs = _jobs()
    upsert_jobs(store, jobs)
    before = {r["id"]: store.get_job(r["id"]) for r in store.list_jobs(open_only=False)}
    later = [replace(j, fetched_at=datetime(2026, 11, 2, tzinfo=timezone.utc)) for j in jobs]
    assert {r.status for r in upsert_jobs(store, later)} == {"unchanged"}
    for rid, old in before.items():
        new = store.get_job(rid)
        assert new["fetched_at"] == datetime(2026, 11, 2, tzinfo=timezone.utc) and new["last_seen"] > old["last_seen"]
        assert {k: v for k, v in new.items() if k not in ("fetched_at", "last_seen")} == \
               {k: v for k, v in old.items() if k not in ("fetched_at", "last_seen")}


def test_empty_do_not_collect_list_blocks_nothing():
    assert not is_blocked(set(), "github", external_id="327146", url="https://github.com/nvie")


def test_a_plain_set_of_legacy_hashes_blocks_without_a_secret():
    """Entries written before the secret existed are plain SHA-256; a set of them (no `key`) still blocks.

    Mutant killed: `getattr(hashes, "key")` without its default in `is_blocked` (AttributeError on a set
    that carries no secret)."""
    from sourcing.storage.dnc import legacy_hash

    hashes = {legacy_hash("github", "327146")}
    assert is_blocked(hashes, "github", external_id="327146")
    assert not is_blocked(hashes, "github", external_id="1", url="https://github.com/other")


def test_the_keyed_form_is_hmac_of_kind_nul_and_the_folded_value():
    """The written form of an entry must not change between versions, or people erased before an upgrade
    would be collected after it: HMAC-SHA256(secret, kind NUL value stripped and lower-cased), as hex.

    Mutant killed: `.upper()` for `.lower()` in `keyed_hash` (consistent with itself, so only a fixed
    form catches it)."""
    import hashlib
    import hmac

    from sourcing.storage.dnc import keyed_hash

    key = bytes(range(32))
    assert keyed_hash(key, "github", "  NVIE ") == hmac.new(key, b"github\x00nvie", hashlib.sha256).hexdigest()


def test_batches_in_one_transaction_and_after_a_failed_one(new_db_url, open_store):
    """Several batches in one `store.batch()` each write their own postings (PostgreSQL: through one load table);
    a batch whose transaction fails stores nothing, and the next batch is written in full."""
    store = open_store(new_db_url("t"))
    jobs = _jobs()
    with store.batch():
        assert [r.status for r in upsert_jobs(store, jobs[:2])] == ["new", "new"]
        assert [r.status for r in upsert_jobs(store, jobs[1:3])] == ["unchanged", "new"]
    assert sorted(j["external_id"] for j in store.list_jobs(open_only=False)) == sorted(j.external_id for j in jobs[:3])
    with pytest.raises(Exception, match="(?i)null"):  # title is NOT NULL on both dialects
        upsert_jobs(store, [replace(jobs[3], external_id="x1"), replace(jobs[3], external_id="x2", title=None)])
    assert len(store.list_jobs(open_only=False)) == 3
    assert [r.status for r in upsert_jobs(store, [replace(jobs[3], external_id="x1"), jobs[3]])] == ["new", "new"]
    assert len(store.list_jobs(open_only=False)) == 5


def test_postgres_lookup_probes_the_index_before_any_analyze(new_db_url, open_store):
    """A first crawl of a big board: the table has no statistics yet, and a batch's lookup must
    still find its postings through the (source_id, external_id) index, not by reading and
    filtering every posting of the source already stored (each batch slower than the last)."""
    import json

    from db_backends import ON_POSTGRES
    from sourcing.storage.crawl import _existing, _pg_driver

    if not ON_POSTGRES:
        pytest.skip("PostgreSQL's planner only: SQLite looks the ids up in the unique index with IN (...)")
    store = open_store(new_db_url("big"))
    base = _jobs()[-1]
    upsert_jobs(store, [replace(base, external_id=f"bench-{i:05d}") for i in range(600)])
    ids = [f"bench-{i:05d}" for i in range(200, 300)]

    class Explain:  # runs what _existing runs, as EXPLAIN ANALYZE
        def __init__(self, pg):
            self.pg, self.plan = pg, None

        def execute(self, sql, params):
            self.plan = self.pg.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()[0]
            return self.pg.execute(sql, params)

    with store.transaction() as conn:
        sid = conn.exec_driver_sql("SELECT id FROM source WHERE key = %s", (base.source_key,)).scalar_one()
        probe = Explain(_pg_driver(conn))
        found = _existing(conn, None, sid, ids, True, probe)
    assert sorted(ext for _id, ext, _digest in found) == ids

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    plan = list(nodes(probe.plan[0]["Plan"]))
    assert sum(n.get("Rows Removed by Filter", 0) + n.get("Rows Removed by Index Recheck", 0) for n in plan) == 0, json.dumps(plan)
    scans = [n for n in plan if n["Node Type"] in ("Index Scan", "Index Only Scan")]
    assert scans and all("external_id" in n.get("Index Cond", "") for n in scans), json.dumps(plan)
