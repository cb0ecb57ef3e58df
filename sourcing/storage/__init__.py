"""Provides the store: the only place that runs SQL (SQLAlchemy 2 Core over SQLite by default).

See docs/STORE_API.md for the contract. `Store.open(path_or_url)` creates and
migrates the database; area-specific queries live in sibling modules as free
functions taking the store (e.g. `sourcing.storage.brand`).
"""

from sourcing.storage.store import Store

__all__ = ["Store"]
