"""Provides `sourcing init`, `sourcing config` and `sourcing forget`."""

from __future__ import annotations

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, format_options

CONFIG_FIELDS = ("key", "value", "origin")


@click.command()
@click.option("--contact", default="", help="Your e-mail or URL, sent in the crawler's User-Agent.")
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
@pass_app
def init(app: AppContext, contact: str, force: bool) -> None:
    """Create the config file and the database.

    Writes a commented starter config listing every setting (to --config or the
    user config dir) and creates/migrates the database.

    \b
    Example:
      sourcing init --contact recruiting@acme.example
    """
    from pathlib import Path

    from sourcing.config import default_config_path, starter_config

    path = Path(app.config_path) if app.config_path else default_config_path()
    if path.exists() and not force:
        click.echo(f"Config exists: {path} (use --force to overwrite)", err=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_config(contact), encoding="utf-8")
        click.echo(f"Wrote config: {path}", err=True)
    app.config_path = str(path)
    store = app.store
    click.echo(f"Database ready: {store.url}", err=True)


@click.group("config")
def config_group() -> None:
    """Show the resolved settings and where each comes from."""


@config_group.command("show")
@format_options
@pass_app
def config_show(app: AppContext, fmt: str) -> None:
    """Print every setting with its value and origin (default, file, env, flag).

    The default output is TOML-like (`key = value    # origin`); --json, --csv and
    --nl give one record per setting with the fields key, value, origin.

    \b
    Examples:
      SOURCING_RANKING__TOP=50 sourcing config show
      sourcing config show --json | jq '.[] | select(.origin != "default")'
    """
    cfg = app.config
    if fmt != "table":
        emit([{"key": k, "value": v, "origin": cfg.origins[k]} for k, v in cfg.values.items()], CONFIG_FIELDS, fmt)
        return
    click.echo(f"# config file: {cfg.path}{'' if cfg.path.exists() else ' (missing: defaults in use)'}")
    for key, value in cfg.values.items():
        click.echo(f"{key} = {value!r}    # {cfg.origins[key]}")
    click.echo(f"# sources: {len(cfg.sources)}")


@click.command()
@click.argument("candidate_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def forget(app: AppContext, candidate_id: int, yes: bool) -> None:
    """Erase a person everywhere (right to erasure).

    Removes their profiles, identity keys, embeddings, rankings, decisions and notes,
    adds their source ids/URLs to the do-not-collect list (as hashes, nothing else),
    and leaves only an audit entry saying that an erasure happened.

    \b
    Example:
      sourcing forget 42 --yes
    """
    store = app.store
    person = store.get_candidate(candidate_id)
    label = person["name"] or person["pseudonym"]
    if not yes:
        click.confirm(f"Erase candidate {candidate_id} ({label}) everywhere? This cannot be undone", abort=True, err=True)
    counts = store.forget_candidate(candidate_id, actor=app.config.actor)
    detail = ", ".join(f"{v} {k}" for k, v in counts.items())
    click.echo(f"Erased candidate {candidate_id}: {detail}.")


def register(cli: click.Group) -> None:
    cli.add_command(init)
    cli.add_command(config_group)
    cli.add_command(forget)
