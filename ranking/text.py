"""Provides small text helpers shared by the ranking modules.

Normalisation, word tokens, sentence splitting, chunking, language identification
(py3langid, loaded on first use) and the text hash used as the embedding-cache key. Importing this module
costs nothing.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from typing import Any

from sourcing.textclean import fold as _shared_fold

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]", re.IGNORECASE)
_SENT_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý0-9•\-*])|\n+")

EN_STOP = frozenset(
    """a about above after again all also am an and any are as at be because been being
    below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours years year experience strong good
    knowledge skills skill ability work working team plus must etc using use used""".split()
)
FR_STOP = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais
    me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur
    ta te tes toi ton tu un une vos votre vous c d j l à m n s t y été être avoir sont est
    ans an expérience bonne bonnes bon bons connaissance connaissances compétences maîtrise
    travail équipe plus idéalement souhaité souhaitée afin comme cette tout tous toutes""".split()
)
STOPWORDS = EN_STOP | FR_STOP

# Words that only one of the two languages uses a lot; used to guess the language.
_EN_MARKERS = frozenset("the and of to with for is are you we our your in on as be will this that have".split())
_FR_MARKERS = frozenset("le la les des du et de pour avec vous nous notre votre est sont une un au aux dans sur en".split())


def text_hash(text: str) -> str:
    """Return the SHA-1 hex digest of a text (the embedding cache key)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# Lower-case and fold to ASCII ("Développeur"/"developpeur", "cœur"/"coeur", "Straße"/"strasse"):
# the one folding the whole product uses, so the ASCII tokeniser below keeps such words whole.
fold = _shared_fold


def words(text: str) -> list[str]:
    """Return folded word tokens (keeps tech tokens such as "c++", "c#", "node.js")."""
    return _WORD.findall(fold(text))


def content_words(text: str) -> list[str]:
    """Return folded word tokens without English/French stop words."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


# Languages the identifier chooses among: Europe's, and the world's most written ones.
# (py3langid knows 97; left free it calls short English texts Nigerian Pidgin or Latin.)
IDENTIFIED_LANGS = tuple(
    """en fr de es it pt nl pl cs sk sl hr sr bs ro hu bg el ru uk be lt lv et fi sv da no is ga cy mt
    tr ar he fa hi ja ko zh th vi id ms ka hy ca eu gl lb sq mk""".split()
)
MIN_CONFIDENCE = 0.5  # below this, the identifier's guess is no better than the marker words
_IDENTIFIER: Any = None
_ID_LOCK = threading.Lock()


def _identifier() -> Any:
    global _IDENTIFIER
    with _ID_LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            ident.set_languages([x for x in IDENTIFIED_LANGS if x in ident.nb_classes])
            _IDENTIFIER = ident
        return _IDENTIFIER


def detect_lang(text: str) -> str:
    """The language of a text as an ISO 639-1 code ("en", "fr", "de", "cs", "ka"…).

    py3langid (a naive Bayes model over byte n-grams, 97 languages, restricted to
    IDENTIFIED_LANGS) decides when it is confident; for short or mixed texts it is not,
    and English/French marker words decide ("en" when unsure), as before.
    One function for the whole ranking layer: job specs, profiles, evaluation sets.
    """
    if len(text.strip()) >= 3:
        code, prob = _identifier().classify(text[:20_000])
        if prob >= MIN_CONFIDENCE:
            return str(code)
    return _marker_lang(text)


def _marker_lang(text: str) -> str:
    """Guess "en" or "fr" from marker words (accents break ties); "en" when unsure."""
    toks = re.findall(r"[a-zà-ÿ]+", text.lower())
    en = sum(t in _EN_MARKERS for t in toks)
    fr = sum(t in _FR_MARKERS for t in toks)
    if fr == en:
        accents = len(re.findall(r"[éèêàùçôîâ]", text.lower()))
        return "fr" if accents >= 2 else "en"
    return "fr" if fr > en else "en"


def sentences(text: str) -> list[str]:
    """Split text into sentences and bullet lines, stripped, empty ones dropped."""
    out = []
    for part in _SENT_SPLIT.split(text or ""):
        part = part.strip(" \t-*•·–")
        if part:
            out.append(part)
    return out


def chunk_text(text: str, max_words: int = 120) -> list[str]:
    """Cut a long text into chunks of whole sentences, each about `max_words` words at most.

    MiniLM truncates at 256 word pieces (~180 words); 120 words leaves room for
    long technical tokens. A single over-long sentence is cut on word boundaries.
    """
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for sent in sentences(text):
        n = len(sent.split())
        if n > max_words:
            toks = sent.split()
            pieces = [" ".join(toks[i : i + max_words]) for i in range(0, n, max_words)]
        else:
            pieces = [sent]
        for piece in pieces:
            pn = len(piece.split())
            if current and count + pn > max_words:
                chunks.append(" ".join(current))
                current, count = [], 0
            current.append(piece)
            count += pn
    if current:
        chunks.append(" ".join(current))
    return chunks


_DOUBLET_SUFFIX = re.compile(r"(?<=\w\w\w)(?:\((?:e|se|euse|rice|trice|ère|ne|le|te)\)|[·.•](?:e|se|euse|rice|trice|ère|ne|le|te)s?\b)", re.IGNORECASE)
_HF_MARK = re.compile(r"\(\s*(?:H\s*/\s*F|F\s*/\s*H|M\s*/\s*F|F\s*/\s*M|H\s*/\s*F\s*/\s*X)\s*\)|\b(?:H/F|F/H)\b")


def _same_stem(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 3 and n >= min(len(a), len(b)) - 5


def collapse_gender_doublets(text: str) -> str:
    """Keep one form of French gender-inclusive titles, which job titles are full of.

    "Acheteur / Acheteuse d'espaces" -> "Acheteur d'espaces"; "Accueillant familial /
    Accueillante familiale" -> "Accueillant familial"; "Développeur(se)", "développeur·euse"
    -> "Développeur"/"développeur"; "(H/F)" is dropped. Text without such forms is unchanged.
    """
    if "/" not in text and "(" not in text and "·" not in text and "." not in text:
        return text
    text = _HF_MARK.sub("", text)
    text = _DOUBLET_SUFFIX.sub("", text)
    out = text
    while " / " in out:
        left, right = out.split(" / ", 1)
        lw, rw = left.split(), right.split()
        best = 0
        for k in range(1, 4):
            if k <= len(lw) and k <= len(rw) and all(_same_stem(a, b) for a, b in zip(lw[-k:], rw[:k])):
                best = k
        if not best:
            # Not a doublet (e.g. "Python / Django"): leave this slash alone.
            head, _, tail = out.partition(" / ")
            return head + " / " + collapse_gender_doublets(tail)
        out = " ".join(lw + rw[best:])
    return re.sub(r"\s{2,}", " ", out).strip()


def uncap(text: str) -> str:
    """Lower-case a text written all in capitals ("ENFERMEROS DE CUIDADOS GENERALES").

    Cased encoders (the multilingual USE) read shouted text as other words: on Spanish
    titles in capitals its matches were unrelated ("general del Ejército" for nurses).
    Only a text whose letters are (almost) all capitals changes; acronyms in ordinary text stay.
    """
    if text.islower() or not text:  # the common case, no per-character count needed
        return text
    letters = sum(map(str.isalpha, text))
    if letters >= 4 and sum(map(str.isupper, text)) > 0.8 * letters:
        return text.lower()
    return text


def prepare_text(text: str) -> str:
    """What the encoders and lexical scorers see: all-capitals text lowered, French gender doublets collapsed.

    Explanations keep quoting the original sentences; only the compared text changes.
    """
    return collapse_gender_doublets(uncap(text))
