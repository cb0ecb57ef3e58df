"""Tests that the keymap check in core (sourcing.keymap) knows exactly the review app's binding ids and keys.

Core cannot import Textual, so it keeps its own list; these tests fail when a screen
gains, loses or renames a binding id, or when a key name Textual accepts is refused.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.keys import Keys, _character_to_key

import tui
from sourcing.keymap import BINDING_IDS, key_problem, keymap_problem


def _app_binding_ids() -> set[str]:
    ids: set[str] = set()
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module):
            bindings = getattr(obj, "BINDINGS", None) if inspect.isclass(obj) else None
            if isinstance(obj, list | tuple):
                bindings = obj  # module-level lists such as tui.decision_keys' bindings
            for b in bindings or ():
                if isinstance(b, Binding) and b.id:
                    ids.add(b.id)
    return ids


def test_core_lists_exactly_the_binding_ids_of_the_review_app():
    found = _app_binding_ids()
    assert "shortlist" in found and "brand-accept" in found  # the walk reached screens and decision keys
    assert found == set(BINDING_IDS)


def test_every_key_textual_names_passes_and_made_up_ones_do_not():
    for key in Keys:
        if not key.value.startswith("<") and key.value != "ctrl-at":
            assert key_problem(key.value) is None, key.value
    for char in "?/!;:.,=*[]{}()<>|\\'\"`~#$%&^-_aZ09é":
        if char != ",":  # a comma separates keys in one entry
            assert key_problem(char) is None, char
            assert key_problem(_character_to_key(char)) is None, _character_to_key(char)
    for bad in ("nosuchkey", "ctrl+", "cmd+s", "ctrl s", "", "shift+enterr"):
        assert key_problem(bad) is not None, bad
    assert keymap_problem("shortlist", "S,ctrl+s") is None
    assert "names no binding" in keymap_problem("shortlisted", "S")
