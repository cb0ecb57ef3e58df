"""Provides the CLI's shared state: resolved config and a lazily opened store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sourcing.config import Config
    from sourcing.storage import Store


@dataclass
class AppContext:
    """What every command gets: `app.config` and `app.store` (opened on first use)."""

    config_path: str | None = None
    db: str | None = None
    debug: bool = False
    quiet: bool = False  # --quiet: no progress bars (they are off anyway when stderr is not a terminal)
    _config: Any = field(default=None, repr=False)
    _store: Any = field(default=None, repr=False)

    @property
    def config(self) -> "Config":
        if self._config is None:
            from sourcing.config import load_config

            self._config = load_config(self.config_path, db=self.db)
        return self._config

    @property
    def store(self) -> "Store":
        if self._store is None:
            from sourcing.storage import Store

            self._store = Store.open(self.config.db_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
