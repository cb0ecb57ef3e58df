"""Provides `sourcing sources add|list|remove`: the configured sources and the refusal policy."""

from __future__ import annotations

from typing import Any

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, format_options

SOURCE_FIELDS = ("key", "kind", "yields", "base_url", "history", "last_status", "items_per_night", "errors_per_night",
                 "error_history")
TABLE_SOURCE_FIELDS = ("key", "kind", "yields", "base_url", "history", "error_history", "last_status")
NIGHTS = 14
KIND_FIELDS = ("kind", "status", "yields", "reads", "terms", "reason")


@click.group("sources")
def sources() -> None:
    """Configure the sources to crawl ([[sources]] tables in the config file)."""


def _fetch_robots(url: str, user_agent: str) -> str | None:
    """Return the site's robots.txt text, None when it has none (404); raise OSError when unreachable."""
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    req = urllib.request.Request(f"{parts.scheme}://{parts.netloc}/robots.txt", headers={"User-Agent": user_agent})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - http(s) only, checked by validate_entry
            return resp.read(512_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            return None
        if exc.code in (401, 403):
            return "User-agent: *\nDisallow: /\n"  # robots.txt itself forbidden: treat as full disallow
        raise


@sources.command("add")
@click.argument("spec")
@click.option("--base-url", metavar="URL", help="Override the API host (a mirror, a local test server).")
@click.option("--no-robots-check", is_flag=True, help="Do not read the site's robots.txt now (the crawl still obeys it).")
@pass_app
def sources_add(app: AppContext, spec: str, base_url: str | None, no_robots_check: bool) -> None:
    """Add a source: KIND:VALUE, KIND:name=value,..., or a URL.

    Sites that forbid automated access (LinkedIn, Indeed, Glassdoor, ...) are
    refused with the reason; a career-site URL whose robots.txt disallows us too.

    \b
    Examples:
      sourcing sources add greenhouse:acme
      sourcing sources add https://jobs.lever.co/acme
      sourcing sources add github:location=Lyon,language=python
      sourcing sources add https://acme.example/careers
    """
    from sourcing.config_edit import append_source
    from sourcing.errors import UsageError
    from sourcing.sources import check_robots, parse_spec, source_key, validate_entry

    entry = parse_spec(spec)
    if base_url:
        entry["base_url"] = base_url
    validate_entry(entry, spec)
    key = source_key(entry)
    cfg = app.config
    if any(source_key(e) == key for e in cfg.sources):
        raise UsageError(f"{key}: already configured in {cfg.path}", "Duplicate source")
    if entry["kind"] == "careers" and not no_robots_check:
        from urllib.parse import urlsplit, urlunsplit

        contact = cfg.get("crawl.contact")  # the User-Agent the crawl sends (spiders/settings.py), so robots.txt reads alike
        ua = f"{cfg.get('crawl.user_agent')} ({'contact: ' + contact if contact else 'contact not configured'})"
        target = entry["url"]
        if entry.get("base_url"):  # the crawl will fetch the URL's path from this host
            base, page = urlsplit(entry["base_url"]), urlsplit(entry["url"])
            target = urlunsplit((base.scheme, base.netloc, page.path or "/", page.query, ""))
        try:
            robots = _fetch_robots(target, ua)
        except OSError as exc:
            click.echo(f"Warning: could not read robots.txt of {target} ({exc}); the crawl will check it.", err=True)
        else:
            check_robots(robots, target, ua)
    append_source(cfg.path, entry)
    click.echo(key)
    click.echo(f"Added {key} to {cfg.path}", err=True)


@sources.command("list")
@click.option("--kinds", is_flag=True, help="List the source kinds we can read, and the refused sites with reasons.")
@click.option("--quality", is_flag=True,
              help="Per source, how many postings of its last finished crawl had a date, salary, location, description…")
@format_options
@pass_app
def sources_list(app: AppContext, kinds: bool, fmt: str, quality: bool = False) -> None:
    """List configured sources with their crawl history (or, with --kinds, every kind and the refusal list).

    Fields: key, kind, yields, base_url, history (a sparkline of the items stored each
    of the last 14 nights), error_history (the same for errors), last_status;
    --json/--csv/--nl add items_per_night and errors_per_night (14 numbers, oldest
    night first).

    With --kinds the fields are kind, status ("readable" or "refused"), yields,
    reads, terms and reason (why a refused site is never crawled).

    \b
    Examples:
      sourcing sources list
      sourcing sources list --json
      sourcing sources list --kinds
      sourcing sources list --quality

    With --quality each configured source also gets the fill counts of its last
    finished crawl: postings, then posted_at (date), salary, location,
    description, workplace, company and url, each the number of postings that
    had it. A board that stopped giving dates shows date 0 at once.
    """
    from sourcing.crawl_history import sparkline
    from sourcing.sources import REFUSED, REGISTRY, source_key

    if kinds:
        rows = [{"kind": k.kind, "status": "readable", "yields": k.yields, "reads": k.reads, "terms": k.terms, "reason": ""}
                for k in REGISTRY.values()]
        refused = [{"kind": name, "status": "refused", "yields": "", "reads": "", "terms": "", "reason": reason}
                   for name, _pattern, reason in REFUSED]
        if fmt != "table":
            emit(rows + refused, KIND_FIELDS, fmt)
            return
        click.echo(f"{'KIND':<16} {'YIELDS':<9} READS")
        for k in rows:
            click.echo(f"{k['kind']:<16} {k['yields']:<9} {k['reads']}")
            click.echo(f"{'':<16} {'':<9} terms: {k['terms']}")
        click.echo("")
        click.echo("REFUSED (never crawled):")
        for r in refused:
            click.echo(f"  {r['kind']:<14} {r['reason']}")
        return
    history = _history(app) if app.config.sources else {}
    rows = []
    for e in app.config.sources:
        kind = REGISTRY.get(str(e.get("kind")))
        key = source_key(e)
        h = history.get(key)
        rows.append({"key": key, "kind": e.get("kind", "?"), "yields": kind.yields if kind else "?",
                     "base_url": e.get("base_url", ""), "history": sparkline(h.items) if h else "",
                     "last_status": h.last_status if h else None, "items_per_night": h.items if h else [],
                     "errors_per_night": h.errors if h else [],
                     "error_history": sparkline(h.errors) if h else ""})
    if quality:
        _quality(app, rows, fmt)
        return
    fields = SOURCE_FIELDS if fmt != "table" else TABLE_SOURCE_FIELDS
    emit(rows, fields, fmt, empty_hint="No sources configured. Add one with `sourcing sources add greenhouse:acme`.")


def _history(app: AppContext) -> dict:
    """Each source's last NIGHTS nights of crawls; nothing when there is no database yet (none is created)."""
    from pathlib import Path

    from sourcing.crawl_history import crawl_history

    url = app.config.db_url
    if "://" not in url and not Path(url).expanduser().exists():
        return {}
    return crawl_history(app.store.list_crawl_runs(limit=50 * NIGHTS * max(1, len(app.config.sources))), nights=NIGHTS)


def _quality(app: AppContext, rows: list[dict[str, Any]], fmt: str) -> None:
    """`sources list --quality`: each source's last finished crawl and its per-field fill counts."""
    from sourcing.fillcounts import FIELDS

    last: dict[str, dict[str, Any]] = {}
    for run in app.store.list_crawl_runs(limit=10000):  # newest first: the first finished run per key wins
        if run.get("finished_at") is not None and run.get("source_key") and run["source_key"] not in last:
            last[run["source_key"]] = run
    out = []
    for r in rows:
        run = last.get(r["key"]) or {}
        counts = run.get("field_counts") or {}
        out.append({"key": r["key"], "kind": r["kind"], "last_crawl": str(run.get("finished_at") or "")[:19],
                    "status": run.get("status") or "", "postings": counts.get("postings", ""),
                    **{f: counts.get(f, "") for f in FIELDS}})
    fields = ["key", "kind", "last_crawl", "status", "postings", *FIELDS]
    if fmt != "table":
        emit(out, fields, fmt)
        return
    if not out:
        click.echo("No sources configured. Add one with `sourcing sources add greenhouse:acme`.", err=True)
        return
    width = max(len("SOURCE"), *(len(o["key"]) for o in out))
    heads = ["POSTS", "DATE", "SALARY", "LOCATION", "DESCR", "WORKPLACE", "COMPANY", "URL"]
    click.echo(f"{'SOURCE':<{width}}  {'STATUS':<8} " + " ".join(f"{h:>9}" for h in heads))
    for o in out:
        cells = [o["postings"], *(o[f] for f in FIELDS)]
        status = o["status"] or "never"
        click.echo(f"{o['key']:<{width}}  {status:<8} " + " ".join(f"{c!s:>9}" for c in cells))


@sources.command("remove")
@click.argument("key")
@pass_app
def sources_remove(app: AppContext, key: str) -> None:
    """Remove the configured source KEY (as shown by `sourcing sources list`).

    \b
    Example:
      sourcing sources remove greenhouse:acme
    """
    from sourcing.config_edit import remove_sources
    from sourcing.errors import NotFoundError
    from sourcing.sources import source_key

    removed = remove_sources(app.config.path, lambda e: "kind" in e and source_key(e) == key)
    if not removed:
        raise NotFoundError(f"{key}: no such source in {app.config.path}. See `sourcing sources list`.", "Unknown source")
    click.echo(f"Removed {key} ({removed} entr{'y' if removed == 1 else 'ies'})", err=True)


def register(cli: click.Group) -> None:
    """Add the `sources` command group to the CLI."""
    cli.add_command(sources)
