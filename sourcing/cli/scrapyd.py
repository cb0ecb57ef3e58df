"""Provides `sourcing scrapyd deploy`: the spiders egg uploaded to the `crawl.scrapyd` nodes."""

from __future__ import annotations

import click

from sourcing.cli.context import AppContext, pass_app


@click.group()
def scrapyd() -> None:
    """scrapyd nodes that run the crawls (`[crawl] scrapyd = [...]`, see docs/deploy.md)."""


def _nodes(app: AppContext) -> list:
    from sourcing.errors import UsageError
    from sourcing.scrapyd import nodes_from

    nodes = nodes_from(list(app.config.get("crawl.scrapyd") or []))
    if not nodes:
        raise UsageError("crawl.scrapyd is empty: set it, e.g. `sourcing config set crawl.scrapyd '[\"http://host:6800\"]'`",
                         "No scrapyd nodes")
    return nodes


@scrapyd.command("deploy")
@click.option("--version", "version", default=None, help="Egg version (default: the UTC time, so the newest wins).")
@pass_app
def scrapyd_deploy(app: AppContext, version: str | None) -> None:
    """Build the `spiders` egg and upload it to every scrapyd node (`addversion.json`).

    Each node needs `sourcing[postgres,scrapyd]` installed at this version (the egg holds
    only the spiders) and the store's password in its environment (docs/deploy.md).

    \b
    Example:
      sourcing scrapyd deploy
    """
    from sourcing.errors import CrawlError
    from sourcing.scrapyd import NodeDown
    from sourcing.scrapyd_deploy import build_egg, default_version, deploy

    version = version or default_version()
    egg = build_egg(version)
    failed = []
    for node in _nodes(app):
        try:
            answer = deploy(node, egg, version)
        except (NodeDown, CrawlError) as exc:
            click.echo(f"{node.url}: not deployed: {exc}", err=True)
            failed.append(node.url)
            continue
        click.echo(f"{node.url}: {answer.get('project')} {version}, {answer.get('spiders')} spiders")
    if failed:
        raise CrawlError(f"not deployed on {', '.join(failed)}", "Deploy failed")


def register(cli: click.Group) -> None:
    """Add the `scrapyd` command group to the CLI."""
    cli.add_command(scrapyd)
