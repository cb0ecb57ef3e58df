"""The store writer process: acknowledged commits, failed batches, and a crawl that loses its writer."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import psutil
import pytest

from sourcing.models import JobPosting, ProfileRecord
from spiders.writer import StoreWriter, WriterGone, pack, unpack
from spiders_helpers import gated_postings_site, wait_until


def _job(i: int, **kw: Any) -> JobPosting:
    return JobPosting(source_kind="lever", source_key="lever:w", external_id=f"w{i}", title=f"Role {i}",
                      description=f"Text {i}\nline two", company="W", location="Lyon",
                      fetched_at=datetime(2026, 11, 1, tzinfo=timezone.utc), **kw)


def _writers(db: str) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if "spiders.writer" in " ".join(p.info["cmdline"] or []) and p.environ().get("SOURCING_WRITER_DB") == db:
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


@pytest.mark.postgres
def test_writer_acknowledges_each_commit_with_its_counts(db, open_store):
    open_store(db)  # schema in place, as the crawl process has it
    writer = StoreWriter(db, max_in_flight=2)
    outcomes = []
    for b in range(5):
        outcomes += writer.submit([_job(i) for i in range(b * 10, b * 10 + 10)], f"batch{b}")
        assert len(writer.in_flight) <= 2  # bounded: the crawl waits rather than buffering without end
    outcomes += writer.submit([_job(i) for i in range(5)] + [replace(_job(5), title="Renamed")], "again")
    outcomes += writer.close()
    assert writer.proc.returncode == 0
    assert [tag for tag, _, _ in outcomes] == [f"batch{b}" for b in range(5)] + ["again"]  # in order, each once
    assert all(kind == "ok" for _, kind, _ in outcomes)
    assert [c for _, _, c in outcomes] == [{"new": 10}] * 5 + [{"unchanged": 5, "updated": 1}]
    assert writer.stats["batches"] == 6 and writer.stats["cpu_seconds"] > 0 and 0 < writer.stats["peak_rss_mb"] < 1000
    store = open_store(db)
    jobs = store.list_jobs(open_only=False)
    assert len(jobs) == 50 and len({j["external_id"] for j in jobs}) == 50
    assert store.get_job(next(j["id"] for j in jobs if j["external_id"] == "w5"))["title"] == "Renamed"


def test_a_batch_travels_as_tuples_and_comes_back_equal():
    job = _job(1, tags=["remote", "fr"], posted_at=datetime(2026, 10, 2, 9, 30, tzinfo=timezone.utc), salary_min=40000.0,
               remote=True, credit="via RemoteOK")
    profile = ProfileRecord(source_kind="github", external_id="u1", name="Ada", skills=["python"],
                            fetched_at=datetime(2026, 11, 1, tzinfo=timezone.utc))
    packed = pack([job, profile, _job(2)])
    assert [type(r) for r in packed] == [tuple, ProfileRecord, tuple]  # postings as plain values, profiles as they are
    assert unpack(packed) == [job, profile, _job(2)]
    assert unpack(packed)[0].content_hash() == job.content_hash()


@pytest.mark.postgres
def test_a_failed_batch_is_reported_and_the_next_one_commits(db, open_store):
    open_store(db)
    writer = StoreWriter(db)
    bad = replace(_job(1), title=None)  # NOT NULL: the whole transaction fails
    outcomes = writer.submit([_job(0), bad], "bad") + writer.submit([_job(2)], "good") + writer.close()
    assert [(tag, kind) for tag, kind, _ in outcomes] == [("bad", "error"), ("good", "ok")]
    assert "IntegrityError" in outcomes[0][2]
    assert [j["external_id"] for j in open_store(db).list_jobs(open_only=False)] == ["w2"]  # nothing of the failed batch


@pytest.mark.postgres
def test_a_dead_writer_is_noticed(db, open_store):
    open_store(db)
    writer = StoreWriter(db)
    writer.proc.kill()
    writer.proc.wait()
    with pytest.raises(WriterGone):
        writer.submit([_job(0)], "lost")
        writer.poll(wait=True)
    assert "lost" in writer.in_flight.values()
    writer.abandon()


@pytest.mark.postgres
def test_writer_exits_when_the_crawl_process_is_gone(db, open_store):
    open_store(db)
    writer = StoreWriter(db)
    writer.submit([_job(0)], "one")
    writer.proc.stdin.close()  # what a kill -9 of the crawl process does to the pipe
    assert writer.proc.wait(timeout=30) == 0
    assert [j["external_id"] for j in open_store(db).list_jobs(open_only=False)] == ["w0"]


def test_crawl_that_loses_its_writer_goes_on_inline_and_loses_nothing_silently(site, db, crawl, open_store):
    n, gate = 20, 8
    reached, release, fetched = gated_postings_site(site, n, gate)
    entry = {"kind": "smartrecruiters", "company": "acme", "base_url": site.url}
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(out=crawl(entry, db, settings={"SOURCING_BATCH_SIZE": 1})))
    worker.start()
    try:
        assert reached.wait(60), "the crawl never got past the first detail pages"
        store = open_store(db)
        wait_until(lambda: len(store.list_jobs(open_only=False)) >= gate)
        writers = _writers(db)
        assert len(writers) == 1, "the crawl runs one writer process"
        writers[0].suspend()  # it stops committing: the next batches stay unacknowledged...
        release.set()
        wait_until(lambda: len(fetched) >= gate + 4)
        writers[0].kill()  # ...and die with it
        wait_until(lambda: not _writers(db))  # dead (a zombie until the crawl reaps it)
    finally:
        release.set()
        worker.join(120)
    out = result["out"]
    assert out.status in ("ok", "partial")
    assert all("not confirmed by the store writer" in d["reason"] for d in out.error_details if d["kind"] == "error")
    assert out.new + out.errors == n  # batch size 1: every posting either committed and counted, or reported
    # an unconfirmed batch may have been committed just before the kill: stored, but not counted nor marked done
    assert out.new <= len(store.list_jobs(open_only=False)) <= out.new + out.errors
    again = crawl(entry, db)  # the next crawl stores what was lost, once
    assert again.status == "ok" and again.new <= out.errors and again.new + again.unchanged == n
    ids = [j["external_id"] for j in store.list_jobs(open_only=False)]
    assert sorted(ids) == sorted(f"9{i:05d}" for i in range(n))
    wait_until(lambda: not _writers(db), what="the writer to end")


def test_kill_9_of_the_crawl_ends_its_writer(site, db, crawl, open_store):
    reached, release, _ = gated_postings_site(site, 6, 2)
    entry = {"kind": "smartrecruiters", "company": "acme", "base_url": site.url}
    worker = threading.Thread(target=lambda: crawl(entry, db, settings={"SOURCING_BATCH_SIZE": 1}))
    worker.start()
    try:
        assert reached.wait(60)
        assert len(_writers(db)) == 1
        crawlers = [p for p in psutil.Process().children(recursive=True)
                    if "scrapy" in " ".join(p.cmdline()) and p.environ().get("SOURCING_DB") == db]  # the URL is not in argv
        assert len(crawlers) == 1
        crawlers[0].kill()
    finally:
        release.set()
        worker.join(60)
    wait_until(lambda: not _writers(db), what="the writer to end with its crawl")


@pytest.mark.postgres
def test_inline_writing_stores_the_same_and_an_unknown_mode_is_refused(site, db, crawl, open_store):
    gated_postings_site(site, 5, 100)  # no gate reached: a plain 5-posting board
    entry = {"kind": "smartrecruiters", "company": "acme", "base_url": site.url}
    first = crawl(entry, db, settings={"SOURCING_WRITER": "inline"})
    assert (first.status, first.new, first.writer_cpu_seconds) == ("ok", 5, 0.0)
    assert not _writers(db)
    second = crawl(entry, db)  # the writer process sees the inline crawl's rows as unchanged
    assert (second.status, second.new, second.unchanged) == ("ok", 0, 5) and second.writer_cpu_seconds > 0
    assert len(open_store(db).list_jobs(open_only=False)) == 5
    bad = crawl(entry, db, settings={"SOURCING_WRITER": "thread"})
    assert bad.status == "failed"
    assert "SOURCING_WRITER='thread'" in open(bad.log_file, encoding="utf-8").read()


def test_a_writer_that_cannot_open_the_store_is_reported(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(WriterGone, match="did not start"):
        StoreWriter(str(blocker / "x.db"))  # the store cannot be created under a file
