"""Provides the scrapyd tests' fixtures: two scrapyd nodes with the spiders egg deployed, and a config naming them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scrapyd_helpers import ScrapydNode, node_env, wait_until

pytest.importorskip("scrapyd", reason="the [scrapyd] extra is not installed (make install installs it)")


@pytest.fixture
def node_config(tmp_path: Path) -> Path:
    """A node's own user config: a crawl on a node must never use it."""
    cfg = tmp_path / "node-config.toml"
    cfg.write_text('[crawl]\ncontact = "node-local@example.org"\nuser_agent = "node-local-agent"\n'
                   'download_delay = 30\n', encoding="utf-8")
    return cfg


@pytest.fixture
def nodes(tmp_path: Path, node_config: Path, db_url: str) -> Any:
    """Two scrapyd processes on 127.0.0.1 (different ports), up, with nothing deployed yet."""
    env = node_env(node_config, db_url)
    started = [ScrapydNode(tmp_path / "nodes", env), ScrapydNode(tmp_path / "nodes", env)]
    try:
        for n in started:
            wait_until(n.up, timeout=120, what=f"scrapyd on {n.url}")
        yield started
    finally:
        for n in started:
            n.stop()


@pytest.fixture
def scheduler_config(tmp_path: Path, nodes: list[ScrapydNode]) -> Path:
    """This machine's config: the nodes, and the politeness every job must carry."""
    cfg = tmp_path / "config.toml"
    urls = ", ".join(f'"{n.url}"' for n in nodes)
    cfg.write_text(f'[crawl]\ncontact = "tests@example.org"\nuser_agent = "scheduler-agent"\nscrapyd = [{urls}]\n',
                   encoding="utf-8")
    return cfg
