"""Provides crawls on scrapyd nodes: each source on the least busy node, polled, resumed elsewhere if its node dies.

With `[crawl] scrapyd = ["http://host:6800", …]`, `sourcing crawl` and `sourcing nightly`
hand each source to a scrapyd node (the `spiders` project, deployed with `sourcing scrapyd
deploy`) through scrapyd's JSON API instead of running it here:

- `daemonstatus.json` of every node; the source goes to the one with the fewest pending
  and running jobs (ties: the first listed), `schedule.json` with the spider's arguments
  and every crawl setting as job settings: politeness from *this* machine's config
  (`sourcing.crawl_settings`), the store's URL *without its password* (scrapyd shows job
  settings in `listjobs.json` and on the crawl's command line; the node's environment
  gives the password: `PGPASSWORD` or `~/.pgpass`), and the run's token.
- `listjobs.json` every `poll` seconds until the job is finished; the job's `crawl_run`
  row in the store (its `args` carry scrapyd's job id) is the outcome.
- The token keys the run's resume state in the store (`crawl_resume`): a node that stops
  answering (`DOWN_AFTER` polls in a row), or a job that ended without closing its row (the
  crawl process died), has its row closed as interrupted and the run scheduled again on
  the least busy live node, which skips the pages already committed. `cancel.json` stops a
  job at the timeout (and, best effort, a job moved away from a node that came back).

Nothing here imports Scrapy: the nodes run the crawls.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sourcing.errors import CrawlError, SourcingError

logger = logging.getLogger(__name__)
PROJECT = "spiders"
DOWN_AFTER = 3  # failed polls in a row before a node counts as dead and its crawls move
MAX_ATTEMPTS = 3  # schedulings of one source (the first and two resumes)
Progress = Callable[[str, dict[str, Any]], None]


class NodeDown(Exception):
    """A scrapyd node did not answer (refused, reset, timed out)."""


@dataclass
class Node:
    """One scrapyd server, e.g. Node("http://127.0.0.1:6800")."""

    url: str
    failures: int = 0  # failed calls in a row

    @property
    def alive(self) -> bool:
        return self.failures < DOWN_AFTER

    def call(self, endpoint: str, params: dict[str, Any] | list[tuple[str, str]] | None = None, *,
             post: bool = False, timeout: float = 10.0) -> dict[str, Any]:
        """Call `endpoint` (e.g. "listjobs.json"); the JSON answer, or NodeDown / CrawlError."""
        query = urllib.parse.urlencode(params or {}, doseq=True)
        url = f"{self.url.rstrip('/')}/{endpoint}"
        req = urllib.request.Request(url if post or not query else f"{url}?{query}",
                                     data=query.encode() if post else None)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the configured node URL
                body = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise CrawlError(f"scrapyd {self.url}: {endpoint} answered HTTP {exc.code}", "scrapyd error") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            self.failures += 1
            raise NodeDown(f"{self.url}: {exc}") from exc
        self.failures = 0
        if body.get("status") != "ok":
            raise CrawlError(f"scrapyd {self.url}: {endpoint}: {body.get('message', body)}", "scrapyd error")
        return body

    def load(self) -> int:
        """Pending plus running jobs on the node."""
        status = self.call("daemonstatus.json")
        return int(status.get("pending", 0)) + int(status.get("running", 0))

    def job_state(self, job: str) -> str | None:
        """"pending", "running" or "finished" for scrapyd job `job` (None: the node does not know it)."""
        jobs = self.call("listjobs.json", {"project": PROJECT})
        for state in ("pending", "running", "finished"):
            if any(j.get("id") == job for j in jobs.get(state, [])):
                return state
        return None


@dataclass
class _Run:
    """One source's distributed run: its token, and the scrapyd job of its current attempt."""

    entry: dict[str, Any]
    key: str
    spider: str
    token: str
    node: Node | None = None
    job: str = ""
    attempt: int = 0
    started: float = field(default_factory=time.monotonic)
    jobs: list[str] = field(default_factory=list)
    outcome: Any = None


def scrapyd_nodes(config_path: str | None) -> list[Node]:
    """The `crawl.scrapyd` nodes of the config (empty: crawls run on this machine)."""
    from sourcing.config import load_config

    return nodes_from(list(load_config(config_path).get("crawl.scrapyd") or []))


def nodes_from(urls: list[str]) -> list[Node]:
    """The `crawl.scrapyd` list as nodes (a bad entry is a UsageError naming it)."""
    from sourcing.errors import UsageError

    nodes = []
    for u in urls:
        parts = urllib.parse.urlsplit(str(u))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"crawl.scrapyd: {u!r} is not a scrapyd URL (expected http://host:6800)", "Bad setting")
        nodes.append(Node(str(u)))
    return nodes


def node_db_url(db_url: str) -> str:
    """The store URL sent to the nodes: a server URL without its password (see the module doc)."""
    from sqlalchemy.engine import make_url

    if "://" not in db_url:
        return db_url  # a SQLite path: only nodes on this machine can share it
    return make_url(db_url).set(password=None).render_as_string(hide_password=False)


def job_settings(config_path: str | None, db_url: str, token: str, entry: dict[str, Any],
                 extra_settings: dict[str, Any] | None) -> dict[str, Any]:
    """Every Scrapy setting of the job: this machine's politeness, the entry's own, the store and the token."""
    from sourcing.config import load_config
    from sourcing.crawl_settings import politeness_settings
    from sourcing.sources import source_settings

    return {**politeness_settings(load_config(config_path)), **source_settings(entry), "SOURCING_DB": node_db_url(db_url),
            "SOURCING_RESUME_TOKEN": token, **(extra_settings or {})}


def _pick(nodes: list[Node]) -> Node | None:
    """The live node with the fewest pending and running jobs (ties: the first listed); None when none answers."""
    best: tuple[int, int, Node] | None = None
    for i, node in enumerate(nodes):
        if not node.alive:
            continue
        try:
            load = node.load()  # a job scheduled a moment ago is already counted as pending
        except NodeDown:
            continue
        if best is None or (load, i) < best[:2]:
            best = (load, i, node)
    return best[2] if best else None


def _schedule(run: _Run, nodes: list[Node], settings: dict[str, Any]) -> bool:
    """Schedule `run`'s next attempt on the least busy live node; False when no node takes it."""
    from sourcing.sources import spider_args

    tried: set[str] = set()
    while True:
        node = _pick([n for n in nodes if n.url not in tried])
        if node is None:
            return False
        run.attempt += 1
        job = f"{run.token}-{run.attempt}"
        params = [("project", PROJECT), ("spider", run.spider), ("jobid", job)]
        params += [(k, str(v)) for k, v in spider_args(run.entry).items()]
        params += [("setting", f"{k}={v}") for k, v in settings.items()]
        try:
            node.call("schedule.json", params, post=True)
        except NodeDown:
            tried.add(node.url)
            continue
        run.node, run.job = node, job
        run.jobs.append(job)
        logger.info("%s: scheduled on %s as job %s", run.key, node.url, job)
        return True


def _row_of(store: Any, job: str) -> dict[str, Any] | None:
    """The crawl_run row a scrapyd job wrote (its `args` carry scrapyd's `_job`)."""
    for row in store.list_crawl_runs(limit=500):
        if (row.get("args") or {}).get("_job") == job:
            return row
    return None


def _outcome(run: _Run, row: dict[str, Any] | None, why: str = "") -> Any:
    from sourcing.crawler import CrawlOutcome

    out = CrawlOutcome(source_key=run.key, spider=run.spider, exit_code=1, status="failed",
                       duration=round(time.monotonic() - run.started, 3), resumed=run.attempt > 1,
                       jobdir=f"scrapyd {run.node.url if run.node else '-'} job {run.job}")
    if row is None:
        out.error_summary = why or f"the scrapyd job {run.job} ended without a crawl_run row; see its log on {run.node.url if run.node else 'the node'}"
        return out
    out.crawl_run_id = row["id"]
    out.new, out.updated, out.unchanged = row["items_new"], row["items_updated"], row["items_unchanged"]
    out.dropped, out.errors = row["items_dropped"], row["errors"]
    out.error_details = list(row.get("error_details") or [])
    out.field_counts = row.get("field_counts")
    out.status = {"ok": "ok", "partial": "partial", "interrupted": "partial"}.get(row["status"], "failed")
    out.exit_code = 0 if out.status == "ok" else 1
    problems = [d for d in out.error_details if d.get("kind") != "skipped"]
    if problems:
        out.error_summary = f"{problems[0].get('where')}: {problems[0].get('reason')}"
    if why:
        out.error_summary = "; ".join(x for x in (why, out.error_summary) if x)
    return out


def run_on_nodes(entries: list[dict[str, Any]], nodes: list[Node], *, db_url: str, config_path: str | None = None,
                 extra_settings: dict[str, Any] | None = None, timeout: float | None = None,
                 progress: Progress | None = None, poll: float = 1.0) -> list[Any]:
    """Crawl `entries` on scrapyd `nodes`, writing `db_url`; one CrawlOutcome per entry, in order.

    Args:
        entries: `[[sources]]` entries (checked as for a local crawl: a refused one is a failed outcome).
        nodes: the scrapyd servers (`nodes_from(cfg.get("crawl.scrapyd"))`).
        db_url: the shared store; the nodes must reach it (a PostgreSQL server, or a SQLite file on this machine).
        config_path: this machine's config, whose politeness the jobs carry.
        extra_settings: more Scrapy settings for every job.
        timeout: seconds per source before its job is cancelled.
        progress: called as `progress(source_key, {"event": "started"|"done", ...})`.
        poll: seconds between `listjobs.json` polls.
    """
    from sourcing.sources import REGISTRY, check_allowed, source_key, validate_entry
    from sourcing.storage import Store
    from sourcing.storage.crawl_runs import close_interrupted
    from sourcing.storage.resume import forget_run

    Store.open(db_url).close()  # create and migrate once, before the nodes connect together
    runs: list[_Run] = []
    failed: dict[int, Any] = {}
    from sourcing.crawler import CrawlOutcome

    for i, entry in enumerate(entries):
        try:
            check_allowed(entry)
            validate_entry(entry)
        except SourcingError as exc:
            failed[i] = CrawlOutcome(source_key=str(entry.get("kind")), spider=str(entry.get("kind")),
                                     exit_code=int(exc.exit_status), status="failed", error_summary=exc.msg)
            continue
        runs.append(_Run(entry, source_key(entry), REGISTRY[entry["kind"]].spider, secrets.token_hex(8)))
    settings = {id(r): job_settings(config_path, db_url, r.token, r.entry, extra_settings) for r in runs}
    for run in runs:
        if not _schedule(run, nodes, settings[id(run)]):
            run.outcome = _outcome(run, None, "no scrapyd node answered: " + ", ".join(n.url for n in nodes))
        elif progress is not None:
            progress(run.key, {"event": "started", "node": run.node.url if run.node else None})
    store = Store.open(db_url)
    try:
        while any(r.outcome is None for r in runs):
            time.sleep(poll)
            for run in (r for r in runs if r.outcome is None):
                _advance(run, nodes, settings[id(run)], store, timeout, close_interrupted)
                if run.outcome is not None:
                    if run.outcome.status == "ok":
                        forget_run(store, run.token)
                    if progress is not None:
                        o = run.outcome
                        progress(run.key, {"event": "done", "status": o.status, "new": o.new, "updated": o.updated,
                                           "unchanged": o.unchanged, "dropped": o.dropped, "errors": o.errors, "items": o.items})
    finally:
        store.close()
    by_index = iter(r.outcome for r in runs)
    return [failed[i] if i in failed else next(by_index) for i in range(len(entries))]


def _advance(run: _Run, nodes: list[Node], settings: dict[str, Any], store: Any,
             timeout: float | None, close_interrupted: Callable[..., bool]) -> None:
    """One poll of `run`: finished, still going, or moved to another node."""
    assert run.node is not None
    try:
        state = run.node.job_state(run.job)
    except NodeDown as exc:
        if run.node.alive:
            return  # one missed poll: ask again next time
        _move(run, nodes, settings, store, close_interrupted, f"node {run.node.url} stopped answering ({exc})")
        return
    if state in ("pending", "running"):
        if timeout is not None and time.monotonic() - run.started > timeout:
            try:
                run.node.call("cancel.json", {"project": PROJECT, "job": run.job}, post=True)
            except (NodeDown, CrawlError) as exc:
                logger.warning("%s: cancel on %s failed: %s", run.key, run.node.url, exc)
            row = _row_of(store, run.job)
            if row is not None:
                close_interrupted(store, row["id"], counts={}, reason="timed out; cancelled on its scrapyd node")
            run.outcome = _outcome(run, _row_of(store, run.job), "timed out")
        return
    row = _row_of(store, run.job)
    if row is not None and row["status"] != "running":
        run.outcome = _outcome(run, row)
        return
    if state is None and row is None:
        run.outcome = _outcome(run, None, f"node {run.node.url} does not know job {run.job} (restarted?)")
        return
    # Finished (or forgotten) with its row still "running", or no row: the crawl process died.
    _move(run, nodes, settings, store, close_interrupted, f"the crawl process of job {run.job} on {run.node.url} died")


def _move(run: _Run, nodes: list[Node], settings: dict[str, Any], store: Any,
          close_interrupted: Callable[..., bool], why: str) -> None:
    """Close the dead attempt's row and resume the run on another node (or give up after MAX_ATTEMPTS)."""
    logger.warning("%s: %s; resuming elsewhere", run.key, why)
    row = _row_of(store, run.job)
    if row is not None:
        close_interrupted(store, row["id"], counts={}, reason=f"{why}; resumed on another node")
    old = run.node
    if run.attempt >= MAX_ATTEMPTS or not _schedule(run, [n for n in nodes if n is not old] or nodes, settings):
        run.outcome = _outcome(run, row, f"{why}; not resumed (attempt {run.attempt} of {MAX_ATTEMPTS}, or no node answered)")
        return
    if old is not None and old is not run.node:
        try:  # a node that comes back must not run the moved crawl too (harmless, but twice the traffic)
            old.call("cancel.json", {"project": PROJECT, "job": run.jobs[-2]}, post=True, timeout=2.0)
        except (NodeDown, CrawlError):
            pass
