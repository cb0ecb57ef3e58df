"""Provides blind mode: identity markers masked before embedding and in every output.

Masked: the person's names and logins, e-mail addresses, phone numbers, URLs (links
to photos included), dates of birth and ages, gendered words (English and French),
and stated nationality/citizenship. Each marker becomes a constant placeholder, the
same for everyone, so two profiles that differ only in name or gender give the same
text, the same vectors and the same score. People are shown by a stable pseudonym.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+|data:image/\S+|\b\S+\.(?:jpe?g|png|gif|webp)\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d .\-()]{7,}\d(?![\w])")
_DOB = re.compile(
    r"\b(?:date of birth|d\.?o\.?b\.?|born(?: on| in)?|date de naissance|n[ée]e? le|n[ée]e? en)\b\s*:?\s*[\w ,./-]{0,30}?\d{4}",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b(?:aged?|[âa]ge)\s*:?\s*\d{2}\b|\b\d{2}\s*(?:years? old|-year-old|y/?o)\b|\bj['’]ai\s+\d{2}\s+ans\b",
    re.IGNORECASE,
)
_NATIONALITY = re.compile(
    r"\b(?:nationality|nationalit[ée]|citizenship|citoyennet[ée])\b\s*:?\s*[A-Za-zÀ-ÿ-]+|\b[A-Z][a-zà-ÿ]+ (?:citizen|national|citizenship)\b",
)
_GENDER_WORDS = {
    # English
    "he": "they", "she": "they", "him": "them", "her": "them", "his": "their", "hers": "theirs",
    "himself": "themself", "herself": "themself", "mr": "Mx", "mrs": "Mx",
    "man": "person", "woman": "person", "men": "people", "women": "people", "male": "person",
    "female": "person", "boy": "person", "girl": "person", "husband": "partner", "wife": "partner",
    "father": "parent", "mother": "parent", "gentleman": "person", "lady": "person",
    "sir": "Mx", "madam": "Mx", "daughter": "child",
    # French
    "il": "iel", "elle": "iel", "lui": "iel", "homme": "personne", "femme": "personne",
    "monsieur": "Mx", "madame": "Mx", "mademoiselle": "Mx", "mme": "Mx", "mlle": "Mx",
    "mari": "partenaire", "épouse": "partenaire", "epouse": "partenaire",
}
_GENDER = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _GENDER_WORDS), key=len, reverse=True)) + r")\b", re.IGNORECASE)
_HF = re.compile(r"\((?:H/F|F/H|M/F|F/M|M/W|W/M|H/F/X|F/H/X)\)|\b(?:H/F|F/H)\b")

NAME = "[name]"


def pseudonym(candidate_id: int, stored: str | None = None) -> str:
    """Stable pseudonym of a candidate: the store's when it has one, else derived from the id."""
    if stored:
        return stored
    digest = hashlib.sha1(f"candidate:{candidate_id}".encode()).hexdigest()[:6].upper()
    return f"Candidate {digest}"


@dataclass
class Masker:
    """Masks one person's identity markers (their own names/logins plus generic patterns)."""

    names: list[str] = field(default_factory=list)
    _name_re: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        parts: set[str] = set()
        for n in self.names:
            if not n:
                continue
            parts.add(n.strip())
            parts.update(p for p in re.split(r"[\s,.;]+", n) if len(p) >= 2)
        if parts:
            alts = "|".join(sorted(map(re.escape, parts), key=len, reverse=True))
            self._name_re = re.compile(rf"(?<![\w])(?:{alts})(?![\w])", re.IGNORECASE)

    def mask(self, text: str) -> str:
        """Text with this person's identity markers replaced by placeholders."""
        if not text:
            return text
        text = _EMAIL.sub("[email]", text)
        text = _URL.sub("[url]", text)
        text = _DOB.sub("[birth date]", text)
        text = _AGE.sub("[age]", text)
        text = _PHONE.sub(lambda m: "[phone]" if sum(c.isdigit() for c in m.group(0)) >= 9 else m.group(0), text)
        text = _NATIONALITY.sub("[nationality]", text)
        if self._name_re is not None:
            text = self._name_re.sub(NAME, text)
        text = _HF.sub("", text)
        return _GENDER.sub(lambda m: _match_case(m.group(0), _GENDER_WORDS[m.group(0).lower()]), text)


def _match_case(src: str, repl: str) -> str:
    return repl[:1].upper() + repl[1:] if src[:1].isupper() else repl


def masker_for(candidate: dict[str, Any]) -> Masker:
    """A `Masker` for a store candidate dict: its name, profile names and GitHub login."""
    names: list[str] = [candidate.get("name") or ""]
    for p in candidate.get("profiles") or []:
        names.extend([p.get("name") or "", p.get("github_login") or ""])
    return Masker(names=[n for n in names if n])


def mask_all(texts: Iterable[str], masker: Masker) -> list[str]:
    """Mask a list of texts with one person's masker."""
    return [masker.mask(t) for t in texts]
