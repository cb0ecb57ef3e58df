"""Provides edits of the config file that keep its comments and layout (tomlkit).

`sourcing sources add|remove` and the review app's theme choice change the file a
person wrote by hand: the edits go through tomlkit's document model, so
`[[sources]]  # our board`, `[[ sources ]]`, comments and blank lines are kept
and any valid TOML spelling of a table is understood (string matching was not).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from sourcing.errors import ConfigError


def _load(path: Path) -> tomlkit.TOMLDocument:
    from sourcing.config import starter_config

    text = path.read_text(encoding="utf-8") if path.exists() else starter_config()
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix it before changing it with a command.",
                          "Invalid config") from exc


def _save(path: Path, doc: tomlkit.TOMLDocument) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    tmp.replace(path)  # a crash mid-write leaves the old file, never half of one


def append_source(path: Path, entry: dict[str, Any]) -> None:
    """Append a `[[sources]]` table to the config file (created from the starter file if missing)."""
    doc = _load(path)
    table = tomlkit.table()
    for k, v in entry.items():
        table.add(k, v)
    table.add(tomlkit.nl())  # a blank line before whatever table follows
    sources = doc.get("sources")
    if sources is None:
        sources = tomlkit.aot()
        doc.append("sources", sources)
    elif not isinstance(sources, tomlkit.items.AoT):
        raise ConfigError(f"{path}: 'sources' must be an array of tables ([[sources]])", "Invalid config")
    sources.append(table)
    _save(path, doc)


def remove_sources(path: Path, match: Callable[[dict[str, Any]], bool]) -> int:
    """Remove every `[[sources]]` table for which `match(entry)` is true; keep the rest of the file.

    Returns:
        The number of tables removed (0 when the file or the tables are missing).
    """
    if not path.exists():
        return 0
    doc = _load(path)
    sources = doc.get("sources")
    if not isinstance(sources, tomlkit.items.AoT):
        return 0
    doomed = [i for i, table in enumerate(sources) if match(table.unwrap())]
    if not doomed:
        return 0
    for i in reversed(doomed):  # in place: the other tables keep their comments and their place
        del sources[i]
    if not len(sources):
        del doc["sources"]
    _save(path, doc)
    return len(doomed)


def set_value(path: Path, key: str, value: Any) -> None:
    """Set a dotted setting (`tui.theme`) in the config file, creating its table when needed."""
    doc = _load(path)
    *tables, name = key.split(".")
    node: Any = doc
    for t in tables:
        if t not in node:
            node[t] = tomlkit.table()
        node = node[t]
    node[name] = value
    _save(path, doc)


__all__ = ["append_source", "remove_sources", "set_value"]
