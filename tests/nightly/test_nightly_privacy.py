"""Tests the retention purge (`sourcing.privacy`) on a real SQLite store."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sourcing.config import load_config
from sourcing.models import ProfileRecord, utcnow
from sourcing.errors import ConfigError
from sourcing.privacy import find_expired, purge, retention_days, run_log_days
from sourcing.storage import retention
from sourcing.storage import schema as t

pytestmark = pytest.mark.postgres


def _person(store, login: str) -> int:
    rec = ProfileRecord(source_kind="github", external_id=login, github_login=login, name=f"Name {login}",
                        url=f"https://github.com/{login}", summary=f"{login} writes Python")
    return store.upsert_profile(rec).candidate_id


def _world(store):
    job1 = store.add_job("Backend engineer", "Python, Django")
    job2 = store.add_job("Data engineer", "Python, Spark")
    ids = {name: _person(store, name) for name in ("rejected", "mixed", "idle", "shortlisted")}
    store.set_decision(job1, ids["rejected"], "rejected", reason="no Django", actor="amy")
    store.set_decision(job1, ids["mixed"], "rejected", actor="amy")
    store.set_decision(job2, ids["mixed"], "shortlisted", actor="amy")
    store.set_decision(job1, ids["shortlisted"], "shortlisted", actor="amy")
    return ids


def test_rejected_after_90_days_pool_after_730(store, tmp_path):
    ids = _world(store)
    config = load_config(None)
    assert find_expired(store, config, now=utcnow() + timedelta(days=89)) == []
    expired = find_expired(store, config, now=utcnow() + timedelta(days=91))
    assert [(i.candidate_id, i.reason) for i in expired] == [(ids["rejected"], "rejected")]
    later = find_expired(store, config, now=utcnow() + timedelta(days=731))
    # After two years of inactivity everyone goes; the rejected person keeps the "rejected" reason.
    assert sorted((i.candidate_id, i.reason) for i in later) == sorted(
        [(ids["rejected"], "rejected"), (ids["mixed"], "pool"), (ids["idle"], "pool"), (ids["shortlisted"], "pool")]
    )


def test_decision_counts_as_activity(store):
    ids = _world(store)
    config = load_config(None)
    # A decision taken "later" keeps the pool member; simulate by checking the cutoff between.
    cutoff = utcnow() + timedelta(seconds=1)
    inactive = {r["candidate_id"] for r in retention.inactive_before(store, cutoff)}
    assert inactive == set(ids.values())
    assert retention.inactive_before(store, utcnow() - timedelta(days=1)) == []
    assert config.get("privacy.pool_retention_days") == 730


def _backdate(store, candidate_id: int, *, profile_days: int, decision_days: int | None = None) -> None:
    """Move a person's last profile activity (and their decisions) into the past."""
    with store.transaction() as conn:
        conn.execute(t.candidate.update().where(t.candidate.c.id == candidate_id)
                     .values(last_activity_at=utcnow() - timedelta(days=profile_days)))
        if decision_days is not None:
            conn.execute(t.decision.update().where(t.decision.c.candidate_id == candidate_id)
                         .values(updated_at=utcnow() - timedelta(days=decision_days)))


def test_recent_shortlist_keeps_a_person_whose_profile_is_800_days_old(store):
    """A decision 10 days ago is activity: the pool rule must not erase the person.

    Mutant caught: deleting the line in `retention.inactive_before` that requires the newest
    decision to be older than the cutoff (`.where(last_decision_at is None | < cutoff)`)
    makes `purge` erase the shortlisted person.
    """
    job = store.add_job("Backend engineer", "Python, Django")
    kept, idle = _person(store, "kept"), _person(store, "idle")
    store.set_decision(job, kept, "shortlisted", actor="amy")
    _backdate(store, kept, profile_days=800, decision_days=10)
    _backdate(store, idle, profile_days=800)
    config = load_config(None)

    assert [(i.candidate_id, i.reason) for i in find_expired(store, config)] == [(idle, "pool")]
    done = purge(store, config, actor="test")
    assert done.erased == 1 and done.failures == []
    assert store.get_candidate(kept)["name"] == "Name kept"
    assert [c["id"] for c in store.list_candidates()] == [kept]


def test_dry_run_changes_nothing_and_purge_erases_with_do_not_collect(store, on_disk):
    ids = _world(store)
    config = load_config(None)
    when = utcnow() + timedelta(days=100)
    before = store.count_candidates()
    dry = purge(store, config, actor="test", dry_run=True, now=when)
    assert dry.dry_run and dry.counts() == {"rejected": 1, "pool": 0} and dry.erased == 0
    assert store.count_candidates() == before
    assert store.get_candidate(ids["rejected"])["name"] == "Name rejected"

    done = purge(store, config, actor="test", now=when)
    assert done.erased == 1 and done.failures == []
    assert store.count_candidates() == before - 1
    erasures = store.audit_entries(target_type="erasure")
    assert len(erasures) == 1 and erasures[0]["actor"] == "test (retention: rejected)"
    # The person is on the do-not-collect list: the same profile coming back is not stored.
    again = ProfileRecord(source_kind="github", external_id="rejected", github_login="rejected",
                          url="https://github.com/rejected")
    assert store.upsert_profile(again).status == "blocked"
    assert store.count_candidates() == before - 1
    # Nothing of the person is left on disk (the SQLite file and WAL, or the Postgres data directory).
    store.close()
    assert on_disk(b"Name rejected", b"github.com/rejected") == []
    # The report itself holds ids and reasons only.
    assert "Name" not in str(done.to_dict())


def test_a_note_without_a_status_is_not_a_rejection(store):
    """Only a person someone rejected counts as rejected.

    Mutant caught (survived the 2026-12-03 mutation run): dropping `rejected > 0` (or making
    it `>= 0`) in `retention.rejected_before` lists a person whose only decision is a note
    with no status — the rejected-retention rule would then erase them.
    """
    job = store.add_job("Backend engineer", "Python, Django")
    noted, rejected = _person(store, "noted"), _person(store, "rejected")
    store.set_decision(job, noted, None, note="call back in spring", actor="amy")
    store.set_decision(job, rejected, "rejected", actor="amy")
    for who in (noted, rejected):
        _backdate(store, who, profile_days=1, decision_days=400)
    cutoff = utcnow() - timedelta(days=365)
    assert [r["candidate_id"] for r in retention.rejected_before(store, cutoff)] == [rejected]


def test_the_purge_report_counts_each_reason_and_states_its_periods(store):
    """The nightly report's purge section: every period used and how many people each rule erased.

    Mutants caught (survived the 2026-12-04 mutation run of sourcing/privacy.py): `counts()`
    writing `out[reason] = 1` instead of `+= 1` (two rejected people reported as one);
    `to_dict()` dropping or renaming `counts`; `purge` leaving out or blanking
    `rejected_days`, `pool_days` or `run_log_days` in the report.
    """
    ids = _world(store)
    second = _person(store, "second")
    store.set_decision(store.add_job("QA engineer", "pytest"), second, "rejected", actor="amy")
    report = purge(store, load_config(None), actor="test", dry_run=True, now=utcnow() + timedelta(days=100))
    data = report.to_dict()
    assert (data["rejected_days"], data["pool_days"], data["run_log_days"]) == (90, 730, 183)
    assert data["counts"] == {"rejected": 2, "pool": 0}
    assert [(i["candidate_id"], i["reason"]) for i in data["items"]] == [(ids["rejected"], "rejected"), (second, "rejected")]


def test_one_person_failing_to_erase_is_recorded_and_the_others_are_erased(store, monkeypatch):
    """`purge` goes on after one person's erasure fails and says who and why.

    Mutants caught (survived the 2026-12-04 mutation run): `report.failures.append(None)`,
    the failure's `candidate_id` key renamed, its reason naming `NoneType` instead of the
    exception's type; the same for the disk-space failure (`candidate_id: None`).
    """
    _world(store)
    second = _person(store, "second")
    store.set_decision(store.add_job("QA engineer", "pytest"), second, "rejected", actor="amy")
    real_forget = store.forget_candidate

    def forget(candidate_id, **kwargs):
        if candidate_id == second:
            raise RuntimeError("disk full")
        return real_forget(candidate_id, **kwargs)

    def compact(_store):
        raise OSError("checkpoint refused")

    monkeypatch.setattr(store, "forget_candidate", forget)
    monkeypatch.setattr("sourcing.storage.erasure.compact_after_erasure", compact)
    report = purge(store, load_config(None), actor="test", now=utcnow() + timedelta(days=100))
    assert report.erased == 1
    assert report.failures == [
        {"candidate_id": second, "reason": "RuntimeError: disk full"},
        {"candidate_id": None, "reason": "disk space not rewritten: OSError: checkpoint refused"},
    ]
    assert sorted(c["name"] for c in store.list_candidates()) == ["Name idle", "Name mixed", "Name second", "Name shortlisted"]


@pytest.mark.parametrize("days", [365.0, "365", True, 182])
def test_run_log_days_must_be_a_whole_number_of_at_least_183(days):
    """Mutant caught (2026-12-04): `not isinstance(days, int) and isinstance(days, bool)` lets 365.0 through."""
    class Days:  # a config whose value skipped load_config's type check (e.g. a hand-built dict)
        def get(self, key):
            assert key == "privacy.run_log_days"
            return days

    with pytest.raises(ConfigError, match="at least 183 days"):
        run_log_days(Days())


@pytest.mark.parametrize("days, ok", [(1, True), (0, False), (90.0, False), ("90", False), (True, False)])
def test_retention_days_are_whole_positive_numbers(days, ok):
    """One day is the shortest period; a float, a string or a boolean is refused.

    Mutants caught (survived the 2026-12-04 mutation run): `days <= 1` / `days < 2` (refuses
    a 1-day period), `not isinstance(days, int) and isinstance(days, bool)` (lets 90.0 and
    "90" through), `... or isinstance(days, bool) and days < 1` (lets 0 through).
    """
    class Config:  # a config whose values skipped load_config's type check
        def get(self, key):
            return days if key == "privacy.rejected_retention_days" else 730

    if ok:
        assert retention_days(Config()) == (1, 730)
    else:
        with pytest.raises(ConfigError, match="'privacy.rejected_retention_days' must be a positive number of days"):
            retention_days(Config())


def test_each_expired_person_carries_the_date_their_period_started(store):
    """The purge list says since when each person is past retention (the nightly report prints it).

    Mutants caught (2026-12-04): `PurgeItem(..., None)` in place of the decision's or the last
    activity's date in `find_expired`.
    """
    ids = _world(store)
    before = utcnow()  # _backdate sets "now minus N days" between `before` and `after`
    _backdate(store, ids["rejected"], profile_days=1, decision_days=100)
    _backdate(store, ids["idle"], profile_days=800)
    after = utcnow()
    by_id = {i.candidate_id: i for i in find_expired(store, load_config(None))}
    assert sorted(by_id) == [ids["rejected"], ids["idle"]]
    for who, days in ((ids["rejected"], 100), (ids["idle"], 800)):
        since = datetime.fromisoformat(by_id[who].last_activity_at)
        assert before - timedelta(days=days) <= since <= after - timedelta(days=days)
