"""Provides the check of the `[tui] keymap` table on load: known binding ids, real key names.

The review app (tui/) remaps keys by binding id with Textual's `App.set_keymap`,
which silently ignores an id it does not know and a key name no terminal sends.
Core cannot import Textual, so the ids are listed here; tests/tui checks that this
list is exactly the set of ids the app's bindings carry, and that every key name
Textual knows passes `key_problem`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Every `Binding(..., id=...)` of the review app (tui/app.py, tui/decision_keys.py, tui/screens/*.py).
BINDING_IDS = frozenset({
    "help", "blind", "ranking", "quit",
    "shortlist", "maybe", "reject", "contacted", "note", "undo",
    "open-job", "crawls", "brand", "refresh-jobs",
    "open-candidate", "filter", "sort", "export", "widen", "rerank", "open-source-row", "back",
    "cancel-prompt", "close-help",
    "open-source", "back-to-shortlist",
    "refresh-crawls", "back-to-jobs",
    "brand-accept", "brand-discard", "brand-edit", "brand-undecide", "brand-export", "brand-replan",
    "brand-save-edit", "brand-back",
})

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {"escape", "enter", "return", "tab", "space", "backspace", "delete", "insert", "home", "end",
     "pageup", "pagedown", "up", "down", "left", "right", "newline"}
    | {f"f{n}" for n in range(1, 25)}
    # Textual's short names for some punctuation (textual.keys.KEY_NAME_REPLACEMENTS and friends).
    | {"slash", "backslash", "at", "minus", "plus", "underscore", "circumflex_accent",
       "left_square_bracket", "right_square_bracket", "left_square_brace"}
)


def _base_ok(name: str) -> bool:
    if len(name) == 1:
        return not name.isspace() and name != ","
    if name in NAMED_KEYS:
        return True
    return name in _char_key_names()


@lru_cache(1)
def _char_key_names() -> frozenset[str]:
    """Textual's names of printable non-alphanumeric keys: question_mark, less_than_sign, …

    Textual derives them from the Unicode name, lower-cased, with spaces and hyphens as "_".
    """
    names = set()
    for code in range(0x21, 0x3000):
        char = chr(code)
        if char.isprintable() and not char.isalnum():
            name = unicodedata.name(char, "")
            if name:
                names.add(name.lower().replace("-", "_").replace(" ", "_"))
    return frozenset(names)


def key_problem(key: str) -> str | None:
    """Return why `key` (one key such as "S", "ctrl+s", "question_mark") is not a key name, or None."""
    key = key.strip()
    if not key:
        return "an empty key name"
    if key == "+":
        return None
    *mods, base = key.split("+") if not key.endswith("++") else [*key[:-2].split("+"), "+"]
    unknown = [m for m in mods if m.lower() not in MODIFIERS]
    if unknown:
        return f"unknown modifier {unknown[0]!r} (known: {', '.join(sorted(MODIFIERS))})"
    if not _base_ok(base):
        return f"unknown key {base!r}"
    return None


def keymap_problem(binding: str, keys: object) -> str | None:
    """Return what is wrong with one `[tui] keymap` entry (`binding = "keys"`), or None.

    The text follows the key in the message: "'tui.keymap.shortlistt' names no binding …".
    """
    if binding not in BINDING_IDS:
        return f"names no binding of the review app (binding ids: {', '.join(sorted(BINDING_IDS))})"
    if not isinstance(keys, str) or not keys.strip():
        return f"must be a key name such as \"S\" or \"ctrl+s\" (several separated by commas), got {keys!r}"
    for one in keys.split(","):
        problem = key_problem(one)
        if problem:
            return (f"must be a key name such as \"S\" or \"ctrl+s\" (several separated by commas), "
                    f"got {keys!r}: {problem}")
    return None


__all__ = ["BINDING_IDS", "MODIFIERS", "NAMED_KEYS", "key_problem", "keymap_problem"]
