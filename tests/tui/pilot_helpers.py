"""Provides `screen_text(app)`: what the terminal shows right now, as plain text lines (tests only)."""

from __future__ import annotations

from typing import Any


def screen_text(app: Any) -> str:
    """Return the visible screen (including modals and toasts) as text, one line per terminal row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)
