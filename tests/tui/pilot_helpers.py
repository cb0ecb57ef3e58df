"""Provides Pilot helpers for the TUI tests: screen text, typing, waiting for workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def screen_text(app: Any) -> str:
    """Return the visible screen (including modals and toasts) as text, one line per terminal row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


def keys(text: str) -> list[str]:
    """Pilot key names to type `text` into an Input."""
    names = {" ": "space", "<": "less_than_sign", ">": "greater_than_sign", "=": "equals_sign",
             ":": "colon", ".": "full_stop", "/": "slash", "-": "minus", "_": "underscore"}
    return [names.get(c, c) for c in text]


async def settle(app, pilot) -> None:
    """Wait until every decision is acknowledged on screen, every worker finished and the UI processed their messages.

    `app.wait_for_decisions()` returns once each DecisionSaved/DecisionFailed was handled,
    which a finished writer worker alone does not guarantee.
    """
    for _ in range(2):
        await app.wait_for_decisions()
        await app.workers.wait_for_complete()
        await pilot.pause()


def notifications(app: Any) -> str:
    """Every notification currently shown (title and message), one per line."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


def write_config(tmp_path: Path, body: str = "", db: str | None = None) -> object:
    """Write a config file (actor = "tester" plus `body`) and load it (store: `db`, default review.db)."""
    from sourcing.config import load_config

    path = tmp_path / "config.toml"
    path.write_text('actor = "tester"\n' + body, encoding="utf-8")
    return load_config(path, db=db or str(tmp_path / "review.db"))
