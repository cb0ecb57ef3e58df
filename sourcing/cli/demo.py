"""Provides `sourcing demo`: crawl, rank and review a bundled fictional company, offline."""

from __future__ import annotations

from pathlib import Path

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.errors import PartialFailure


@click.command("demo")
@click.option("--no-tui", "no_tui", is_flag=True, help="Print the top of each shortlist instead of opening the review app.")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 100), help="Candidates printed per job with --no-tui.")
@click.option("--keep", is_flag=True, help="Keep the throwaway workspace (database, config, crawl logs).")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Use (and keep) this folder as the workspace instead of a temporary one.")
@pass_app
def demo(app: AppContext, no_tui: bool, top: int, keep: bool, workdir: Path | None) -> None:
    """Run the whole product offline on a fictional company: crawl → rank → review.

    Serves a bundled demo site on 127.0.0.1 (Greenhouse- and Lever-style boards, a
    career page with JSON-LD postings, a GitHub-style API and JSON Resume files of
    fictional people), crawls it with the real spiders into a throwaway database,
    ranks the candidates for each job with the packaged models, and opens the review
    app on the first job. Your own config and database are not touched, unless you
    name a store with --db or SOURCING_DB (e.g. a PostgreSQL URL): then the demo fills
    that one (and leaves it in place). Exit status 3 when some of the demo's crawls
    failed (each is listed) and the demo ran on the others.

    \b
    Examples:
      sourcing demo
      sourcing demo --no-tui --top 3
      sourcing --db postgresql+psycopg://sourcing@db.internal/demo demo
    """
    import os

    from sourcing.demo import run_demo  # deferred: the demo pulls in ranking and the UI

    # --db or SOURCING_DB only: the demo never uses the `db` of your config file.
    db = app.db or os.environ.get("SOURCING_DB") or None
    result = run_demo(tui=not no_tui, top=top, workdir=workdir, keep=keep, db=db,
                      echo=lambda line: click.echo(line, err=True), out=click.echo)
    failed = [o.source_key for o in result.crawls if o.status != "ok"]
    if failed:  # some demo crawls failed, the rest were ranked and shown: exit 3, as `crawl` does
        raise PartialFailure(f"not ok: {', '.join(failed)}; the demo ran on the other sources", "Some demo crawls failed")


def register(cli: click.Group) -> None:
    """Add `demo` to the CLI."""
    cli.add_command(demo)
