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

            _check_db_folder(self.config)
            self._store = Store.open(self.config.db_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _check_db_folder(config: "Config") -> None:
    """Create the default data folder; a configured database's folder must already exist.

    Raises:
        StoreError: the folder of a configured database file does not exist.
    """
    from pathlib import Path

    from sourcing.config import data_dir
    from sourcing.errors import StoreError

    configured = config.get("db")
    if not configured:
        data_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
        return
    raw = configured[len("sqlite:///"):] if configured.startswith("sqlite:///") else configured
    if "://" in raw or raw == ":memory:":
        return  # another database server, or in memory: nothing on disk to check
    folder = Path(raw).expanduser().resolve().parent
    if not folder.is_dir():
        origin = {"flag": "--db", "env": "SOURCING_DB"}.get(config.origins.get("db", ""), f"db in {config.path}")
        raise StoreError(f"{origin} = {configured}: the folder {folder} does not exist. Create it, or choose another database file.",
                         "No such folder")


pass_app = click.make_pass_decorator(AppContext)
