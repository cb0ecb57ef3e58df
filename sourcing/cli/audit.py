"""Provides `sourcing audit export` (the deployer's AI Act records)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sourcing.cli.context import AppContext, pass_app


@click.group()
def audit() -> None:
    """Records for the deployer (AI Act Art. 12/26): ranking runs and the audit log."""


AUDIT_FIELDS = ("type", "id", "at", "actor", "action", "target", "details")


def _flat(rec: dict) -> dict:
    """One record in AUDIT_FIELDS (for the table and CSV): the rest of it as compact JSON in `details`."""
    if rec["type"] == "ranking_run":
        target = f"job {rec['job_id']}"
        rest = {k: v for k, v in rec.items() if k not in ("type", "id", "at", "actor", "job_id")}
        return {"type": "ranking_run", "id": rec["id"], "at": rec["at"], "actor": rec["actor"], "action": "rank",
                "target": target, "details": json.dumps(rest, ensure_ascii=False, sort_keys=True)}
    rest = {k: v for k, v in rec.items() if k in ("before", "after") and v is not None}
    return {"type": "audit", "id": rec["id"], "at": rec["at"], "actor": rec["actor"], "action": rec["action"],
            "target": f"{rec['target_type']} {rec['target_id']}", "details": json.dumps(rest, ensure_ascii=False, sort_keys=True)}


@audit.command("export")
@click.option("--since", required=True, help="Oldest date to include, e.g. 2026-01-01 (UTC).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "nl", "json", "csv", "table"]), default="jsonl", show_default=True,
              help="Output format: jsonl (= nl, one JSON object per line), json (one array), csv, table.")
@click.option("--json", "flag_fmt", flag_value="json", help="Same as --format json.")
@click.option("--csv", "flag_fmt", flag_value="csv", help="Same as --format csv (nested values as JSON in `details`).")
@click.option("--nl", "flag_fmt", flag_value="nl", help="Same as --format jsonl.")
@click.option("--table", "flag_fmt", flag_value="table", help="Same as --format table: a readable table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@pass_app
def audit_export(app: AppContext, since: str, fmt: str, flag_fmt: str | None, output: Path | None) -> None:
    """Export every ranking run and audit row since a date, one JSON object per line.

    Ranking runs say when, who, job, model and version, fusion version, pool size,
    retrieved K, blind, ordering (score or neutral) and the top list shown. Ids only.
    JSON, NDJSON: the whole records. Table and CSV: type, id, at, actor, action,
    target, details (the rest of the record as JSON).

    \b
    Examples:
      sourcing audit export --since 2026-01-01 --format jsonl -o records-2026.jsonl
      sourcing audit export --since 2026-06-01 --table
      sourcing audit export --since 2026-06-01 --csv > audit.csv
    """
    from sourcing.audit import parse_since, records
    from sourcing.cli.output import render
    from sourcing.textsafe import json_for_terminal

    when = parse_since(since)
    fmt = flag_fmt or ("nl" if fmt == "jsonl" else fmt)
    recs = list(records(app.store, when))
    if fmt == "nl":
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in recs)
    elif fmt == "json":
        text = json.dumps(recs, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    else:
        text = render([_flat(r) for r in recs], AUDIT_FIELDS, fmt, max_width=80) if recs or fmt == "csv" else ""
    if output is None:
        click.echo(json_for_terminal(text) if fmt in ("nl", "json") else text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    click.echo(f"{len(recs)} records since {when.date().isoformat()}" + (f" → {output}" if output else ""), err=True)


def register(cli: click.Group) -> None:
    cli.add_command(audit)
