"""Provides `sourcing crawl`: run configured sources' crawls (child processes), with progress and a summary."""

from __future__ import annotations

from typing import Any

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, format_options

CRAWL_FIELDS = ("source", "status", "new", "updated", "unchanged", "dropped", "errors", "seconds", "note",
                "crawl_run_id", "log_file")


def _settings(pairs: tuple[str, ...]) -> dict[str, str]:
    from sourcing.errors import UsageError

    out = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name:
            raise UsageError(f"-s {pair!r}: expected NAME=VALUE (a Scrapy setting)", "Bad setting")
        out[name] = value
    return out


def _resolve(app: AppContext, names: tuple[str, ...], all_: bool) -> list[dict[str, Any]]:
    from sourcing.errors import UsageError
    from sourcing.sources import find_source, parse_spec

    configured = app.config.sources
    if all_:
        if not configured:
            raise UsageError(f"no sources configured in {app.config.path}. Add one with `sourcing sources add greenhouse:acme`.")
        return list(configured)
    if not names:
        raise UsageError("name the sources to crawl (keys from `sourcing sources list`) or use --all")
    return [find_source(configured, n) or parse_spec(n) for n in names]


@click.command("crawl")
@click.argument("names", nargs=-1, metavar="[SOURCE]...")
@click.option("--all", "all_", is_flag=True, help="Crawl every configured source.")
@click.option("--resume", is_flag=True, help="Continue each source's interrupted crawl instead of starting over.")
@click.option("--timeout", type=float, metavar="SECONDS", help="Stop a source's crawl after this long (it can be resumed).")
@click.option("--parallel", type=click.IntRange(1, 4), default=1, show_default=True, help="Sources crawled at once.")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting for these crawls, e.g. -s DOWNLOAD_DELAY=2.")
@format_options
@pass_app
def crawl(app: AppContext, names: tuple[str, ...], all_: bool, resume: bool, timeout: float | None, parallel: int,
          settings: tuple[str, ...], fmt: str) -> None:
    """Crawl sources into the store, each in its own process; one failing does not stop the others.

    SOURCE is a configured key (see `sourcing sources list`) or a spec such as
    greenhouse:acme. Progress (a bar per source with items/s on a terminal, one line
    per source otherwise) goes to stderr, the summary to stdout (fields: source,
    status, new, updated, unchanged, dropped, errors, seconds, note, crawl_run_id, log_file).
    Exit status: 0 all ok, 3 some sources failed or were partial, 1 all failed.

    \b
    Examples:
      sourcing crawl --all
      sourcing crawl greenhouse:acme lever:acme
      sourcing crawl --all --resume
      sourcing crawl --all --json > crawl.json
    """
    from sourcing.crawler import run_crawls
    from sourcing.errors import CrawlError, PartialFailure
    from sourcing.sources import redact_url

    entries = _resolve(app, names, all_)
    cfg = app.config
    if not cfg.get("crawl.contact"):
        click.echo("WARNING: crawl.contact is not set; site owners cannot reach you. "
                   "Run `sourcing init --contact you@example.com`.", err=True)
    from sourcing.cli.progress import Bars, progress_wanted

    bars = Bars(progress_wanted(app.quiet), unit="items", fields=("new", "errors"))

    def progress(key: str, counts: dict[str, Any]) -> None:
        event = counts.get("event")
        if event == "started":
            if bars.enabled:
                bars.add(key, key)
            else:
                click.echo(f"{key}: started (crawl run {counts.get('run_id')})", err=True)
        elif event == "done":
            line = (f"{key}: {counts.get('status')} - {counts.get('items', 0)} items "
                    f"({counts.get('new', 0)} new), {counts.get('errors', 0)} errors")
            if bars.enabled:
                bars.update(key, completed=counts.get("items", 0), new=counts.get("new", 0), errors=counts.get("errors", 0))
                bars.finish(key, f"{key}: {counts.get('status')}")
            else:
                click.echo(line, err=True)
        else:
            bars.update(key, completed=counts.get("items", 0), new=counts.get("new", 0), errors=counts.get("errors", 0))

    config_path = str(cfg.path) if cfg.path.exists() else None
    from sourcing.stopping import sigterm_raises

    with bars, sigterm_raises():  # SIGTERM: children stopped, their runs recorded interrupted, exit 143
        outcomes = run_crawls(entries, db_url=cfg.db_url, config_path=config_path, resume=resume, timeout=timeout,
                              extra_settings=_settings(settings) or None, progress=progress, parallel=parallel)
    for o in outcomes:  # nothing with a user:password@ reaches the terminal
        o.source_key, o.error_summary = redact_url(o.source_key), redact_url(o.error_summary)
    rows = [{"source": o.source_key, "status": o.status, "new": o.new, "updated": o.updated, "unchanged": o.unchanged,
             "dropped": o.dropped, "errors": o.errors, "seconds": round(o.duration, 1), "note": o.error_summary,
             "crawl_run_id": o.crawl_run_id, "log_file": o.log_file} for o in outcomes]
    emit(rows, CRAWL_FIELDS if fmt != "table" else CRAWL_FIELDS[:9], fmt, max_width=120)
    from sourcing.fillcounts import quality_note

    for o in outcomes:  # per-field fill counts: a board that stopped giving dates shows "date 0"
        if quality_note(o.field_counts):
            click.echo(f"{o.source_key}: {quality_note(o.field_counts)}", err=True)
    bad = [o for o in outcomes if o.status != "ok"]
    # Exit 1 only when every source *failed*; a partial source stored something, which is exit 3.
    if bad and all(o.status == "failed" for o in outcomes):
        raise CrawlError(f"every source failed: {', '.join(o.source_key for o in bad)} (logs: {bad[0].log_file})", "Crawl failed")
    if bad:
        raise PartialFailure(f"not ok: {', '.join(f'{o.source_key} ({o.status})' for o in bad)}", "Some crawls failed")


def register(cli: click.Group) -> None:
    """Add the `crawl` command to the CLI."""
    cli.add_command(crawl)
