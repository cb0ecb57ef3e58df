"""Provides the nightly run's per-source crawl step and per-job re-rank step.

Kept apart from `sourcing.nightly` (the orchestrator) so each stays short; this
module imports no upper layer: the ranking call is passed in by the orchestrator.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Callable

from sourcing.errors import SourcingError
from sourcing.models import payload_hash
from sourcing.storage import nightly as runs

log = logging.getLogger("sourcing.nightly")

_FAILED_STATUSES = {"failed", "error", "crashed", "killed", "running", "interrupted"}


def _result_field(result: Any, *names: str) -> Any:
    for name in names:
        if isinstance(result, dict) and name in result:
            return result[name]
        if hasattr(result, name):
            return getattr(result, name)
    return None


def crawl_source(run: Any, entry: dict[str, Any], interrupted: dict[str, Any], crawl: Callable[..., Any] | None) -> dict[str, Any]:
    """Crawl one configured source in a child process; return its report line.

    The counts come from the `crawl_run` rows the crawl wrote (the store is the
    source of truth, whatever happened to the child process). A source is "ok"
    with no errors, "partial" with errors but items stored, else "failed"; the
    last two add a failure with the reason.
    """
    from sourcing.sources import source_key

    try:
        key = source_key(entry)
    except Exception:  # an entry too broken to name; the crawl below reports why
        key = str(entry.get("key") or entry.get("kind") or entry)
    resume = key in interrupted
    line: dict[str, Any] = {"key": key, "kind": entry.get("kind"), "status": "ok", "resumed": resume,
                            "new": 0, "updated": 0, "unchanged": 0, "dropped": 0, "errors": 0}
    before = runs.max_crawl_run_id(run.store)
    t0 = time.perf_counter()
    reason = None
    log.info("crawl %s: starting%s", key, " (resuming an interrupted crawl)" if resume else "")
    try:
        if crawl is None:
            from sourcing.crawler import run_crawl as crawl
        config_path = str(run.config.path) if run.config.path and run.config.path.exists() else None
        limit = int(run.config.get("nightly.crawl_timeout") or 0)
        result = crawl(entry, db_url=run.config.db_url, config_path=config_path, resume=resume, timeout=limit or None)
        status = _result_field(result, "status")
        code = _result_field(result, "returncode", "exit_code")
        if status in ("partial", "failed") or (isinstance(code, int) and code != 0):
            reason = _result_field(result, "error_summary") or f"crawl {status or 'process exited with ' + str(code)}"
    except SourcingError as exc:
        reason = exc.msg
    except Exception as exc:  # one source's crash must not stop the others
        log.exception("crawl %s crashed", key)
        reason = f"{type(exc).__name__}: {exc}"
    line["duration_s"] = round(time.perf_counter() - t0, 3)
    rows = [r for r in runs.crawl_runs_since(run.store, before) if r["source_key"] == key]
    details: list[Any] = []
    for r in rows:
        line["new"] += r["items_new"]
        line["updated"] += r["items_updated"]
        line["unchanged"] += r["items_unchanged"]
        line["dropped"] += r["items_dropped"]
        line["errors"] += r["errors"]
        details += r["error_details"] or []
        if r["status"] in _FAILED_STATUSES and reason is None:
            first = (r["error_details"] or [{}])[0]
            reason = f"crawl run {r['id']} ended with status {r['status']!r}" + (
                f": {first.get('where', '')} {first.get('reason', '')}".rstrip() if isinstance(first, dict) and first else "")
    if not rows and reason is None:
        reason = "the crawl recorded no crawl run (it did not start)"
    if reason is None and line["errors"]:
        reason = f"{line['errors']} errors"
    if reason is not None:
        from sourcing.sources import REGISTRY

        kind = REGISTRY.get(str(entry.get("kind")))
        scrub = kind is not None and kind.yields == "profiles"
        reason = scrub_urls(reason) if scrub else reason
        stored = line["new"] + line["updated"] + line["unchanged"]
        line["status"] = "partial" if stored else "failed"
        line["reason"] = reason
        line["error_samples"] = [_short(d, scrub) for d in details[:5]]
        run.fail("crawl", key, reason)
    log.info("crawl %s: %s, %d new, %d updated, %d errors", key, line["status"], line["new"], line["updated"], line["errors"])
    return line


_URL = re.compile(r"(https?://[^/\s]+)/[^\s'\"<>]*?(?=:\s|[\s'\"<>]|$)")


def scrub_urls(text: str) -> str:
    """Keep only the host of every URL: a profile source's URLs name people (logins, résumé links).

    Reports outlive erasures, so they must not carry them; the crawl's own log keeps the detail.
    """
    return _URL.sub(r"\1/…", text)


def _short(detail: Any, scrub: bool) -> Any:
    """Error details as the crawler recorded them, trimmed so a report stays readable."""
    def clean(v: Any) -> Any:
        if not isinstance(v, str):
            return v
        return (scrub_urls(v) if scrub else v)[:300]

    if isinstance(detail, dict):
        return {k: clean(v) for k, v in detail.items()}
    return clean(str(detail))


def job_fingerprint(job: dict[str, Any]) -> str:
    """What of a job changes its ranking (its text and constraints; `updated_at` catches the rest)."""
    fields = ("title", "description", "company", "location", "remote", "tags", "updated_at")
    return payload_hash({k: job.get(k) for k in fields})


def rank_open_jobs(run: Any, rank_one: Callable[[int], None], *, pool_unchanged: bool,
                   jobs: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Re-rank every open job (or the given `jobs`) whose inputs changed; report who entered each top N.

    "Entered" compares the new top N with the top N the previous nightly run
    reported for that job (or, on a job's first nightly run, with its stored ranking).
    """
    top_n = int(run.config.get("nightly.top"))
    previous = {int(j["job_id"]): j for j in run.previous.get("jobs", [])}
    out: list[dict[str, Any]] = []
    for job in run.store.list_jobs(open_only=True) if jobs is None else jobs:
        jid = job["id"]
        fp = job_fingerprint(job)
        prev = previous.get(jid)
        line: dict[str, Any] = {"job_id": jid, "title": job["title"], "fingerprint": fp, "entered": []}
        if prev is not None:
            before = [int(c) for c in prev.get("top", [])]
        else:
            before = [r["candidate_id"] for r in runs.ranking_top(run.store, jid, top_n)]
        unchanged = pool_unchanged and prev is not None and prev.get("fingerprint") == fp and not prev.get("failed")
        if unchanged and runs.ranking_top(run.store, jid, 1):
            line.update(reranked=False, top=before)
            out.append(line)
            continue
        t0 = time.perf_counter()
        try:
            rank_one(jid)
        except Exception as exc:
            run.fail("rank", f"job {jid} ({job['title']})", f"{type(exc).__name__}: {exc}")
            line.update(reranked=False, failed=True, top=before)
            out.append(line)
            continue
        after = runs.ranking_top(run.store, jid, top_n)
        names = runs.pseudonyms(run.store, [r["candidate_id"] for r in after])
        seen = set(before)
        line["entered"] = [dict(r, pseudonym=names.get(r["candidate_id"])) for r in after if r["candidate_id"] not in seen]
        line.update(reranked=True, top=[r["candidate_id"] for r in after], duration_s=round(time.perf_counter() - t0, 3))
        out.append(line)
    return out
