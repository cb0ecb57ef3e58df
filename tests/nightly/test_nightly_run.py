"""End-to-end nightly runs: real crawls (child processes) of a local server, a real SQLite file, FakeEncoder."""

from __future__ import annotations

import json

import pytest
from ranking.encoders import FakeEncoder

from sourcing.nightly import run_nightly
from sourcing.storage import Store
from sourcing.storage import nightly as runs


def _nightly(config, tmp_path, crawl, encoder):
    with Store.open(config.db_url) as store:
        return run_nightly(config, store=store, encoder=encoder, crawl=crawl, lock_path=tmp_path / "nightly.lock",
                           log_path=tmp_path / "nightly.log")


def test_full_run_then_unchanged_then_one_changed_profile(tmp_path, sources, crawl, nightly_config):
    cfg = nightly_config("greenhouse", "lever", "github")
    with Store.open(cfg.db_url) as store:
        job = store.add_job("Python developer", "We build Python and C++ tools.\n\nRequirements:\n- Python\n- C++\n",
                            location="Remote")
    encoder = FakeEncoder(64)
    # Give one person a bio (their headline): then a change of skills alters their profile text
    # but not their title text, so exactly one text is new after that change.
    sources.payloads["/users/jacquev6"]["bio"] = "Maintainer of PyGithub"

    first = _nightly(cfg, tmp_path, crawl, encoder)
    rep = first.report
    assert first.exit_code == 0, rep["failures"]
    assert rep["status"] == "ok" and rep["failures"] == []
    by_key = {s["key"]: s for s in rep["sources"]}
    assert {k: (s["status"], s["new"], s["errors"]) for k, s in by_key.items()} == {
        "greenhouse:acme": ("ok", 2, 0), "lever:acme": ("ok", 2, 0), "github:people": ("ok", 2, 0)}
    assert rep["embedding"]["embedded"] > 0
    [line] = [j for j in rep["jobs"] if j["job_id"] == job]
    assert line["reranked"] and len(line["entered"]) == 2  # both people enter the (empty) top 5
    assert {e["pseudonym"][:10] for e in line["entered"]} == {"Candidate "}
    # Stored, and written as JSON + Markdown without personal data.
    with Store.open(cfg.db_url) as store:
        # The report's scores are the stored ranking's (rounded to 4 places), person for person, in rank order.
        stored = [(r["candidate_id"], round(r["score"], 4)) for r in store.get_ranking(job)]
        assert [(e["candidate_id"], e["score"]) for e in line["entered"]] == stored
        assert runs.last_report(store)["run_id"] == rep["run_id"]
        assert runs.new_in_top_counts(store)[job] == 2
    saved = json.loads(first.paths[0].read_text())
    assert saved["totals"] == rep["totals"] and saved["totals"]["new"] == 6
    md = first.paths[1].read_text()
    assert "| github:people | ok | 2 | 0 | 0 | 0 |" in md
    for personal in ("Vincent", "vincent@", "jacquev6.net", "github.com/nvie"):
        assert personal not in md and personal not in json.dumps(rep)

    second = _nightly(cfg, tmp_path, crawl, encoder)
    rep2 = second.report
    assert second.exit_code == 0, rep2["failures"]
    assert rep2["totals"]["new"] == 0 and rep2["totals"]["updated"] == 0
    assert rep2["embedding"]["embedded"] == 0
    assert rep2["totals"]["entered_top"] == 0
    assert all(s["unchanged"] == 2 for s in rep2["sources"])
    assert rep2["embedding"].get("skipped")  # nothing changed, so embedding was not even attempted...
    from ranking.service import embed_pending

    with Store.open(cfg.db_url) as store:  # ...and had it been, the cache would have answered everything
        assert embed_pending(store, config=cfg, encoder=encoder) == 0

    # One person's profile changes on GitHub (a repository now in Haskell): exactly one text is new.
    sources.payloads["/users/jacquev6/repos"][0]["language"] = "Haskell"
    third = _nightly(cfg, tmp_path, crawl, encoder)
    rep3 = third.report
    assert third.exit_code == 0, rep3["failures"]
    gh = {s["key"]: s for s in rep3["sources"]}["github:people"]
    assert (gh["updated"], gh["unchanged"]) == (1, 1)
    assert rep3["embedding"]["embedded"] == 1
    [line3] = [j for j in rep3["jobs"] if j["job_id"] == job]
    assert line3["reranked"] and line3["entered"] == []  # same two people, already in the top
    with Store.open(cfg.db_url) as store:
        assert store.count_candidates() == 2
        assert [r["status"] for r in runs.list_runs(store)] == ["ok", "ok", "ok"]


def test_a_source_answering_500_gives_partial_and_the_others_are_stored(tmp_path, sources, crawl, nightly_config):
    cfg = nightly_config("greenhouse", "lever", "github")
    sources.broken.update({"/v0/postings/acme", "/users/nvie"})
    result = _nightly(cfg, tmp_path, crawl, FakeEncoder(64))
    assert result.exit_code == 3 and result.report["status"] == "partial"
    by_key = {s["key"]: s for s in result.report["sources"]}
    assert by_key["greenhouse:acme"]["status"] == "ok" and by_key["greenhouse:acme"]["new"] == 2
    assert by_key["lever:acme"]["status"] == "failed" and by_key["lever:acme"]["errors"] >= 1
    assert "500" in by_key["lever:acme"]["reason"] and "/v0/postings/acme" in by_key["lever:acme"]["reason"]
    # One person's profile failing: the other is stored; the report does not name who failed.
    assert (by_key["github:people"]["status"], by_key["github:people"]["new"]) == ("partial", 1)
    assert "500" in by_key["github:people"]["reason"]
    assert "nvie" not in json.dumps(result.report) and "nvie" not in result.paths[1].read_text()
    assert [(f["step"], f["target"]) for f in result.report["failures"]] == [("crawl", "lever:acme"), ("crawl", "github:people")]
    with Store.open(cfg.db_url) as store:
        assert len(store.list_jobs(open_only=False)) == 2 and store.count_candidates() == 1
    # Every source failing is a total failure.
    sources.broken.update({"/v1/boards/acme/jobs", "/users/jacquev6"})
    total = _nightly(cfg, tmp_path, crawl, FakeEncoder(64))
    assert total.exit_code == 1 and total.report["status"] == "failed"


@pytest.mark.postgres
def test_retention_purge_and_do_not_collect_across_nightly_runs(tmp_path, sources, crawl, nightly_config):
    from datetime import timedelta

    from sourcing.models import utcnow
    from sourcing.storage import schema as t

    cfg = nightly_config("github")
    encoder = FakeEncoder(64)
    first = _nightly(cfg, tmp_path, crawl, encoder)
    assert first.exit_code == 0 and first.report["purge"]["erased"] == 0
    with Store.open(cfg.db_url) as store:
        job = store.add_job("C++ developer", "C++ and Python")
        people = {c["name"]: c["id"] for c in store.list_candidates()}
        rejected = people["Vincent Jacques"]
        store.set_decision(job, rejected, "rejected", reason="not now", actor="amy")
        # The decision was taken 91 days ago.
        with store.transaction() as conn:
            conn.execute(t.decision.update().values(updated_at=utcnow() - timedelta(days=91)))

    second = _nightly(cfg, tmp_path, crawl, encoder)
    assert second.exit_code == 0, second.report["failures"]
    assert second.report["purge"]["erased"] == 1 and second.report["purge"]["counts"] == {"rejected": 1, "pool": 0}
    assert all(e["candidate_id"] != rejected for j in second.report["jobs"] for e in j["entered"])
    with Store.open(cfg.db_url) as store:
        assert [c["name"] for c in store.list_candidates()] == ["Vincent Driessen"]

    # The next crawl sees the person again on GitHub, but they are on the do-not-collect list.
    seen_before = len(sources.hits)
    third = _nightly(cfg, tmp_path, crawl, encoder)
    assert third.exit_code == 0, third.report["failures"]
    [gh] = third.report["sources"]
    assert (gh["new"], gh["updated"], gh["unchanged"], gh["dropped"]) == (0, 0, 1, 1)
    assert "/users/jacquev6" in sources.hits[seen_before:]  # served again, and refused by the store
    with Store.open(cfg.db_url) as store:
        assert [c["name"] for c in store.list_candidates()] == ["Vincent Driessen"]
        assert store.is_do_not_collect("github", url="https://github.com/jacquev6")


@pytest.mark.postgres
def test_killed_run_leaves_the_store_consistent_and_the_next_run_resumes(tmp_path, sources, crawl, nightly_config):
    import os
    import signal
    import subprocess
    import sys
    import threading
    from pathlib import Path

    cfg = nightly_config("greenhouse", "github")
    token = "ghp_" + "S3cr3tT0ken" * 3
    release = threading.Event()
    sources.hold["/users/nvie"] = release  # the crawl hangs on the second person
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("sourcing")), "--config", str(cfg.path), "nightly",
         "--lock-file", str(tmp_path / "nightly.lock"), "--log-file", str(tmp_path / "nightly.log")],
        env={**os.environ, "GITHUB_TOKEN": token}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        assert sources.reached.wait(90), "the nightly run never reached the GitHub crawl"
        os.killpg(proc.pid, signal.SIGKILL)  # the whole run, crawler child included (power cut, OOM killer)
        proc.communicate(timeout=30)
    finally:
        release.set()
    with Store.open(cfg.db_url) as store:
        [crashed] = runs.list_runs(store)
        assert crashed["status"] == "running"
        assert list(runs.interrupted_crawls(store)) == ["github:people"]
        assert len(store.list_jobs(open_only=False)) == 2  # the finished crawl's writes are all there
    sources.hold.clear()

    result = _nightly(cfg, tmp_path, crawl, FakeEncoder(64))
    rep = result.report
    assert result.exit_code == 0, rep["failures"]
    assert rep["recovered_crashed_runs"] == [crashed["id"]]
    gh = {s["key"]: s for s in rep["sources"]}["github:people"]
    assert gh["resumed"] is True and gh["status"] == "ok"
    with Store.open(cfg.db_url) as store:
        assert sorted(c["name"] for c in store.list_candidates()) == ["Vincent Driessen", "Vincent Jacques"]
        assert [r["status"] for r in runs.list_runs(store)] == ["ok", "crashed"]
        assert runs.interrupted_crawls(store) == {}
    assert token not in (tmp_path / "nightly.log").read_text()
    assert f"The previous run(s) [{crashed['id']}] did not finish (crash or kill)" in result.paths[1].read_text()


class BrokenEncoder:
    """An encoder whose model cannot run (corrupt weights, out of memory)."""

    name = "broken-8"
    dim = 8

    def encode(self, texts, **kwargs):
        raise RuntimeError("model weights are corrupt")


@pytest.mark.postgres
def test_a_broken_step_is_reported_and_the_next_steps_still_run(tmp_path, store):
    from sourcing.models import ProfileRecord
    from sourcing.config import load_config

    cfg_path = tmp_path / "c.toml"
    cfg_path.write_text(f'db = "{store.url}"\n[nightly]\nreports_dir = "{tmp_path / "r"}"\n')
    cfg = load_config(cfg_path, env={})
    job = store.add_job("Dev", "Python")
    store.upsert_profile(ProfileRecord(source_kind="github", external_id="ada", github_login="ada", summary="Python"))
    result = run_nightly(cfg, store=store, encoder=BrokenEncoder(), lock_path=tmp_path / "l", log_path=tmp_path / "n.log")
    assert result.exit_code == 3 and result.report["status"] == "partial"
    steps = [(f["step"], f["target"]) for f in result.report["failures"]]
    assert steps == [("embed", "pending texts"), ("rank", f"job {job} (Dev)")]
    assert all("model weights are corrupt" in f["reason"] for f in result.report["failures"])
    assert result.report["purge"]["erased"] == 0  # the purge still ran
    assert "- embed · pending texts: RuntimeError: model weights are corrupt" in result.paths[1].read_text()
    assert "model weights are corrupt" in (tmp_path / "n.log").read_text()


@pytest.mark.postgres
def test_dedupe_step_merges_people_split_by_a_race(tmp_path, store):
    from sourcing.config import load_config
    from sourcing.models import ProfileRecord
    from sourcing.storage import schema as t

    cfg_path = tmp_path / "c.toml"
    cfg_path.write_text(f'db = "{store.url}"\n[nightly]\nreports_dir = "{tmp_path / "r"}"\n')
    cfg = load_config(cfg_path, env={})
    a = store.upsert_profile(ProfileRecord(source_kind="github", external_id="1", github_login="ada", email="ada@x.org")).candidate_id
    b = store.upsert_profile(ProfileRecord(source_kind="hn_candidates", external_id="2", url="https://ada.dev")).candidate_id
    c = store.upsert_profile(ProfileRecord(source_kind="jsonresume", external_id="3", url="https://r.example/ada.json")).candidate_id
    job = store.add_job("Dev", "Python")
    store.set_decision(job, c, "shortlisted", actor="amy")
    # Two concurrent writers each created a person: b's profile has a's e-mail, c's has b's site.
    with store.transaction() as conn:
        conn.execute(t.profile.update().where(t.profile.c.candidate_id == b).values(email="Ada@X.org"))
        conn.execute(t.profile.update().where(t.profile.c.candidate_id == c).values(extra_urls=["http://www.ada.dev/"]))
    result = run_nightly(cfg, store=store, encoder=FakeEncoder(16), lock_path=tmp_path / "l", log_path=tmp_path / "n.log")
    assert result.exit_code == 0, result.report["failures"]
    assert result.report["dedupe"] == {"merged": 2, "conflicts": 2}
    assert [x["id"] for x in store.list_candidates()] == [a]
    assert len(store.get_candidate(a)["profiles"]) == 3
    assert store.get_decisions(job)[a]["status"] == "shortlisted"  # the decision followed the person
    again = run_nightly(cfg, store=store, encoder=FakeEncoder(16), lock_path=tmp_path / "l", log_path=tmp_path / "n.log")
    assert again.report["dedupe"]["merged"] == 0


@pytest.mark.postgres
def test_only_people_who_entered_the_top_since_the_last_run_are_reported(tmp_path, store):
    from sourcing.config import load_config
    from sourcing.models import ProfileRecord

    cfg_path = tmp_path / "c.toml"
    cfg_path.write_text(f'db = "{store.url}"\n[nightly]\nreports_dir = "{tmp_path / "r"}"\ntop = 2\n')
    cfg = load_config(cfg_path, env={})
    job = store.add_job("Django developer", "Django developer. Requirements: Python, Django, PostgreSQL")
    people = {}
    for login, skills in (("cook", ["Pastry", "Baking"]), ("ada", ["Python", "Django"])):
        people[login] = store.upsert_profile(ProfileRecord(
            source_kind="github", external_id=login, github_login=login, headline=f"{skills[0]} person",
            skills=skills, summary=f"I work with {' and '.join(skills)}.")).candidate_id
    kw = dict(store=store, encoder=FakeEncoder(256), lock_path=tmp_path / "l", log_path=tmp_path / "n.log")
    first = run_nightly(cfg, **kw)
    [line] = first.report["jobs"]
    assert {e["candidate_id"] for e in line["entered"]} == set(people.values())
    # A strong new candidate arrives: they enter the top 2 and push the cook out; only they are reported.
    bob = store.upsert_profile(ProfileRecord(
        source_kind="github", external_id="bob", github_login="bob", headline="Django developer",
        skills=["Python", "Django", "PostgreSQL"], summary="Django developer: Python, Django and PostgreSQL.")).candidate_id
    second = run_nightly(cfg, **kw)
    [line] = second.report["jobs"]
    assert line["reranked"] is True
    assert [e["candidate_id"] for e in line["entered"]] == [bob]
    assert set(line["top"]) == {bob, people["ada"]}
    assert second.report["totals"]["entered_top"] == 1
    assert f"(#{bob})" in second.paths[1].read_text()


def test_refused_and_invalid_sources_are_failures_with_reasons_and_the_rest_runs(tmp_path, sources, crawl, nightly_config):
    cfg = nightly_config("greenhouse", more=[{"kind": "careers", "url": "https://www.linkedin.com/jobs/view/1"},
                                             {"kind": "nosuch", "board": "x"}])
    result = _nightly(cfg, tmp_path, crawl, FakeEncoder(16))
    assert result.exit_code == 3
    lines = {s["kind"]: s for s in result.report["sources"]}
    assert lines["greenhouse"]["status"] == "ok" and lines["greenhouse"]["new"] == 2
    assert lines["careers"]["status"] == "failed" and "LinkedIn's User Agreement bans bots" in lines["careers"]["reason"]
    assert lines["nosuch"]["status"] == "failed" and "unknown source kind 'nosuch'" in lines["nosuch"]["reason"]
    assert not any("linkedin" in hit for hit in sources.hits)  # refused before anything was fetched


def test_an_unwritable_reports_folder_is_a_reported_failure_and_the_run_is_stored(tmp_path, store):
    from sourcing.config import load_config

    blocker = tmp_path / "reports"
    blocker.write_text("a file where the reports folder should be")
    cfg_path = tmp_path / "c.toml"
    cfg_path.write_text(f'db = "{store.url}"\n[nightly]\nreports_dir = "{blocker}"\n')
    cfg = load_config(cfg_path, env={})
    result = run_nightly(cfg, store=store, encoder=FakeEncoder(16), lock_path=tmp_path / "l", log_path=tmp_path / "n.log")
    assert result.exit_code == 3 and result.paths == []
    [failure] = result.report["failures"]
    assert failure["step"] == "report" and failure["target"] == str(blocker)
    stored = runs.last_report(store)
    assert stored["status"] == "partial" and stored["failures"] == [failure]


def test_only_our_jobs_are_ranked_when_we_know_which_are_ours(tmp_path, sources, crawl, nightly_config):
    """Competitors' postings are market data: with [brand] own_sources set, only ours are ranked."""
    config = nightly_config("greenhouse", "lever", "github", brand='own_sources = ["lever:acme"]')
    result = _nightly(config, tmp_path, crawl, FakeEncoder())
    assert result.exit_code == 0, result.report["failures"]
    with Store.open(config.db_url) as store:
        jobs = store.list_jobs(open_only=True)
        ours = {j["id"] for j in jobs if j["source_key"] == "lever:acme"}
        market = {j["id"] for j in jobs if j["source_key"] == "greenhouse:acme"}
        assert ours and market
        assert {j["job_id"] for j in result.report["jobs"]} == ours
        assert all(store.get_job(j)["own"] for j in ours) and not any(store.get_job(j)["own"] for j in market)
        assert all(store.get_ranking(j) for j in ours) and not any(store.get_ranking(j) for j in market)


def test_every_open_job_is_ranked_when_none_is_known_to_be_ours(tmp_path, sources, crawl, nightly_config):
    config = nightly_config("greenhouse", "github")
    result = _nightly(config, tmp_path, crawl, FakeEncoder())
    with Store.open(config.db_url) as store:
        assert {j["job_id"] for j in result.report["jobs"]} == {j["id"] for j in store.list_jobs(open_only=True)}
