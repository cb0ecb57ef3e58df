"""Provides `sourcing nightly`: crawl every source, de-duplicate, embed, re-rank, purge, report.

`run_nightly(config)` runs, in order, under an exclusive lock (`sourcing.lock`: a file
lock, or a PostgreSQL advisory lock when the store is shared):

1. every configured source's crawl, each in its own child process through
   `sourcing.crawler.run_crawl` (one failing source does not stop the others; a crawl
   interrupted last time — its `crawl_run` still "running" with a JOBDIR — resumes);
2. candidate de-duplication (identity keys owned by two candidates are merged);
3. embedding of new or changed texts only (`ranking.service.embed_pending`);
4. re-ranking of every open job (`ranking.service.rank_job`);
5. the retention purge (`sourcing.privacy.purge`);
6. the GDPR notices due within 7 days or overdue, erased at the deadline when
   `[privacy] no_notice_action = "erase"` (`sourcing.nightly_notices`);
7. the report: stored in `nightly_run`, written as JSON and Markdown to
   `nightly.reports_dir`, and returned for printing.

Incremental by design: steps 2-4 are skipped when the pool (candidates, profiles,
jobs) and the ranking settings are exactly as the previous successful run left them,
and a job is re-ranked only when its own inputs or the pool changed. Every write is
transactional in the store, so a crash leaves it consistent; the next run closes the
crashed run's row and resumes its interrupted crawls.

This module may import `ranking` lazily (inside functions) — it composes the layers.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from sourcing.errors import ExitStatus
from sourcing.lock import nightly_lock
from sourcing.stopping import EXIT_TERMINATED, Terminated
from sourcing.models import payload_hash, utcnow
from sourcing.nightly_log import nightly_logging
from sourcing.nightly_report import default_reports_dir, write_report
from sourcing.storage import nightly as runs

log = logging.getLogger("sourcing.nightly")

CrawlFn = Callable[..., Any]


@dataclass
class NightlyResult:
    """What a run did: exit code, the report dict and where it was written."""

    exit_code: int
    report: dict[str, Any]
    paths: list[Path] = field(default_factory=list)


@dataclass
class _Run:
    store: Any
    config: Any
    previous: dict[str, Any]
    report: dict[str, Any]
    encoder: Any = None
    failures: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, step: str, target: str, reason: str) -> None:
        log.error("%s %s failed: %s", step, target, reason)
        self.failures.append({"step": step, "target": target, "reason": reason})


def run_nightly(
    config: Any,
    *,
    store: Any = None,
    encoder: Any = None,
    crawl: CrawlFn | None = None,
    lock_path: Path | None = None,
    reports_dir: Path | None = None,
    log_path: Path | None = None,
    actor: str = "nightly",
    now: datetime | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> NightlyResult:
    """Run the whole nightly pipeline once.

    Args:
        config: the resolved Config (sources, `nightly.*`, `privacy.*`, `ranking.*`).
        store: an open Store; default: open `config.db_url` (and close it at the end).
        encoder: an encoder to embed and rank with (tests pass `FakeEncoder`); default
            the one `ranking.service` builds from `ranking.model`.
        crawl: the crawl function; default `sourcing.crawler.run_crawl`.
        lock_path: default `<user state dir>/nightly.lock` (a SQLite store; with PostgreSQL the
            lock is an advisory lock in the database, shared by every machine).
        reports_dir: default `nightly.reports_dir`, else `<user data dir>/reports`.
        log_path: default `<user state dir>/nightly.log` (rotating).
        actor: name written to the audit log for purges.
        now: the time retention and notice deadlines are judged at (tests pass one); default now.
        progress: `progress(step, done, total)` before each step ("crawl", …, "purge") and
            once more with `("done", total, total)` (the CLI's progress bar).

    Returns:
        NightlyResult with exit code 0 (all fine), PARTIAL (something failed, the rest
        ran) or ERROR (every source failed, or every step broke).

    Raises:
        LockedError: another nightly run (on this machine, or any machine with a PostgreSQL store) holds the lock.
    """
    db_url = store.url if store is not None else config.db_url
    with nightly_lock(db_url, lock_path), nightly_logging(log_path):
        own_store = store is None
        if own_store:
            from sourcing.storage import Store

            store = Store.open(config.db_url)
        try:
            return _run_locked(config, store, encoder, crawl, reports_dir, actor, now, progress)
        finally:
            if own_store:
                store.close()


def _run_locked(config: Any, store: Any, encoder: Any, crawl: CrawlFn | None, reports_dir: Path | None, actor: str,
                now: datetime | None = None, progress: Callable[[str, int, int], None] | None = None) -> NightlyResult:
    crashed = runs.close_abandoned_runs(store)
    previous_run = runs.last_finished_run(store)
    run_id = runs.start_run(store)
    started = time.perf_counter()
    report: dict[str, Any] = {
        "run_id": run_id,
        "started_at": utcnow().isoformat(timespec="seconds"),
        "previous_run_id": previous_run["id"] if previous_run else None,
        "recovered_crashed_runs": crashed,
        "sources": [], "dedupe": {}, "embedding": {}, "jobs": [], "purge": {}, "notices": {}, "failures": [],
        "timings": {}, "top": int(config.get("nightly.top")),
    }
    run = _Run(store, config, previous_run["report"] if previous_run else {}, report, encoder)
    # Taken before any encoder is built, so equal settings give equal fingerprints run after run.
    report["settings_fingerprint"] = _settings_fingerprint(run)
    log.info("nightly run %s started (%d sources)", run_id, len(config.sources))
    steps = (("crawl", lambda: _crawl_all(run, crawl)), ("dedupe", lambda: _dedupe(run)),
             ("embed", lambda: _embed(run)), ("rank", lambda: _rank(run)), ("purge", lambda: _purge(run, actor, now)),
             ("notices", lambda: _notices(run, actor, now)))
    broken = 0
    for i, (name, step) in enumerate(steps):
        if progress is not None:
            progress(name, i, len(steps))
        t0 = time.perf_counter()
        try:
            step()
        except Terminated:  # SIGTERM: the crawl children are stopped; record this run as interrupted, then exit 143
            report["timings"][name] = round(time.perf_counter() - t0, 4)
            report.update(status="interrupted", stopped_in=name, exit_code=EXIT_TERMINATED,
                          finished_at=utcnow().isoformat(timespec="seconds"))
            runs.interrupt_run(store, run_id, exit_code=EXIT_TERMINATED, report=report)
            log.warning("nightly run %s stopped by SIGTERM during %s", run_id, name)
            raise
        except Exception as exc:  # a step that breaks as a whole must not stop the next ones (nor hide why)
            log.exception("nightly step %s failed", name)
            run.fail(name, "step", f"{type(exc).__name__}: {exc}")
            broken += 1
        report["timings"][name] = round(time.perf_counter() - t0, 4)
    if progress is not None:
        progress("done", len(steps), len(steps))
    report["failures"] = run.failures
    report["pool_state"] = _safe_pool_state(store)
    report["totals"] = {
        "new": sum(s.get("new", 0) for s in report["sources"]),
        "updated": sum(s.get("updated", 0) for s in report["sources"]),
        "entered_top": sum(len(j.get("entered", [])) for j in report["jobs"]),
        "embedded": report["embedding"].get("embedded", 0),
        "purged": report["purge"].get("erased", 0),
        "notices_due": len(report["notices"].get("due", [])),
    }
    every_step_broke = broken == len(steps)
    status, code = _outcome(report, every_step_broke=every_step_broke)
    report.update(status=status, exit_code=int(code), finished_at=utcnow().isoformat(timespec="seconds"),
                  duration_s=round(time.perf_counter() - started, 3))
    target = reports_dir or default_reports_dir(config)
    try:
        paths = write_report(report, target)
    except OSError as exc:  # the run's work is done and stored; say where the report could not go
        run.fail("report", str(target), f"{type(exc).__name__}: {exc}")
        status, code = _outcome(report, every_step_broke=every_step_broke)
        report.update(status=status, exit_code=int(code))
        paths = []
    runs.finish_run(store, run_id, status=status, exit_code=int(code), report=report)
    log.info("nightly run %s finished: %s (exit %d); report %s", run_id, status, code, paths[0] if paths else "-")
    return NightlyResult(int(code), report, paths)


def _outcome(report: dict[str, Any], *, every_step_broke: bool) -> tuple[str, ExitStatus]:
    """ok/0 without failures; failed/ERROR when every source (or every step) failed; else partial."""
    sources = report["sources"]
    all_sources_failed = bool(sources) and all(s["status"] == "failed" for s in sources)
    if every_step_broke or all_sources_failed:
        return "failed", ExitStatus.ERROR
    if report["failures"]:
        return "partial", ExitStatus.PARTIAL
    return "ok", ExitStatus.OK


def _safe_pool_state(store: Any) -> dict[str, Any] | None:
    try:
        return runs.pool_state(store)
    except Exception:  # reporting must not hide the original failure
        log.exception("could not read the pool state")
        return None


# --- 1. crawl -------------------------------------------------------------------------
def _crawl_all(run: _Run, crawl: CrawlFn | None) -> None:
    from sourcing.nightly_steps import crawl_source

    interrupted = runs.interrupted_crawls(run.store)
    for entry in run.config.sources:
        run.report["sources"].append(crawl_source(run, entry, interrupted, crawl))


# --- 2. de-duplication ----------------------------------------------------------------
def _unchanged_since_previous(run: _Run, step: str, *, candidates_only: bool = False) -> bool:
    """True when the pool and settings equal the previous run's end state and that step succeeded there.

    With `candidates_only`, job changes are ignored (each job has its own fingerprint).
    """
    prev = run.previous
    if not prev or prev.get("pool_state") is None:
        return False
    if any(f["step"] == step for f in prev.get("failures", [])):
        return False
    if prev.get("settings_fingerprint") != run.report["settings_fingerprint"]:
        return False
    now, then = runs.pool_state(run.store), dict(prev["pool_state"])
    if candidates_only:
        for key in ("jobs", "jobs_changed"):
            now.pop(key, None)
            then.pop(key, None)
    return now == then


def _dedupe(run: _Run) -> None:
    if _unchanged_since_previous(run, "dedupe"):
        run.report["dedupe"] = {"skipped": "pool unchanged since the previous run", "merged": 0}
        return
    conflicts = runs.identity_conflicts(run.store)
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for keep, drop, _kind in conflicts:
        a, b = sorted((root(keep), root(drop)))
        if a != b:
            parent[b] = a
    merged = 0
    for drop in sorted(parent):
        try:
            runs.merge_candidates(run.store, drop, root(drop))
            merged += 1
        except Exception as exc:
            run.fail("dedupe", f"candidate {drop}", f"{type(exc).__name__}: {exc}")
    if merged:
        log.info("dedupe: merged %d duplicate candidates", merged)
    run.report["dedupe"] = {"merged": merged, "conflicts": len(conflicts)}


# --- 3. embedding ---------------------------------------------------------------------
def _encoder(run: _Run) -> Any:
    """The injected encoder, or None: then ranking picks the configured one per job language."""
    return run.encoder


def _settings_fingerprint(run: _Run) -> str:
    """What besides the pool changes a ranking: the model and the ranking settings."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        code = version("sourcing")  # an upgrade may change how rankings are computed
    except PackageNotFoundError:
        code = "unknown"
    model = getattr(run.encoder, "name", None) or run.config.get("ranking.model")
    return payload_hash({"model": model, "ranking": run.config.section("ranking"), "top": run.config.get("nightly.top"),
                         "blind": run.config.get("privacy.blind"), "code": code})


def _embed(run: _Run) -> None:
    if _unchanged_since_previous(run, "embed"):
        run.report["embedding"] = {"embedded": 0, "skipped": "pool unchanged since the previous run"}
        return
    from ranking.service import embed_pending

    try:
        count = embed_pending(run.store, config=run.config, encoder=_encoder(run))
    except Exception as exc:
        run.fail("embed", "pending texts", f"{type(exc).__name__}: {exc}")
        run.report["embedding"] = {"embedded": 0, "failed": True}
        return
    log.info("embedding: %d new or changed texts embedded", count)
    run.report["embedding"] = {"embedded": int(count), "model": getattr(run.encoder, "name", None)}


# --- 4. re-ranking --------------------------------------------------------------------
def _rank(run: _Run) -> None:
    from ranking.service import rank_job

    from sourcing.nightly_steps import rank_open_jobs

    pool_unchanged = _unchanged_since_previous(run, "rank", candidates_only=True)

    def rank_one(job_id: int) -> None:
        rank_job(run.store, job_id, config=run.config, encoder=_encoder(run))

    run.report["jobs"] = rank_open_jobs(run, rank_one, pool_unchanged=pool_unchanged, jobs=_jobs_to_rank(run))


def _jobs_to_rank(run: _Run) -> list[dict[str, Any]]:
    """Our open jobs when we know which are ours, else every open job.

    Competitors' postings crawled for the brand feature are market data: ranking the
    pool against them costs a full ranking each and nobody reviews them. Jobs from
    `brand.own_sources` or under `brand.company` are flagged ours on the way, so the
    review app and `jobs list --own` agree with what was ranked.
    """
    from ranking.brand.insights import is_own

    jobs = run.store.list_jobs(open_only=True)
    company = run.config.get("brand.company")
    own_sources = run.config.get("brand.own_sources")
    ours = [j for j in jobs if is_own(j, company, own_sources)]
    for job in ours:
        if not job.get("own"):
            run.store.set_job_own(job["id"], True)
    return ours or jobs


# --- 5. retention purge ---------------------------------------------------------------
def _purge(run: _Run, actor: str, now: datetime | None = None) -> None:
    from sourcing.privacy import purge

    result = purge(run.store, run.config, actor=actor, now=now)
    for failure in result.failures:
        run.fail("purge", f"candidate {failure['candidate_id']}", failure["reason"])
    run.report["purge"] = {"erased": result.erased, "counts": result.counts(),
                           "rejected_days": result.rejected_days, "pool_days": result.pool_days}
    if result.erased:
        gone = {item.candidate_id for item in result.items}
        for job in run.report["jobs"]:
            job["entered"] = [e for e in job.get("entered", []) if e["candidate_id"] not in gone]


# --- 6. GDPR notices: list those due, erase at the deadline if configured ------------------
def _notices(run: _Run, actor: str, now: datetime | None = None) -> None:
    from sourcing.nightly_notices import notices_step

    result = notices_step(run.store, run.config, actor=actor, now=now)
    for failure in result["failures"]:
        run.fail("notices", f"candidate {failure['candidate_id']}", failure["reason"])
    run.report["notices"] = result
    gone = set(result["erased"])
    for job in run.report["jobs"]:
        job["entered"] = [e for e in job.get("entered", []) if e["candidate_id"] not in gone]
