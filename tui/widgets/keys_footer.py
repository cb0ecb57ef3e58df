"""Provides `KeysFooter`: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's Footer removes and mounts all its key widgets again on every "bindings
updated" signal. Opening a screen sends three or four of those (screen pushed, focus
set, …) for the same set of keys, and each rebuild of our ~12 keys cost about 20 ms
of the UI thread here, right while the first rows were being painted. This footer
compares what it would show with what it last scheduled and skips identical rebuilds;
what is shown is exactly Textual's Footer.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class KeysFooter(Footer):
    """A Footer that skips rebuilding when the shown keys are unchanged."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._wanted: Hashable | None = None  # the keys of the last rebuild scheduled (or done)

    def _keys_shown(self) -> Hashable:
        """Everything the Footer's compose reads from the screen's bindings."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (self.compact, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, tuple(
            (binding.key, binding.action, binding.description, binding.show, binding.group, enabled, tooltip,
             binding.tooltip, self.app.get_key_display(binding))
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == palette
        ))

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._wanted = self._keys_shown()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        # Textual's Footer.bindings_changed, plus the comparison that skips identical rebuilds.
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            wanted = self._keys_shown()
            if wanted != self._wanted:  # else: the same keys are shown, or about to be
                self._wanted = wanted
                self.call_after_refresh(self.recompose)
