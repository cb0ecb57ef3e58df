"""Provides `sourcing fairness import|report` (impact ratios, NYC LL144 method, self-reported data only)."""

from __future__ import annotations

import json

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, format_options
from sourcing.errors import PartialFailure, UsageError

BAR_WIDTH = 10
CSV_FIELDS = ("category", "group", "n", "share", "above_median", "scoring_rate", "scoring_impact",
              "selected", "selection_rate", "selection_impact", "excludable")


@click.group()
def fairness() -> None:
    """Impact ratios from voluntary self-reported categories (NYC Local Law 144 method).

    Self-reports are stored apart from profiles, never shown in the review app, never
    used by the ranker, and erased by `forget`. Nothing is inferred from names or photos.
    """


@fairness.command("import")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@pass_app
def fairness_import(app: AppContext, path: str) -> None:
    """Import self-reported categories: a CSV with candidate_id (or email), sex, race_ethnicity.

    Empty, "unknown" or "prefer not to say" cells are stored as unknown. A row naming
    nobody in the store is reported (by line, without its value) and the rest go on.

    \b
    Example:
      sourcing fairness import self-reports.csv
    """
    from sourcing.fairness import import_csv

    rep = import_csv(app.store, path)
    for err in rep.errors:
        click.echo(err, err=True)
    click.echo(f"{rep.new} new, {rep.updated} updated, {len(rep.errors)} not matched", err=True)
    if rep.errors:
        raise PartialFailure(f"{len(rep.errors)} rows matched no candidate (listed above); the rest were imported")


def _bar(rate: float) -> str:
    full = round(max(0.0, min(1.0, rate)) * BAR_WIDTH * 8)
    return ("█" * (full // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[full % 8]).ljust(BAR_WIDTH)


def _ratio(value: float | None, excludable: bool) -> str:
    if value is None:
        return "   —  "
    flag = " excl" if excludable else (" ⚠" if value < 0.8 else "")
    return f"{value:5.2f}{flag}"


def _table(rep) -> str:
    head = f"{'category':<15} {'group':<28} {'n':>5} {'share':>6}  {'scoring rate':<17} {'impact':<8}  {'selection rate':<17} {'impact':<8}"
    lines = [head, "-" * len(head)]
    for g in rep.groups:
        lines.append(
            f"{g.category:<15} {g.group[:28]:<28} {g.n:>5} {g.share:>6.1%}  {g.scoring_rate:5.3f} {_bar(g.scoring_rate)} "
            f"{_ratio(g.scoring_impact, g.excludable):<8}  {g.selection_rate:5.3f} {_bar(g.selection_rate)} "
            f"{_ratio(g.selection_impact, g.excludable):<8}")
    return "\n".join(lines)


@fairness.command("report")
@click.argument("job_id", type=int, required=False)
@click.option("--all", "all_jobs", is_flag=True, help="Every ranked job together (each job/person pair counts once).")
@format_options
@pass_app
def fairness_report(app: AppContext, job_id: int | None, all_jobs: bool, fmt: str) -> None:
    """Scoring and selection rates and impact ratios per sex, race/ethnicity and their intersection.

    Scoring rate: share of the group scoring above the pool's median (per job).
    Selection rate: share shortlisted or contacted. Impact ratio: rate / highest
    rate among known groups of at least 2 % (smaller groups are flagged "excl").
    A ratio under 0.8 is warned about (four-fifths rule); "unknown" is counted.
    --json prints the whole report (medians, groups, warnings); --csv and --nl one
    record per group.

    \b
    Examples:
      sourcing fairness report 3
      sourcing fairness report --all --csv > impact-ratios.csv
    """
    from sourcing.fairness import report

    if (job_id is None) == (not all_jobs):
        raise UsageError("give a JOB id or --all (not both)")
    rep = report(app.store, None if all_jobs else job_id)
    if fmt == "json":
        click.echo(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False))
    elif fmt in ("csv", "nl"):  # formula-safe CSV cells: the labels are what people typed
        emit([g.__dict__ for g in rep.groups], CSV_FIELDS, fmt)
    else:
        scope = "every ranked job" if all_jobs else f"job {job_id}"
        medians = ", ".join(f"{v:.3f}" for v in rep.medians.values())
        click.echo(f"Impact ratios for {scope}: {rep.observations} ranked, median score {medians}")
        click.echo(_table(rep))
    for w in rep.warnings:
        click.echo(f"warning: {w}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(fairness)
