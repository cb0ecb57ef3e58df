"""Pilot tests of human oversight (ranking off, the automation-bias note) and GDPR notice marks in the app."""

from __future__ import annotations

from datetime import timedelta

from pilot_helpers import notifications, screen_text, settle, write_config

from sourcing import notices
from sourcing.oversight import neutral_order
from tui.screens.candidate import CandidateScreen
from tui.screens.shortlist import ShortlistScreen


async def _open_shortlist(app, pilot):
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ShortlistScreen)
    return app.screen


async def test_ranking_off_neutral_order_no_score_anywhere_then_A_turns_it_on(review_store, make_review_app, tmp_path):
    store, job_id, ids = review_store
    app = make_review_app(write_config(tmp_path, "[ranking]\nenabled = false\n"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_shortlist(app, pilot)
        assert [r.candidate_id for r in screen.view] == neutral_order(job_id, ids) != ids
        text = screen_text(app)
        assert "0.842" not in text and "RANKING OFF" in text
        from tui.widgets.score_chart import ScoreChart

        assert screen.query_one(ScoreChart).display is False  # no score distribution either
        assert "Look past the top 10" not in notifications(app)  # the note is about the score: none is shown
        first = screen.view[0]
        await pilot.press("s")
        await settle(app, pilot)
        decision = [e for e in store.audit_entries(target_type="candidate", target_id=first.candidate_id)
                    if e["action"] == "decision"][-1]
        assert decision["after"]["score_shown"] is None
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CandidateScreen)
        cand_text = screen_text(app)
        assert "score 0." not in cand_text and "ranking off: must-haves only" in cand_text
        assert "Score components" not in cand_text and "[nice]" not in cand_text and "[must]" in cand_text
        await pilot.press("escape", "A")
        await settle(app, pilot)
        assert [r.candidate_id for r in screen.view] == ids and "0.842" in screen_text(app)
        assert screen.query_one(ScoreChart).display is True
        assert notifications(app).count("Look past the top 10") == 1  # scores now shown: the note, once


async def test_automation_note_once_per_session(review_store, make_review_app):
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_shortlist(app, pilot)
        assert notifications(app).count("Look past the top 10") == 1
        await pilot.press("escape")
        await _open_shortlist(app, pilot)
        assert notifications(app).count("Look past the top 10") == 1


async def test_notice_marks_follow_the_clock(review_store, make_review_app):
    store, job_id, ids = review_store
    created = store.get_candidate(ids[0])["created_at"]
    notices.exempt(store, ids[1], reason="14(5)(a): informed at the meetup", actor="tester")
    app = make_review_app(clock=lambda: created + timedelta(days=25))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_shortlist(app, pilot)
        marks = {r.candidate_id: (r.notice, r.notice_days) for r in screen.rows}
        assert marks[ids[0]] == ("due", 5) and marks[ids[1]][0] == "not_required"
        assert screen_text(app).count("✉5d") == len(ids) - 1
    app = make_review_app(clock=lambda: created + timedelta(days=31))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_shortlist(app, pilot)
        assert screen_text(app).count("✉late") == len(ids) - 1
    app = make_review_app()  # today: every deadline is 30 days away, nothing to mark
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_shortlist(app, pilot)
        assert "✉" not in screen_text(app)


async def test_contact_without_notice_asks_and_escape_writes_nothing(review_store, make_review_app):
    store, job_id, ids = review_store
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_shortlist(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert "privacy notice not sent yet" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        # No controller configured: sending together fails and is reported, nothing is written.
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "NOT saved" in notifications(app) and "controller" in notifications(app)
    assert store.get_decisions(job_id) == {}
    assert notices.status_of(store, ids[0]).state == "due"
