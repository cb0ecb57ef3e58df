"""Tests `sourcing.storage.nightly`: run rows, last report, pool state, crawls to resume, duplicates."""

from __future__ import annotations

import pytest

from sourcing.errors import NotFoundError
from sourcing.models import ProfileRecord
from sourcing.storage import nightly as runs
from sourcing.storage import schema as t

pytestmark = pytest.mark.postgres


def test_run_lifecycle_and_last_report(store):
    assert runs.last_report(store) is None and runs.new_in_top_counts(store) == {}
    first = runs.start_run(store)
    assert runs.get_run(store, first)["status"] == "running"
    report = {"run_id": first, "jobs": [{"job_id": 4, "title": "Dev", "entered": [{"candidate_id": 1}, {"candidate_id": 2}]}]}
    runs.finish_run(store, first, status="partial", exit_code=3, report=report)
    row = runs.get_run(store, first)
    assert (row["status"], row["exit_code"], row["report"]) == ("partial", 3, report)
    assert row["finished_at"] >= row["started_at"]
    assert runs.last_report(store) == report
    assert runs.new_in_top_counts(store) == {4: 2}
    # A run that never finished is not "last night's report", and is closed as crashed.
    second = runs.start_run(store)
    assert runs.last_report(store) == report
    assert runs.close_abandoned_runs(store) == [second]
    assert runs.get_run(store, second)["status"] == "crashed"
    assert [r["id"] for r in runs.list_runs(store)] == [second, first]
    with pytest.raises(ValueError):
        runs.finish_run(store, second, status="weird", exit_code=0, report={})
    with pytest.raises(NotFoundError):
        runs.get_run(store, 999)


def test_pool_state_changes_only_when_the_pool_does(store):
    empty = runs.pool_state(store)
    assert (empty["candidates"], empty["profiles"], empty["jobs"]) == (0, 0, 0)
    rec = ProfileRecord(source_kind="github", external_id="ada", github_login="ada", summary="Python")
    store.upsert_profile(rec)
    one = runs.pool_state(store)
    assert one["candidates"] == 1 and one != empty
    store.upsert_profile(rec)  # unchanged payload: no change
    assert runs.pool_state(store) == one
    rec.summary = "Python and Rust"
    store.upsert_profile(rec)
    assert runs.pool_state(store)["profiles_changed"] > one["profiles_changed"]


def test_interrupted_crawls_are_the_newest_running_with_jobdir(store, tmp_path):
    old = store.start_crawl_run("greenhouse", "greenhouse:acme", {}, jobdir=str(tmp_path / "a"))
    store.finish_crawl_run(old, status="finished", new=1)
    assert runs.interrupted_crawls(store) == {}
    cut = store.start_crawl_run("greenhouse", "greenhouse:acme", {}, jobdir=str(tmp_path / "b"))
    store.start_crawl_run("lever", "lever:acme", {}, jobdir=None)  # running without jobdir: cannot resume
    found = runs.interrupted_crawls(store)
    assert list(found) == ["greenhouse:acme"] and found["greenhouse:acme"]["id"] == cut
    assert runs.max_crawl_run_id(store) == cut + 1
    assert [r["id"] for r in runs.crawl_runs_since(store, old)] == [cut, cut + 1]


def test_identity_conflicts_are_found_and_merged(store):
    a = store.upsert_profile(ProfileRecord(source_kind="github", external_id="ada", github_login="ada",
                                           email="ada@example.com")).candidate_id
    b = store.upsert_profile(ProfileRecord(source_kind="hn_candidates", external_id="c1", name="Ada",
                                           url="https://example.com/ada")).candidate_id
    assert a != b and runs.identity_conflicts(store) == []
    # What a race between two crawler processes leaves behind: b's profile carries a's e-mail,
    # but the key insert of the second writer was ignored.
    with store.transaction() as conn:
        conn.execute(t.profile.update().where(t.profile.c.candidate_id == b).values(email="ADA@example.com"))
    assert runs.identity_conflicts(store) == [(a, b, "email")]
    runs.merge_candidates(store, b, a)
    assert store.count_candidates() == 1
    assert len(store.get_candidate(a)["profiles"]) == 2
    assert runs.identity_conflicts(store) == []


def test_ranking_top_and_pseudonyms(store):
    from sourcing.models import RankedCandidate

    job = store.add_job("Dev", "Python")
    ids = [store.upsert_profile(ProfileRecord(source_kind="github", external_id=f"u{i}", github_login=f"u{i}")).candidate_id
           for i in range(3)]
    store.save_ranking(job, "m", [RankedCandidate(ids[0], 0.2), RankedCandidate(ids[1], 0.9), RankedCandidate(ids[2], 0.5)])
    assert runs.ranking_top(store, job, 2) == [{"candidate_id": ids[1], "rank": 1, "score": 0.9},
                                               {"candidate_id": ids[2], "rank": 2, "score": 0.5}]
    names = runs.pseudonyms(store, ids)
    assert set(names) == set(ids) and all(n.startswith("Candidate ") for n in names.values())
