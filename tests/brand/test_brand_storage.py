"""Tests the brand_idea store functions on a real SQLite file: upsert by key, decisions kept, audit."""

from __future__ import annotations

from datetime import date

import pytest

from ranking.brand.service import build_insights, load_ideas, plan_ideas, save_calendar
from sourcing.errors import NotFoundError, UsageError
from sourcing.storage.brand import edit_idea, get_idea, list_ideas, ranking_scores, save_ideas, set_idea_status

MONDAY = date(2026, 11, 30)


def _idea(key, **kw):
    base = {"idea_key": key, "angle": "role", "role": "backend engineer", "platform": "linkedin", "lang": "en",
            "draft": f"Draft {key}", "hashtags": ["#Hiring"], "suggested_for": None,
            "evidence": [{"claim": "Open posting", "links": ["https://jobs.example.org/acme/1"]}]}
    base.update(kw)
    return base


def test_save_is_idempotent_and_refreshes_proposed(store):
    ids = save_ideas(store, [_idea("a"), _idea("b")])
    assert save_ideas(store, [_idea("a", draft="New draft a"), _idea("b")]) == ids
    rows = {r["idea_key"]: r for r in list_ideas(store)}
    assert rows["a"]["draft"] == "New draft a"
    assert rows["a"]["hashtags"] == ["#Hiring"] and rows["a"]["evidence"][0]["links"]


def test_decisions_survive_a_new_calendar(store):
    a, b, c = save_ideas(store, [_idea("a"), _idea("b"), _idea("c")])
    set_idea_status(store, a, "accepted", actor="comms")
    edit_idea(store, a, "  Edited by comms.  ", actor="comms")
    set_idea_status(store, b, "discarded", actor="comms")
    save_ideas(store, [_idea("a", draft="regenerated"), _idea("d")], replace_proposed=True)
    rows = {r["idea_key"]: r for r in list_ideas(store)}
    assert set(rows) == {"a", "b", "d"}  # c (undecided, not in the new calendar) is gone
    assert rows["a"]["status"] == "accepted" and rows["a"]["draft"] == "Draft a"
    assert rows["a"]["edited_text"] == "Edited by comms." and rows["a"]["actor"] == "comms"
    assert rows["a"]["decided_at"] is not None
    assert rows["b"]["status"] == "discarded"
    assert [r["idea_key"] for r in list_ideas(store, status="accepted")] == ["a"]


def test_decisions_are_audited(store):
    [a] = save_ideas(store, [_idea("a")])
    set_idea_status(store, a, "accepted", actor="comms")
    edit_idea(store, a, "Better words.", actor="comms")
    entries = store.audit_entries(target_type="brand_idea", target_id=a)
    assert [e["action"] for e in entries] == ["brand_idea.accepted", "brand_idea.edit"]
    assert entries[0]["before"] == {"status": "proposed"} and entries[0]["after"] == {"status": "accepted"}
    assert entries[1]["after"] == {"text": "Better words."} and entries[1]["actor"] == "comms"


def test_bad_input_is_refused_with_a_reason(store):
    with pytest.raises(UsageError, match="idea #2: missing draft"):
        save_ideas(store, [_idea("a"), _idea("b", draft="")])
    assert list_ideas(store) == []  # nothing half-written
    [a] = save_ideas(store, [_idea("a")])
    with pytest.raises(UsageError, match="idea status must be one of"):
        set_idea_status(store, a, "maybe", actor="x")
    with pytest.raises(UsageError, match="edited text is empty"):
        edit_idea(store, a, "   ", actor="x")
    with pytest.raises(NotFoundError, match="no brand idea with id 999"):
        get_idea(store, 999)


def test_ranking_scores_one_query(market_store):
    scores = ranking_scores(market_store)
    job = market_store.market_ids["4002"]
    assert list(scores) == [job]
    assert len(scores[job]) == 12 and scores[job][0] == pytest.approx(0.72)
    assert scores[job] == sorted(scores[job], reverse=True)
    assert ranking_scores(market_store, [market_store.market_ids["4001"]]) == {}


def test_calendar_round_trip(market_store, brand_config, now):
    planned = plan_ideas(build_insights(market_store, brand_config, now=now), weeks=2, start=MONDAY)
    save_calendar(market_store, planned)
    assert all(i.id for i in planned)
    loaded = load_ideas(market_store)
    assert [i.key for i in loaded] == [i.key for i in planned]
    for before, after in zip(planned, loaded):
        assert (after.draft, after.platform, after.link, after.suggested_for) == (before.draft, before.platform, before.link, before.suggested_for)
        assert after.evidence == before.evidence


def test_replan_keeps_decisions_and_never_doubles_a_platform_day(market_store, brand_config, now):
    from ranking.brand.service import replan

    insights = build_insights(market_store, brand_config, now=now)
    first = replan(market_store, insights, weeks=2, start=MONDAY)
    accepted, discarded = first[0], first[1]
    set_idea_status(market_store, accepted.id, "accepted", actor="comms")
    set_idea_status(market_store, discarded.id, "discarded", actor="comms")
    second = replan(market_store, insights, weeks=2, start=MONDAY)
    keys = [i.key for i in second]
    assert accepted.key in keys and discarded.key not in keys
    kept = next(i for i in second if i.key == accepted.key)
    assert (kept.suggested_for, kept.platform, kept.status) == (accepted.suggested_for, accepted.platform, "accepted")
    slots = [(i.suggested_for.date(), i.platform) for i in second]
    assert len(slots) == len(set(slots))
    stored = list_ideas(market_store)
    assert {r["status"] for r in stored} == {"accepted", "discarded", "proposed"}
    assert len([r for r in stored if r["status"] == "proposed"]) == len(second) - 1
