"""Provides the `sourcing` command line: the composition root of every layer.

Data goes to stdout, diagnostics to stderr. Expected failures (`SourcingError`)
print one line and exit with their `ExitStatus`; `--debug` shows the traceback.
Heavy layers (ranking, spiders, tui) are imported inside command functions only,
so `sourcing --help` stays fast.

Each command family lives in a submodule listed in `COMMAND_MODULES`, exposing
`register(cli: click.Group) -> None`.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.errors import ExitStatus, SourcingError
from sourcing.stopping import EXIT_TERMINATED, Terminated

COMMAND_MODULES = (
    "sourcing.cli.setup",
    "sourcing.cli.jobs",
    "sourcing.cli.candidates",
    "sourcing.cli.export",
    "sourcing.cli.nightly",
    "sourcing.cli.rank",
    "sourcing.cli.review",
    "sourcing.cli.demo",
    "sourcing.cli.brand",
    "sourcing.cli.sources",
    "sourcing.cli.crawl",
    "sourcing.cli.completion",
    "sourcing.cli.notices",
    "sourcing.cli.audit",
    "sourcing.cli.fairness",
    "sourcing.cli.scrapyd",
)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SOURCING_CONFIG", help="Config file (default: user config dir).")
@click.option("--db", "db", metavar="PATH|URL", help="Database file or SQLAlchemy URL (overrides SOURCING_DB and the config).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars (they are off anyway when stderr is not a terminal).")
@click.version_option(package_name="sourcing")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, db: str | None, debug: bool, quiet: bool) -> None:
    """Find, rank and review candidates from permitted public sources.

    \b
    Quick start:
      sourcing init --contact you@example.com
      sourcing jobs add --title "Backend engineer" --file jd.txt
      sourcing candidates import resumes/*.json
      sourcing rank 1
      sourcing review
    """
    ctx.obj = AppContext(config_path=config_path, db=db, debug=debug, quiet=quiet)
    ctx.call_on_close(ctx.obj.close)


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI and map errors to exit codes.

    With `standalone_mode=False` Click *returns* the code a command gives to
    `ctx.exit(code)` (nightly's 3 on a partial run) instead of exiting with it, so
    it is passed on to `sys.exit` here: cron and systemd see it.
    """
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    # Third-party progress lines (huggingface_hub's and transformers' tqdm "Loading weights")
    # would mix with ours and land in cron mail; read at their import, so set first.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        rc = cli.main(args=argv, prog_name="sourcing", standalone_mode=False)
    except SourcingError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc.msg}", err=True)
        sys.exit(int(exc.exit_status))
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(int(ExitStatus.USAGE) if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Terminated:
        click.echo("Stopped by SIGTERM: crawls stopped and recorded as interrupted (continue with --resume).", err=True)
        sys.exit(EXIT_TERMINATED)
    except Exception as exc:
        msg = _database_error(exc)
        if msg is None or debug:
            raise
        click.echo(f"Error: {msg}", err=True)
        sys.exit(int(ExitStatus.STORE))

    if isinstance(rc, int) and not isinstance(rc, bool) and rc:
        sys.exit(rc)


def _database_error(exc: BaseException) -> str | None:
    """One line for a database failure the store did not map (read-only file, disk full, locked), else None."""
    if not type(exc).__module__.startswith("sqlalchemy"):
        return None
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    detail = str(exc.orig)
    if "readonly" in detail or "read-only" in detail:
        return (f"the database cannot be written ({detail}): check the file's permissions (and `lsattr` for the "
                "immutable flag), or use another --db. Nothing was changed.")
    if "locked" in detail or "busy" in detail:
        return f"the database stayed busy for 30 s ({detail}): another process is writing; try again. Nothing was changed."
    return f"database error ({type(exc.orig).__name__}: {detail}). Nothing was changed."


__all__ = ["cli", "main", "AppContext", "pass_app"]
