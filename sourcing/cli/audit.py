"""Provides `sourcing audit export` (the deployer's AI Act records)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sourcing.cli.context import AppContext, pass_app


@click.group()
def audit() -> None:
    """Records for the deployer (AI Act Art. 12/26): ranking runs and the audit log."""


@audit.command("export")
@click.option("--since", required=True, help="Oldest date to include, e.g. 2026-01-01 (UTC).")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@pass_app
def audit_export(app: AppContext, since: str, fmt: str, output: Path | None) -> None:
    """Export every ranking run and audit row since a date, one JSON object per line.

    Ranking runs say when, who, job, model and version, fusion version, pool size,
    retrieved K, blind, ordering (score or neutral) and the top list shown. Ids only.

    \b
    Example:
      sourcing audit export --since 2026-01-01 --format jsonl -o records-2026.jsonl
    """
    from sourcing.audit import parse_since, write_jsonl

    when = parse_since(since)
    if output is None:
        n = write_jsonl(app.store, sys.stdout, when)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            n = write_jsonl(app.store, fh, when)
    click.echo(f"{n} records since {when.date().isoformat()}" + (f" → {output}" if output else ""), err=True)


def register(cli: click.Group) -> None:
    cli.add_command(audit)
