"""Provides `sourcing export JOB`: the shortlist as CSV, XLSX or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.errors import UsageError


@click.command("export")
@click.argument("job_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"], case_sensitive=False), default=None,
              help="File format (default: from the --out suffix, else csv).")
@click.option("--status", "statuses", multiple=True,
              help="Only candidates with this decision: shortlisted, maybe, rejected, contacted, undecided (repeatable).")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True, path_type=str), default=None,
              help="Output file (default: standard output; required for xlsx on a terminal).")
@click.option("--blind/--no-blind", default=None, help="Pseudonyms instead of names, no e-mails or profile URLs (default: setting privacy.blind).")
@click.option("--columns", default=None, metavar="A,B,...",
              help="Columns in order (default: setting export.columns). Known: rank, score, name, headline, location, "
                   "email, status, note, matched, missing, sources, candidate_id.")
@pass_app
def export(app: AppContext, job_id: int, fmt: str | None, statuses: tuple[str, ...], out: str | None,
           blind: bool | None, columns: str | None) -> None:
    """Export a job's ranked candidates and decisions for a hiring manager.

    Text cells that a spreadsheet would run as a formula (starting with =, +, -, @,
    tab or CR) get a leading ' in CSV and XLSX. Files are created readable by you only.

    \b
    Examples:
      sourcing export 3 --format xlsx --status shortlisted --out shortlist.xlsx
      sourcing export 3 --format json --blind > shortlist.json
      sourcing export 3 --columns rank,name,email,note --out picks.csv
    """
    from sourcing.exports import shortlist_rows, write_export

    if fmt is None:
        suffix = Path(out).suffix.lower().lstrip(".") if out and out != "-" else ""
        fmt = suffix if suffix in ("csv", "xlsx", "json") else "csv"
    fmt = fmt.lower()
    if out and out != "-" and Path(out).suffix.lower() not in ("", f".{fmt}"):
        raise UsageError(f"--out {out} does not end in .{fmt}; rename it or pass --format {Path(out).suffix.lstrip('.')}")
    cols = columns if columns is not None else app.config.get("export.columns")
    blind = app.config.get("privacy.blind") if blind is None else blind
    from sourcing.oversight import ranking_enabled

    # Human oversight off (`[ranking] enabled = false`): neutral order, no rank or score.
    rows = shortlist_rows(app.store, job_id, status=list(statuses) or None, blind=blind, columns=cols,
                          ranked=ranking_enabled(app.config))
    written = write_export(rows, fmt, out, cols)
    if not rows:
        click.echo(f"No candidates to export for job {job_id} (rank it first: `sourcing rank {job_id}`); wrote the header only.", err=True)
    if written is not None:
        click.echo(f"Wrote {len(rows)} row{'s' if len(rows) != 1 else ''} to {written}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(export)
