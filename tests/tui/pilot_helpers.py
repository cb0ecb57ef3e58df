"""Provides Pilot helpers for the TUI tests: screen text, typing, waiting for workers."""

from __future__ import annotations

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
    """Wait until every worker finished and the UI processed their messages."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def notifications(app: Any) -> str:
    """Every notification currently shown (title and message), one per line."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)
