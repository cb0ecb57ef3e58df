"""Provides `sourcing review [JOB]`: the Textual review app on the configured store."""

from __future__ import annotations

from pathlib import Path

import click

from sourcing.cli.context import AppContext, pass_app


@click.command("review")
@click.argument("job_id", required=False, type=int, metavar="[JOB]")
@click.option("--blind/--no-blind", default=None, help="Start in blind mode (default: the privacy.blind setting).")
@click.option("--export-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder proposed by the export key (default: the current directory).")
@pass_app
def review(app: AppContext, job_id: int | None, blind: bool | None, export_dir: Path | None) -> None:
    """Review ranked candidates in the terminal: shortlist, reject, note, undo, export.

    Opens the jobs screen, or JOB's shortlist directly. Press ? on any screen for its
    keys; ctrl+p searches every action. Each decision is saved (with an audit entry
    and the score on screen) before the screen shows it.

    \b
    Examples:
      sourcing review
      sourcing review 3 --blind
    """
    from tui.app import make_app  # deferred: Textual loads only for this command

    store = app.store
    if job_id is not None:
        store.get_job(job_id)  # NotFoundError (exit 4) with a clear message before any UI starts
    make_app(app.config, store, job_id=job_id, blind=blind, export_dir=export_dir).run()


def register(cli: click.Group) -> None:
    """Add `review` to the CLI."""
    cli.add_command(review)
