"""Provides `sourcing nightly`, `sourcing schedule install|show|remove` and `sourcing purge`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, emit_record, format_options

SCHEDULE_FIELDS = ("method", "at", "next_run", "command", "timer", "files")
PURGE_FIELDS = ("candidate_id", "reason", "last_activity_at", "action")


@click.command("nightly")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of Markdown.")
@click.option("--reports-dir", type=click.Path(file_okay=False, path_type=Path), help="Write reports here (default: nightly.reports_dir).")
@click.option("--lock-file", type=click.Path(dir_okay=False, path_type=Path), help="Lock file (default: <user state dir>/nightly.lock); a PostgreSQL store uses an advisory lock in the database instead.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), help="Log file (default: <user state dir>/nightly.log).")
@click.option("--last", "show_last", is_flag=True, help="Print the last finished run's report; run nothing.")
@pass_app
@click.pass_context
def nightly(ctx: click.Context, app: AppContext, as_json: bool, reports_dir: Path | None, lock_file: Path | None,
            log_file: Path | None, show_last: bool) -> None:
    """Crawl every source, embed what changed, re-rank open jobs, purge, and report.

    Exit status: 0 all went well, 3 something failed but the rest ran (see the
    report's Failures), 1 every source failed or the run could not go on,
    7 another nightly run is in progress. The report is printed and written as
    JSON and Markdown to the reports folder.

    \b
    Examples:
      sourcing nightly
      sourcing nightly --json > last-night.json
      sourcing nightly --last          # this morning's report again
    """
    from sourcing.nightly import run_nightly
    from sourcing.nightly_report import render_markdown

    if show_last:
        from sourcing.errors import NotFoundError
        from sourcing.storage.nightly import last_report

        report = last_report(app.store)
        if report is None:
            raise NotFoundError("no nightly run has finished yet. Run one with `sourcing nightly`.", "No report")
        click.echo(json.dumps(report, indent=2, default=str) if as_json else render_markdown(report))
        return

    from sourcing.cli.progress import Bars, progress_wanted

    bars = Bars(progress_wanted(app.quiet), unit="steps", rate=False)
    labels = {"crawl": "Crawling sources", "dedupe": "Merging duplicates", "embed": "Embedding new texts",
              "rank": "Re-ranking open jobs", "purge": "Purging past retention",
              "notices": "Sending information notices", "done": "Nightly run done"}

    def progress(step: str, done: int, total: int) -> None:
        bars.update("nightly", completed=done, total=total, description=labels.get(step, step))

    from sourcing.stopping import sigterm_raises

    # systemd's stop, `timeout`: children stopped, run recorded, lock released, exit 143
    with bars, sigterm_raises():
        result = run_nightly(app.config, store=app.store, lock_path=lock_file, reports_dir=reports_dir, log_path=log_file,
                             actor=f"nightly ({app.config.actor})", progress=progress)
    click.echo(json.dumps(result.report, indent=2, default=str) if as_json else render_markdown(result.report))
    if result.paths:
        click.echo(f"Report written to {result.paths[1]}", err=True)
    else:
        click.echo("The report could not be written to the reports folder (see Failures); it is stored in the "
                   "database: `sourcing nightly --last`.", err=True)
    ctx.exit(result.exit_code)


@click.group("schedule")
def schedule() -> None:
    """Run `sourcing nightly` every night (systemd user timer or crontab line)."""


_PATH = click.Path(file_okay=False, path_type=Path)


@schedule.command("install")
@click.option("--at", "at", default="02:30", show_default=True, help="Local time of day, HH:MM (24 h).")
@click.option("--systemd", "method", flag_value="systemd", help="Install a systemd user timer (default where systemd runs).")
@click.option("--cron", "method", flag_value="cron", help="Install a line in your crontab.")
@click.option("--unit-dir", type=_PATH, help="Write the systemd units here instead of ~/.config/systemd/user (no systemctl).")
@click.option("--crontab-file", type=click.Path(dir_okay=False, path_type=Path), help="Edit this file instead of your crontab.")
@click.option("--executable", help="The sourcing executable to run (default: the one running now).")
@click.option("--env-file", help="Optional KEY=value file read by each run, for secrets such as GITHUB_TOKEN "
              "(default: <user config dir>/env).")
@pass_app
def schedule_install(app: AppContext, at: str, method: str | None, unit_dir: Path | None, crontab_file: Path | None,
                     executable: str | None, env_file: str | None) -> None:
    """Install (or replace) the nightly schedule; running it twice is harmless.

    The scheduled command uses this config file and database, with HF_HUB_OFFLINE=1.

    \b
    Examples:
      sourcing schedule install --at 02:30
      sourcing schedule install --at 03:00 --cron
    """
    from sourcing import schedule as sched

    config_path = app.config_path and str(Path(app.config_path).resolve())
    if config_path is None and app.config.path.exists():
        config_path = str(app.config.path.resolve())
    db = app.db
    if db and "://" not in db:
        db = str(Path(db).expanduser().resolve())  # cron and systemd do not run from this directory
    spec = sched.ScheduleSpec(at=at, executable=executable or sched.default_executable(), config_path=config_path,
                              db=db, env_file=env_file)
    if method is None and (unit_dir or crontab_file):
        method = "systemd" if unit_dir else "cron"
    status = sched.install(spec, method=method, unit_dir=unit_dir, crontab_file=crontab_file)
    _print_status(status)


@schedule.command("show")
@click.option("--unit-dir", type=_PATH, help="Look for systemd units here instead of ~/.config/systemd/user.")
@click.option("--crontab-file", type=click.Path(dir_okay=False, path_type=Path), help="Read this file instead of your crontab.")
@format_options(json_help="Print the schedule as one JSON object.")
def schedule_show(unit_dir: Path | None, crontab_file: Path | None, fmt: str) -> None:
    """Print the installed schedule, its command and the next run time.

    Fields with --json/--csv/--nl: method (systemd, cron or null when none is
    installed), at, next_run (ISO 8601), command, timer, files.

    \b
    Examples:
      sourcing schedule show
      sourcing schedule show --json
    """
    from sourcing import schedule as sched

    status = sched.show(unit_dir=unit_dir, crontab_file=crontab_file)
    record = {"method": status.method, "at": status.at, "next_run": status.next_run, "command": status.command,
              "timer": status.active, "files": [str(p) for p in status.files]}
    if not emit_record(record, fmt, fields=SCHEDULE_FIELDS):
        _print_status(status)


@schedule.command("remove")
@click.option("--unit-dir", type=_PATH, help="Remove systemd units from here instead of ~/.config/systemd/user.")
@click.option("--crontab-file", type=click.Path(dir_okay=False, path_type=Path), help="Edit this file instead of your crontab.")
def schedule_remove(unit_dir: Path | None, crontab_file: Path | None) -> None:
    """Remove the nightly schedule (systemd units and/or crontab line).

    \b
    Example:
      sourcing schedule remove
    """
    from sourcing import schedule as sched

    removed = sched.remove(unit_dir=unit_dir, crontab_file=crontab_file)
    for line in removed:
        click.echo(f"removed {line}")
    if not removed:
        click.echo("no nightly schedule was installed", err=True)


def _print_status(status) -> None:
    if status.method is None:
        click.echo("No nightly schedule installed. Install one with `sourcing schedule install --at 02:30`.")
        return
    click.echo(f"method:   {status.method}")
    click.echo(f"at:       {status.at} every day (local time)")
    if status.next_run:
        click.echo(f"next run: {status.next_run:%Y-%m-%d %H:%M %Z}")
    click.echo(f"command:  {status.command}")
    if status.active:
        click.echo(f"timer:    {status.active}")
    for path in status.files:
        click.echo(f"file:     {path}")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list who would be erased; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object (counts, items, failures).")
@click.option("--csv", "fmt", flag_value="csv", help="Print one CSV row per candidate: candidate_id, reason, last_activity_at, action.")
@click.option("--nl", "fmt", flag_value="nl", help="Print one JSON object per candidate (same fields as --csv).")
@pass_app
def purge(app: AppContext, dry_run: bool, as_json: bool, fmt: str | None) -> None:
    """Erase candidates past retention ([privacy] rejected / pool days, CNIL guidance).

    Rejected candidates go privacy.rejected_retention_days (90) after the decision;
    anyone else privacy.pool_retention_days (730) after their last activity. Erased
    people are added to the do-not-collect list so crawls skip them. Ranking-run logs
    are removed after privacy.run_log_days (at least 183: the AI Act's six months).

    \b
    Examples:
      sourcing purge --dry-run
      sourcing purge
    """
    from sourcing.errors import PartialFailure
    from sourcing.privacy import purge as run_purge

    result = run_purge(app.store, app.config, actor=app.config.actor, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, default=str))
    elif fmt:
        action = "would erase" if dry_run else "erased"
        emit([{"candidate_id": i.candidate_id, "reason": i.reason, "last_activity_at": i.last_activity_at,
               "action": action} for i in result.items], PURGE_FIELDS, fmt)
    else:
        verb = "would erase" if dry_run else "erased"
        for item in result.items:
            click.echo(f"{verb} candidate {item.candidate_id}\t{item.reason}\tlast activity {item.last_activity_at[:10]}")
        counts = result.counts()
        done = len(result.items) if dry_run else result.erased
        click.echo(f"{done} {verb} ({counts['rejected']} rejected > {result.rejected_days} days, "
                   f"{counts['pool']} inactive > {result.pool_days} days)", err=True)
        click.echo(f"{result.runs_removed} ranking-run log{'s' if result.runs_removed != 1 else ''} "
                   f"{'would be ' if dry_run else ''}removed (older than {result.run_log_days} days)", err=True)
    if result.failures:
        raise PartialFailure(f"{len(result.failures)} candidates could not be erased: "
                             + "; ".join(f"{f['candidate_id']}: {f['reason']}" for f in result.failures))


def register(cli: click.Group) -> None:
    """Add `nightly`, `schedule` and `purge` to the CLI."""
    cli.add_command(nightly)
    cli.add_command(schedule)
    cli.add_command(purge)
