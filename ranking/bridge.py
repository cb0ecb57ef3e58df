"""Provides the French -> English word bridge: an English gloss of French text.

`gloss_fr_en("Administrateur de bases de données")` -> "administrator database databases data".
Each French content word becomes its likely English words from the packaged lexicon
(`ranking/data/fr_en.json.gz`, learned from ESCO skill labels, see
`ranking.tools.build_bridge`); a word the lexicon lacks is tried as a cognate
("-eur" -> "-or", "-ien" -> "-ian", "-ique" -> "-ic", ...) and kept only if that English
word exists; anything else is kept as it is (names, tools and acronyms mostly are).
The gloss is a bag of words for matching, not a translation to show anyone.

The ranker compares a French job with English profiles through both its own text and
this gloss (`ranking.service.score_pool`, `ranking.evaluate.method_scores`).
"""

from __future__ import annotations

import gzip
import json
import threading
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ranking.text import STOPWORDS, words

MIN_P = 0.3  # second translations below this probability add more noise than recall
MAX_WORDS = 2  # English words per French word
# French inflection -> the lexicon's base form (feminine and plural agent nouns mostly).
_INFLECTIONS = (("euses", "eur"), ("euse", "eur"), ("rices", "eur"), ("rice", "eur"), ("ieres", "ier"),
                ("iere", "ier"), ("eres", "er"), ("ere", "er"), ("iennes", "ien"), ("ienne", "ien"),
                ("es", ""), ("s", ""), ("x", ""), ("e", ""))
# Regular French -> English suffix correspondences, tried when the lexicon has no entry.
_COGNATES = (("teur", "tor"), ("eur", "or"), ("eur", "er"), ("icien", "ician"), ("ien", "ian"), ("iste", "ist"),
             ("ique", "ic"), ("ique", "ical"), ("logue", "logist"), ("aire", "ary"), ("ie", "y"), ("ite", "ity"),
             ("eux", "ous"), ("if", "ive"), ("nnel", "nal"), ("el", "al"), ("iere", "ier"), ("e", ""), ("", ""))

# French agent nouns -> the verb or noun they are made from ("formateur" -> "former",
# "jardinier" -> "jardin", "gestionnaire" -> "gestion"), whose translation gives the
# English agent noun ("train" -> "trainer", "garden" -> "gardener", "management" -> "manager").
_AGENT_BASES = (("ateur", "er"), ("ateur", "ation"), ("eur", "er"), ("eur", "re"), ("icien", "ique"), ("ier", ""),
                ("ier", "e"), ("iste", "e"), ("iste", ""), ("aire", ""), ("ant", "er"))
_ENGLISH_AGENTS = (("", "er"), ("e", "er"), ("", "r"), ("", "or"), ("ment", "er"), ("ics", "ic"), ("y", "ist"), ("", "ist"))

_LOCK = threading.Lock()
_DATA: dict[str, Any] | None = None


def _data() -> dict[str, Any]:
    global _DATA
    with _LOCK:
        if _DATA is None:
            path = resources.files("ranking") / "data" / "fr_en.json.gz"
            with path.open("rb") as fh:
                raw = json.loads(gzip.decompress(fh.read()))
            _DATA = {"lexicon": raw["lexicon"], "english": dict.fromkeys(raw["english"])}
        return _DATA


def _bases(word: str) -> list[str]:
    return [word] + [word[: len(word) - len(a)] + b for a, b in _INFLECTIONS if word.endswith(a) and len(word) > len(a) + 2]


@lru_cache(maxsize=65_536)
def english_for(word: str) -> tuple[str, ...]:
    """English words for one folded French word; () when there is no good guess."""
    data = _data()
    lexicon, english = data["lexicon"], data["english"]
    for base in _bases(word):
        entry = lexicon.get(base)
        if entry:
            good = [e for e, p in entry if p >= MIN_P][:MAX_WORDS]
            return tuple(good or [entry[0][0]])
    for base in _bases(word):
        for fr_end, en_end in _COGNATES:
            if base.endswith(fr_end):
                guess = base[: len(base) - len(fr_end)] + en_end if fr_end else base
                if len(guess) >= 4 and guess in english:
                    return (guess,)
    for base in _bases(word):
        for agent_end, base_end in _AGENT_BASES:
            if not base.endswith(agent_end) or len(base) <= len(agent_end) + 2:
                continue
            entry = lexicon.get(base[: len(base) - len(agent_end)] + base_end)
            if not entry:
                continue
            source = entry[0][0]
            for en_end, agent in _ENGLISH_AGENTS:
                if source.endswith(en_end):
                    guess = source[: len(source) - len(en_end)] + agent if en_end else source + agent
                    if guess in english:
                        return (guess,)
            return (source,)  # the activity itself still says more than an unknown word
    return ()


def gloss_fr_en(text: str) -> str:
    """English bag-of-words gloss of French text (stop words dropped, unknown words kept)."""
    out: list[str] = []
    for w in words(text):
        if w in STOPWORDS:
            continue
        out.extend(english_for(w) or (w,))
    return " ".join(out)


def mix_query_vectors(original: np.ndarray, glossed: np.ndarray) -> np.ndarray:
    """Unit vectors halfway between each text's embedding and its gloss's (rows match)."""
    mixed = np.asarray(original, dtype=np.float32) + np.asarray(glossed, dtype=np.float32)
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    return mixed / np.where(norms == 0, 1.0, norms)
