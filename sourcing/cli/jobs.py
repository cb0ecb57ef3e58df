"""Provides `sourcing jobs add|list|show|close`."""

from __future__ import annotations

import sys

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, emit_record, format_options
from sourcing.errors import UsageError
from sourcing.textsafe import terminal_tree


@click.group()
def jobs() -> None:
    """Job descriptions to rank candidates against (yours and crawled postings)."""


@jobs.command("add")
@click.option("--title", required=True, help="Job title.")
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False), help="Job description file (text or Markdown).")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the description from standard input.")
@click.option("--company", help="Company name.")
@click.option("--location", help="Location (city, country, or 'Remote').")
@click.option("--remote/--no-remote", default=None, help="Whether the job is remote.")
@pass_app
def jobs_add(app: AppContext, title: str, file_: str | None, from_stdin: bool, company: str | None,
             location: str | None, remote: bool | None) -> None:
    """Add a job description; prints its id.

    \b
    Examples:
      sourcing jobs add --title "Senior Django developer" --file jd.txt --company Acme --location Paris
      pbpaste | sourcing jobs add --title "Data engineer" --stdin
    """
    if bool(file_) == bool(from_stdin):
        raise UsageError("give the description with exactly one of --file PATH or --stdin")
    if file_:
        try:
            with open(file_, encoding="utf-8-sig") as fh:
                description = fh.read()
        except UnicodeDecodeError as exc:
            raise UsageError(f"{file_}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 and retry") from exc
    else:
        description = sys.stdin.read()
    if not description.strip():
        raise UsageError("the job description is empty")
    job_id = app.store.add_job(title, description, company=company, location=location, remote=remote, actor=app.config.actor)
    click.echo(job_id)


JOB_FIELDS = ("id", "title", "company", "location", "remote", "source", "status", "url", "first_seen")
JOB_SHOW_FIELDS = ("id", "title", "company", "location", "remote", "url", "source", "first_seen", "fetched_at", "status",
                   "salary_min", "salary_max", "salary_currency", "salary_period", "credit", "description")


def _job_record(j: dict) -> dict:
    return {**j, "source": j.get("source_key") or "typed in"}


@jobs.command("list")
@click.option("--all", "all_", is_flag=True, help="Include closed jobs.")
@click.option("--own/--market", "own", default=None, help="Only our jobs / only the market's postings.")
@format_options
@pass_app
def jobs_list(app: AppContext, all_: bool, own: bool | None, fmt: str) -> None:
    """List jobs: id, title, company, location, remote, source, status, url, first_seen.

    \b
    Examples:
      sourcing jobs list --own
      sourcing jobs list --all --csv > jobs.csv
      sourcing jobs list --nl | jq -r .title
    """
    rows = [_job_record(r) for r in app.store.list_jobs(open_only=not all_, own=own)]
    fields = JOB_FIELDS if fmt != "table" else tuple(f for f in JOB_FIELDS if f not in ("url", "remote"))
    emit(rows, fields, fmt, empty_hint="No jobs yet. Add one with `sourcing jobs add` or crawl a source.")


@jobs.command("show")
@click.argument("job_id", type=int)
@format_options(json_help="Print the job as one JSON object.")
@pass_app
def jobs_show(app: AppContext, job_id: int, fmt: str) -> None:
    """Show one job with its description and provenance.

    \b
    Examples:
      sourcing jobs show 3
      sourcing jobs show 3 --json | jq -r .description
    """
    j = app.store.get_job(job_id)
    if emit_record(_job_record(j), fmt, fields=JOB_SHOW_FIELDS):
        return
    j = terminal_tree(j)  # no stored control codes reach the terminal
    click.echo(f"#{j['id']} {j['title']}")
    for label, key in (("Company", "company"), ("Location", "location"), ("Remote", "remote"), ("URL", "url"),
                       ("Source", "source_key"), ("First seen", "first_seen"), ("Fetched", "fetched_at"), ("Status", "status")):
        if j.get(key) not in (None, ""):
            click.echo(f"{label}: {j[key]}")
    if j.get("salary_min") or j.get("salary_max"):
        click.echo(f"Salary: {j['salary_min'] or '?'}–{j['salary_max'] or '?'} {j['salary_currency'] or ''} {j['salary_period'] or ''}")
    if j.get("credit"):
        click.echo(f"Credit: {j['credit']}")
    click.echo("")
    click.echo(j["description"])


@jobs.command("close")
@click.argument("job_id", type=int)
@pass_app
def jobs_close(app: AppContext, job_id: int) -> None:
    """Close a job (it leaves the review app and nightly re-ranking).

    \b
    Example:
      sourcing jobs close 3
    """
    app.store.set_job_status(job_id, "closed", actor=app.config.actor)
    click.echo(f"Closed job {job_id}.")


def register(cli: click.Group) -> None:
    cli.add_command(jobs)
