"""Provides the spiders' test fixtures: the local server, a private config, a crawl helper, stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from spiders_helpers import FAST, start_site


@pytest.fixture
def site() -> Any:
    """A real HTTP server on 127.0.0.1 (random port) serving `site.routes`."""
    s, server = start_site()
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the developer's config, database and token out of the tests."""
    cfg = tmp_path / "config.toml"
    cfg.write_text('[crawl]\ncontact = "tests@example.org"\n', encoding="utf-8")
    monkeypatch.setenv("SOURCING_CONFIG", str(cfg))
    for name in ("SOURCING_DB", "GITHUB_TOKEN", "SOURCING_CRAWL__JOBDIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cfg


@pytest.fixture
def db(db_url: str) -> str:
    """A fresh store for the crawl to write (a SQLite file; a Postgres schema on the Postgres pass)."""
    return db_url


@pytest.fixture
def crawl(tmp_path: Path, private_config: Path) -> Callable[..., Any]:
    """Run the real child-process crawl (`python -m scrapy crawl`) with fast, test-only politeness."""
    from sourcing.crawler import run_crawl

    def _crawl(entry: dict[str, Any], db_url: str, **kwargs: Any) -> Any:
        settings = {**FAST, **kwargs.pop("settings", {})}
        return run_crawl(entry, db_url=db_url, config_path=str(private_config), jobdir_root=str(tmp_path / "jobs"),
                         extra_settings=settings, timeout=kwargs.pop("timeout", 120), **kwargs)

    return _crawl


@pytest.fixture
def open_store() -> Any:
    """Open stores, closed at teardown."""
    from sourcing.storage import Store

    opened: list[Any] = []

    def _open(url: str) -> Any:
        store = Store.open(url)
        opened.append(store)
        return store

    yield _open
    for s in opened:
        s.close()
