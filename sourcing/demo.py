"""Provides the offline demo: the real crawl → rank → review flow on a bundled fictional site.

`run_demo` makes a throwaway workspace (its own SQLite file — or the store given
with `--db` / `SOURCING_DB`, e.g. a PostgreSQL URL — and config), serves the
demo site (`sourcing.demo_site`) on 127.0.0.1, crawls it with the real spiders
(each in a child process, as `sourcing crawl` does), ranks each of Brightwave's own
jobs with the configured encoders (the packaged models, offline), then opens the
review app on the first job, or prints the top of each shortlist (`tui=False`).

The site also carries two fictional competitors' boards (`demo_site.competitors`):
their postings are market data for `sourcing brand`, crawled but never ranked. The
workspace config says which postings are ours (`[brand] company` and `own_sources`).

This module composes layers (it may import `ranking` and `tui`, inside functions).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sourcing.config import load_config
from sourcing.demo_site import DemoSite, load_data
from sourcing.errors import CrawlError

Echo = Callable[[str], None]

# Local site: the minimum politeness delay (never 0, see spiders/settings.py), and GitHub's
# unauthenticated 60 s delay must not apply.
DEMO_CRAWL_SETTINGS = {"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": False, "HTTPCACHE_ENABLED": False}


@dataclass
class DemoResult:
    """What the demo did: the workspace, crawl outcomes, and each job's top candidates."""

    workspace: Path
    db_url: str  # the workspace's demo.db, or the store the caller named
    config_path: Path
    crawls: list[Any] = field(default_factory=list)
    shortlists: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    first_job_id: int | None = None


def own_sources(base_url: str) -> list[dict[str, Any]]:
    """The `[[sources]]` entries of Brightwave's own job boards and career page."""
    jobs = load_data("jobs")
    return [
        {"kind": "greenhouse", "board": jobs["greenhouse_token"], "base_url": base_url},
        # Lever's API has no company field: without `company` the postings would carry the slug.
        {"kind": "lever", "site": jobs["lever_site"], "company": jobs["company"], "base_url": base_url},
        # A fixed key: the default one would contain the server's random port.
        {"kind": "careers", "url": f"{base_url}/careers/", "key": "careers:brightwave"},
    ]


def demo_sources(base_url: str) -> list[dict[str, Any]]:
    """The `[[sources]]` entries that point every spider at the demo site: ours, competitors', profiles."""
    from sourcing.demo_site.competitors import competitor_sources
    from sourcing.demo_site.server import resume_index

    return [
        *own_sources(base_url),
        *competitor_sources(base_url),
        {"kind": "github", "query": "type:user", "base_url": base_url},
        {"kind": "jsonresume", "url": ",".join(resume_index(base_url)), "key": "jsonresume:demo"},
    ]


def _toml(value: Any) -> str:
    # A JSON string or number is also a valid TOML value (same escapes); the demo writes nothing else.
    return json.dumps(value, ensure_ascii=False)


def write_demo_config(path: Path, db_url: Path | str, sources: list[dict[str, Any]], own_keys: list[str]) -> None:
    """Write the workspace's config: its own database, a demo actor, which sources are ours, the demo sources."""
    lines = [
        "# Throwaway config written by `sourcing demo`.",
        f"db = {_toml(str(db_url))}",
        'actor = "demo"',
        "",
        "[crawl]",
        'contact = "demo@example.org"',
        f"jobdir = {_toml(str(path.parent / 'crawls'))}",
        "download_delay = 0.001",  # the minimum: the demo site is on this machine
        "autothrottle = false",
        "",
        "[brand]",
        f"company = {_toml(load_data('jobs')['company'])}",
        f"own_sources = {_toml(own_keys)}",
        "",
    ]
    for entry in sources:
        lines.append("[[sources]]")
        lines += [f"{k} = {_toml(v)}" for k, v in entry.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def crawl_demo(site: DemoSite, config_path: Path, db_url: str, sources: list[dict[str, Any]], echo: Echo) -> list[Any]:
    """Crawl every demo source with the real spiders (child processes); return the outcomes."""
    from sourcing.crawler import CrawlOutcome, run_crawl
    from sourcing.errors import SourcingError
    from sourcing.sources import source_key

    outcomes = []
    for entry in sources:
        started = time.monotonic()
        try:
            outcome = run_crawl(entry, db_url=db_url, config_path=str(config_path),
                                jobdir_root=str(config_path.parent / "crawls"), extra_settings=DEMO_CRAWL_SETTINGS,
                                timeout=180)
        except SourcingError as exc:  # this source fails (its folder cannot be made, …); the others go on
            outcome = CrawlOutcome(source_key=source_key(entry), spider=entry["kind"], exit_code=int(exc.exit_status),
                                   status="failed", error_summary=exc.msg)
        echo(f"  crawled {source_key(entry):<22} {outcome.status:<8} new {outcome.new:>3}  "
             f"errors {outcome.errors}  ({time.monotonic() - started:.1f} s)"
             + (f"  — {outcome.error_summary}" if outcome.error_summary else ""))
        outcomes.append(outcome)
    if all(o.status == "failed" for o in outcomes):
        raise CrawlError(f"every demo crawl failed; first error: {outcomes[0].error_summary}. "
                         f"Crawl logs are under {config_path.parent / 'crawls'}")
    return outcomes


def mark_own_jobs(store: Any, own_keys: list[str]) -> int:
    """Flag the crawled postings of our own sources as ours (`job.own`); return how many.

    Crawled postings are stored as the market's; in the demo we know which boards are
    Brightwave's, so `sourcing jobs list --own`, the review and the brand feature agree.
    """
    mine = [j for j in store.list_jobs(open_only=True) if j.get("source_key") in own_keys]
    for job in mine:
        store.set_job_own(job["id"], True)
    return len(mine)


def rank_demo(store: Any, config: Any, echo: Echo, top: int) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Rank each of our own open jobs with the configured (packaged) encoders; return each job's top rows.

    Competitors' postings are market data for the brand feature: ranking them would only
    add shortlists nobody reviews.
    """
    from ranking.service import rank_job

    shortlists = []
    for job in sorted(store.list_jobs(open_only=True, own=True), key=lambda j: j["id"]):
        started = time.monotonic()
        rank_job(store, job["id"], config=config)
        rows = store.get_shortlist(job["id"])
        echo(f"  ranked  #{job['id']:<3} {job['title'][:40]:<40} {len(rows):>3} candidates ({time.monotonic() - started:.1f} s)")
        shortlists.append((job, rows[:top]))
    return shortlists


def format_shortlists(shortlists: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> str:
    """The `--no-tui` report: each job and its top candidates with score and matched skills."""
    out = []
    for job, rows in shortlists:
        where = ", ".join(x for x in (job.get("company"), job.get("location")) if x)
        out.append(f"#{job['id']} {job['title']} — {where}")
        for r in rows:
            matched = ", ".join(((r.get("explanation") or {}).get("matched_skills") or [])[:4])
            out.append(f"  {r['rank']:>2}. {r['score']:.3f}  {r.get('name') or r.get('pseudonym')}"
                       f" — {r.get('headline') or ''}" + (f"  [{matched}]" if matched else ""))
        if not rows:
            out.append("  (no candidates)")
        out.append("")
    return "\n".join(out)


def run_demo(*, tui: bool = True, top: int = 5, workdir: Path | None = None, keep: bool = False,
             db: str | None = None, echo: Echo = print, out: Echo = print) -> DemoResult:
    """Run the offline demo end to end.

    Args:
        tui: open the review app on the first job at the end (else print the shortlists).
        top: candidates printed per job without the UI.
        workdir: use this folder as the workspace (kept); default a temporary one.
        keep: keep the temporary workspace (its path is printed).
        db: the store to fill (a path or SQLAlchemy URL, e.g. PostgreSQL); default the
            workspace's own `demo.db`, removed with it.
        echo: progress lines (stderr in the CLI). out: the shortlist report (stdout).

    Returns:
        DemoResult. Raises CrawlError when every crawl failed.
    """
    from sourcing.sources import source_key
    from sourcing.storage import Store

    temp = workdir is None
    ws = Path(tempfile.mkdtemp(prefix="sourcing-demo-")) if temp else Path(workdir)
    ws.mkdir(parents=True, exist_ok=True)
    db_url, config_path = db or str(ws / "demo.db"), ws / "config.toml"
    result = DemoResult(ws, db_url, config_path)
    try:
        with DemoSite() as site:
            echo(f"Demo site (fictional company and people) on {site.base_url}; workspace {ws}")
            sources = demo_sources(site.base_url)
            own_keys = [source_key(e) for e in own_sources(site.base_url)]
            write_demo_config(config_path, db_url, sources, own_keys)
            result.crawls = crawl_demo(site, config_path, db_url, sources, echo)
        config = load_config(config_path)
        store = Store.open(db_url)
        try:
            mark_own_jobs(store, own_keys)
            echo("Ranking with the packaged models (first load takes a few seconds)…")
            result.shortlists = rank_demo(store, config, echo, top)
            result.first_job_id = result.shortlists[0][0]["id"] if result.shortlists else None
            if tui:
                from tui.app import make_app

                make_app(config, store, job_id=result.first_job_id, export_dir=ws if not temp or keep else None).run()
            else:
                out(format_shortlists(result.shortlists))
        finally:
            store.close()
    finally:
        if temp and not keep:
            shutil.rmtree(ws, ignore_errors=True)
        else:
            echo(f"Workspace kept: {ws} (sourcing --config {config_path} review)")
    return result
