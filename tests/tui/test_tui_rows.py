"""Tests of the shortlist row model (filter parsing, sorting) and the ordered decision writer."""

from __future__ import annotations

import threading

import pytest
from review_data import populate_many

from sourcing.notices import exempt
from tui.decisions import DecisionQueue, DecisionRequest
from tui.messages import DecisionFailed, DecisionSaved
from tui.rows import RowFilter, ShortlistRow, apply_view, build_rows


def row(cid, **kw):
    base = dict(candidate_id=cid, rank=cid, score=1 - cid / 10, name=f"Person {cid}", pseudonym=f"Candidate {cid:06X}",
                headline="Python developer", location="Lyon, France", remote=False)
    base.update(kw)
    return ShortlistRow(**base)


def test_filter_terms_combine():
    rows = [row(1, status="shortlisted"), row(2, location="Paris", remote=True), row(3, matched=["Django"]), row(4)]
    assert [r.candidate_id for r in apply_view(rows, RowFilter.parse("status:none"))] == [2, 3, 4]
    assert [r.candidate_id for r in apply_view(rows, RowFilter.parse("remote"))] == [2]
    assert [r.candidate_id for r in apply_view(rows, RowFilter.parse("remote:no loc:lyon"))] == [1, 3, 4]
    assert [r.candidate_id for r in apply_view(rows, RowFilter.parse("django"))] == [3]
    assert [r.candidate_id for r in apply_view(rows, RowFilter.parse("score>=0.75"))] == [1, 2]
    assert [r.candidate_id for r in apply_view(rows, RowFilter.parse('loc:"paris"'))] == [2]


def test_names_are_not_searchable_in_blind_mode():
    rows = [row(1, name="Inès Marchand")]
    assert apply_view(rows, RowFilter.parse("marchand"), blind=False)
    assert not apply_view(rows, RowFilter.parse("marchand"), blind=True)


@pytest.mark.parametrize("bad, message", [("score>=abc", "must be a number"), ("status:hired", "use one of")])
def test_bad_filter_terms_say_what_is_wrong(bad, message):
    with pytest.raises(ValueError, match=message):
        RowFilter.parse(bad)


def test_sort_keys():
    rows = [row(1, name="Zed", status="rejected"), row(2, name="amy", status=None), row(3, name="Bob", status="shortlisted")]
    assert [r.name for r in apply_view(rows, RowFilter(), "name")] == ["amy", "Bob", "Zed"]
    assert [r.candidate_id for r in apply_view(rows, RowFilter(), "status")] == [3, 1, 2]
    assert [r.candidate_id for r in apply_view(rows, RowFilter(), "rank")] == [1, 2, 3]


@pytest.mark.postgres
def test_build_rows_from_the_store_shortlist(store):
    job_id, ids = populate_many(store, 30)
    rows = build_rows(store.get_shortlist(job_id))
    assert [r.candidate_id for r in rows] == ids
    assert rows[0].matched and rows[0].missing_must == []
    assert rows[0].display_name(True).startswith(rows[0].pseudonym[:3]) and rows[0].display_name(True) != rows[0].name


@pytest.mark.postgres
def test_the_light_page_query_builds_the_same_rows_as_the_full_shortlist(store):
    from sourcing.storage.review import remote_flags, shortlist_page

    job_id, ids = populate_many(store, 30)
    store.set_decision(job_id, ids[3], "maybe", note="call back", actor="tester")
    full = build_rows(store.get_shortlist(job_id), remote_flags(store, job_id))
    page, total = shortlist_page(store, job_id, limit=None)
    light = build_rows(page)
    assert total == 30 and isinstance(page[0]["explanation_json"], str)  # decoded only when a person is opened
    fields = ("candidate_id", "rank", "score", "name", "pseudonym", "headline", "location", "remote", "matched",
              "missing_must", "status", "note", "reason", "email")
    assert [[getattr(r, f) for f in fields] for r in light] == [[getattr(r, f) for f in fields] for r in full]
    assert [(r.explanation, r.components) for r in light] == [(r.explanation, r.components) for r in full]
    assert {r.remote for r in light} == {True, False}
    second, total = shortlist_page(store, job_id, limit=5, offset=10)
    assert [r["candidate_id"] for r in second] == ids[10:15] and total == 30


@pytest.mark.postgres
def test_decisions_from_many_threads_are_written_in_submission_order(store):
    job_id, ids = populate_many(store, 3)
    exempt(store, ids[0], reason="14(5)(a): already informed", actor="tester")  # contact needs the notice
    queue = DecisionQueue(store, "tester")
    for action in ("shortlisted", "maybe", "rejected", "undo", "contacted"):
        queue.submit(DecisionRequest(job_id, ids[0], action, score_shown=0.5))
    posted = []
    threads = [threading.Thread(target=queue.drain, args=(posted.append,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [m.action for m in posted] == ["shortlisted", "maybe", "rejected", "undo", "contacted"]
    assert all(isinstance(m, DecisionSaved) for m in posted)
    assert posted[3].state["status"] == "maybe"  # the undo restored what was there before "rejected"
    assert store.get_decisions(job_id)[ids[0]]["status"] == "contacted"
    assert queue.pending == 0


@pytest.mark.postgres
def test_a_failed_write_is_reported_not_acknowledged(store):
    job_id, ids = populate_many(store, 1)
    queue = DecisionQueue(store, "tester")
    queue.submit(DecisionRequest(job_id, ids[0], "hired"))
    posted = []
    queue.drain(posted.append)
    assert isinstance(posted[0], DecisionFailed) and "decision status must be one of" in posted[0].error
    assert store.get_decisions(job_id) == {}


@pytest.mark.postgres
def test_one_writer_serves_a_burst_and_a_new_one_is_asked_for_only_when_none_runs(store):
    job_id, ids = populate_many(store, 3)
    queue = DecisionQueue(store, "tester")
    assert queue.submit(DecisionRequest(job_id, ids[0], "shortlisted", score_shown=0.9))  # start a writer
    assert not queue.submit(DecisionRequest(job_id, ids[1], "maybe"))  # the running writer takes it
    posted = []
    writer = threading.Thread(target=lambda: posted.append(queue.serve(posted.append)))
    writer.start()
    writer.join(10)
    assert posted[-1] == 2 and [(m.candidate_id, m.action) for m in posted[:-1]] == [
        (ids[0], "shortlisted"), (ids[1], "maybe")]
    assert queue.pending == 0
    assert queue.submit(DecisionRequest(job_id, ids[2], "rejected"))  # that writer has returned: start another
    assert queue.serve(posted.append) == 1
    assert {c: d["status"] for c, d in store.get_decisions(job_id).items()} == {
        ids[0]: "shortlisted", ids[1]: "maybe", ids[2]: "rejected"}


@pytest.mark.postgres
def test_requests_submitted_while_the_writer_runs_are_written_by_it(store):
    job_id, ids = populate_many(store, 3)
    exempt(store, ids[2], reason="14(5)(a): already informed", actor="tester")  # contact needs the notice
    queue = DecisionQueue(store, "tester")
    later = iter([DecisionRequest(job_id, ids[1], "maybe"), DecisionRequest(job_id, ids[2], "contacted")])
    started_writers = []

    def post(message):  # each acknowledgement is followed by the next key press, as in the app
        posted.append(message)
        nxt = next(later, None)
        if nxt is not None:
            started_writers.append(queue.submit(nxt))

    posted = []
    assert queue.submit(DecisionRequest(job_id, ids[0], "shortlisted"))
    assert queue.serve(post) == 3
    assert started_writers == [False, False] and [m.action for m in posted] == ["shortlisted", "maybe", "contacted"]


@pytest.mark.postgres
def test_the_review_reads_do_not_hold_back_the_decision_writer(store):
    from sqlalchemy import text

    from sourcing.storage.review import _reading

    job_id, ids = populate_many(store, 3)
    written = threading.Event()

    def decide():
        store.set_decision(job_id, ids[0], "shortlisted", actor="tester")
        written.set()

    with _reading(store) as conn:
        assert conn.execute(text("SELECT count(*) FROM ranking")).scalar_one() == 3  # a read transaction is open
        writer = threading.Thread(target=decide)
        writer.start()
        assert written.wait(10)  # committed while the read is still open (IMMEDIATE would wait for it)
        assert conn.execute(text("SELECT count(*) FROM decision")).scalar_one() == 0  # the read keeps its snapshot
    writer.join()
    assert store.get_decisions(job_id)[ids[0]]["status"] == "shortlisted"
