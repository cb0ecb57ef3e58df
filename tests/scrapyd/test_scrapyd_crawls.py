"""Distributed crawls on real scrapyd nodes: the spiders egg deployed, sources spread over two nodes,
a node killed mid-crawl and its crawl resumed by the other, every posting stored exactly once."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from scrapyd_helpers import Board, wait_until
from sourcing.crawler import run_crawls
from sourcing.scrapyd import Node
from sourcing.storage import Store
from sourcing.storage.resume import done_keys

pytestmark = pytest.mark.postgres
# The board runs on 127.0.0.1: no politeness delay, several requests at once.
FAST = {"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "SOURCING_BATCH_SIZE": 20}


def deploy(config: Path, db_url: str) -> str:
    """`sourcing scrapyd deploy` through the installed executable (as an operator runs it)."""
    sourcing = Path(sys.executable).with_name("sourcing")
    result = subprocess.run([str(sourcing), "--config", str(config), "scrapyd", "deploy", "--version", "1"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def jobs_on(node: Any) -> dict[str, list[str]]:
    listed = Node(node.url).call("listjobs.json", {"project": "spiders"})
    return {state: [j["id"] for j in listed[state]] for state in ("pending", "running", "finished")}


def test_scrapyd_egg_deploys_and_two_sources_run_one_on_each_node(nodes, scheduler_config, db_url, tmp_path):
    out = deploy(scheduler_config, db_url)
    assert out.count("spiders 1, ") == 2 and "spiders" in out
    boards = [Board(150, "acme"), Board(120, "globex")]
    try:
        entries = [{"kind": "smartrecruiters", "company": b.company, "base_url": b.url} for b in boards]
        outs = run_crawls(entries, db_url=db_url, config_path=str(scheduler_config), extra_settings=FAST, timeout=600)
        assert [(o.status, o.new) for o in outs] == [("ok", 150), ("ok", 120)], [o.error_summary for o in outs]
        # least busy node: the second source went to the other node
        assert [len(jobs_on(n)["finished"]) for n in nodes] == [1, 1]
        # politeness came with the job from this machine's config, never from the node's own
        agents = boards[0].agents | boards[1].agents
        assert agents == {"scheduler-agent (contact: tests@example.org)"}
    finally:
        for b in boards:
            b.close()
    store = Store.open(db_url)
    try:
        assert len(store.list_jobs(open_only=False)) == 270
        runs = store.list_crawl_runs()
        assert sorted(r["status"] for r in runs) == ["ok", "ok"]
        assert all(r["args"]["_job"] for r in runs)
    finally:
        store.close()


def test_a_node_killed_mid_crawl_is_resumed_by_the_other_every_posting_once(nodes, scheduler_config, db_url):
    deploy(scheduler_config, db_url)
    n, gate = 2000, 600
    board = Board(n, "acme", gate_after=gate)
    entry = {"kind": "smartrecruiters", "company": "acme", "base_url": board.url}
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(outs=run_crawls(
        [entry], db_url=db_url, config_path=str(scheduler_config), extra_settings=FAST, timeout=900)))
    store = Store.open(db_url)
    try:
        worker.start()
        wait_until(lambda: len(board.details) > gate, what=f"{gate} detail pages fetched")
        first = next(node for node in nodes if jobs_on(node)["running"])
        other = next(node for node in nodes if node is not first)
        token = jobs_on(first)["running"][0].rsplit("-", 1)[0]
        # every page before the gate committed and marked done in the store (the rest wait at the gate)
        wait_until(lambda: len(done_keys(store, token)) >= gate - FAST["SOURCING_BATCH_SIZE"], what="pages marked done")
        first.kill()
        assert first.tree() == []
        committed = len(store.list_jobs(open_only=False))
        done_at_kill = len(done_keys(store, token))
        fetched_at_kill = len(board.details)
        board.release.set()  # the requests the dead node left at the gate end; the resumed crawl is not gated
        worker.join(900)
        assert not worker.is_alive()
        [out] = result["outs"]
        assert out.status == "ok", out.error_summary
        assert out.resumed
        ids = sorted(j["external_id"] for j in store.list_jobs(open_only=False))
        assert ids == sorted(board.pid(i) for i in range(n))  # every posting, each exactly once
        assert 0 < done_at_kill <= committed < n
        # the other node fetched exactly the pages not marked done, no page the dead node had committed and marked
        resumed_fetches = board.details[fetched_at_kill:]
        assert len(resumed_fetches) == n - done_at_kill
        assert len(set(resumed_fetches)) == len(resumed_fetches)
        runs = store.list_crawl_runs()
        assert [r["status"] for r in runs] == ["ok", "interrupted"]
        assert "stopped answering" in runs[1]["error_details"][0]["reason"]
        resumed = runs[0]
        # each page the other node fetched was stored once: new, or already committed (not yet marked done) by the dead node
        assert resumed["items_new"] + resumed["items_unchanged"] == n - done_at_kill
        assert committed <= n - resumed["items_new"]  # what the dead node had committed was not stored again
        assert jobs_on(other)["finished"] == [resumed["args"]["_job"]]
        assert done_keys(store, token) == set()  # a finished run's resume state is dropped
        assert board.agents == {"scheduler-agent (contact: tests@example.org)"}
    finally:
        board.close()
        store.close()
