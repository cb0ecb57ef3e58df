"""Provides `sourcing candidates import|list|show`."""

from __future__ import annotations

from typing import Any

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, emit_record, format_options
from sourcing.errors import PartialFailure, SourcingError, UsageError
from sourcing.textsafe import for_terminal


@click.group()
def candidates() -> None:
    """People: import résumés, list them, show one with where each fact came from."""


@candidates.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--max-mb", type=float, default=None, help="Refuse files bigger than this (default: setting import.max_file_mb, 10).")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@pass_app
def candidates_import(app: AppContext, paths: tuple[str, ...], max_mb: float | None, quiet: bool) -> None:
    """Import résumés: JSON Resume, CSV, text/Markdown, PDF and DOCX (directories are searched).

    On a terminal a bar counts the files with the time remaining (not with -q).
    Each record prints `STATUS<TAB>CANDIDATE_ID<TAB>WHERE` (status new, updated,
    unchanged or skipped); each failure prints `WHERE: REASON` on stderr and the rest
    of the batch goes on. The same person is merged by e-mail, profile URL or source
    id, so importing again adds nobody. Exit status 3 when some files failed, 1 when
    every one failed.

    \b
    Examples:
      sourcing candidates import resumes/
      sourcing candidates import team.csv ada.pdf grace.docx richard.json
    """
    from sourcing.importers import expand_paths, import_paths, max_bytes_from_config

    if max_mb is not None and max_mb <= 0:
        raise UsageError("--max-mb must be a positive number of megabytes")
    max_bytes = int(max_mb * 1024 * 1024) if max_mb is not None else max_bytes_from_config(app.config)
    files = expand_paths(paths)
    if not files:
        raise UsageError(f"no importable files in {', '.join(paths)} (.json, .csv, .tsv, .txt, .md, .pdf, .docx)")

    from sourcing.cli.progress import Bars, progress_wanted

    bars = Bars(progress_wanted(quiet or app.quiet) and len(files) > 1, unit="files", eta=True)
    names = [str(f) for f in files]
    at = [0]  # index of the file being read: outcomes come file by file, in order

    def show(outcome: Any) -> None:
        while at[0] + 1 < len(names) and not outcome.where.startswith(names[at[0]]):
            at[0] += 1
        bars.update("files", completed=at[0], description="Importing")
        if outcome.status in ("failed", "skipped"):
            line = f"{outcome.where}: {'skipped, ' if outcome.status == 'skipped' else ''}{outcome.reason}"
            if bars.enabled:
                bars.log(line)  # above the bar, on stderr
            else:
                click.echo(line, err=True)
        elif not quiet:
            click.echo(f"{outcome.status}\t{outcome.candidate_id}\t{outcome.where}")

    bars.add("files", "Importing", total=len(files))
    with bars:
        report = import_paths(app.store, files, on_result=show, max_bytes=max_bytes)
        bars.update("files", completed=len(files))
    click.echo(report.summary(), err=True)
    if report.failed and report.failed == len(report.outcomes):
        raise SourcingError(f"nothing was imported: {report.failed} import{'s' if report.failed != 1 else ''} failed (listed above)", "Import failed")
    if report.failed:
        raise PartialFailure(f"{report.failed} import{'s' if report.failed != 1 else ''} failed (listed above); the rest were imported", "Some imports failed")


CANDIDATE_FIELDS = ("id", "name", "headline", "location", "updated_at")
CANDIDATE_SHOW_FIELDS = ("id", "name", "pseudonym", "email", "headline", "location", "created_at", "updated_at",
                         "last_activity_at", "profiles")


@candidates.command("list")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many (most recent first).")
@click.option("--blind/--no-blind", default=None, help="Show pseudonyms instead of names (default: setting privacy.blind).")
@format_options
@pass_app
def candidates_list(app: AppContext, limit: int | None, blind: bool | None, fmt: str) -> None:
    """List candidates: id, name, headline, location, updated_at.

    In blind mode `name` holds the pseudonym.

    \b
    Examples:
      sourcing candidates list --limit 20
      sourcing candidates list --json > people.json
    """
    blind = app.config.get("privacy.blind") if blind is None else blind
    rows = [{**r, "name": r.get("pseudonym") if blind else (r.get("name") or r.get("pseudonym"))}
            for r in app.store.list_candidates(limit=limit)]
    emit(rows, CANDIDATE_FIELDS, fmt,
         empty_hint="No candidates yet. Import résumés with `sourcing candidates import PATH` or crawl a source.")


@candidates.command("show")
@click.argument("candidate_id", type=int)
@click.option("--text", "full_text", is_flag=True, help="Also print each source's full free text.")
@format_options(json_help="Print the candidate as one JSON object.")
@pass_app
def candidates_show(app: AppContext, candidate_id: int, full_text: bool, fmt: str) -> None:
    """Show one candidate and, for each source, its URL and when it was fetched.

    With --json/--nl, `profiles` is the list of source profiles with every field
    (url, fetched_at, skills, …); with --csv it is left out.

    \b
    Examples:
      sourcing candidates show 42
      sourcing candidates show 42 --json
    """
    c = app.store.get_candidate(candidate_id)
    fields = CANDIDATE_SHOW_FIELDS if fmt != "csv" else CANDIDATE_SHOW_FIELDS[:-1]
    if emit_record(c, fmt, fields=fields):
        return

    def echo(line: str) -> None:
        click.echo(for_terminal(line))  # stored text never reaches the terminal as control codes

    echo(f"#{c['id']} {c.get('name') or c.get('pseudonym')}")
    for label, key in (("Pseudonym", "pseudonym"), ("E-mail", "email"), ("Headline", "headline"),
                       ("Location", "location"), ("First seen", "created_at"), ("Updated", "updated_at")):
        if c.get(key):
            echo(f"{label}: {_date(c[key])}")
    profiles = c.get("profiles") or []
    echo(f"\nSources ({len(profiles)}):")
    for p in profiles:
        echo(f"- {p.get('source_key') or p.get('source_kind')}  id {p.get('external_id')}  fetched {_date(p.get('fetched_at'))}")
        if p.get("url"):
            echo(f"  url: {p['url']}")
        for label, key in (("name", "name"), ("headline", "headline"), ("location", "location"), ("github", "github_login")):
            if p.get(key):
                echo(f"  {label}: {p[key]}")
        for label, key in (("skills", "skills"), ("titles", "titles"), ("languages", "languages"), ("links", "extra_urls")):
            if p.get(key):
                echo(f"  {label}: {', '.join(map(str, p[key]))}")
        if p.get("summary"):
            echo(f"  summary: {_clip(p['summary'], 300)}")
        if p.get("text"):
            echo(f"  text: {p['text'] if full_text else _clip(p['text'], 300)}")


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if hasattr(value, "strftime") else str(value or "")


def register(cli: click.Group) -> None:
    cli.add_command(candidates)
