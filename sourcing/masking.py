"""Provides the blind-mode masker shared by every output (ranking, review app, exports, CLI).

Masked: the person's names and logins, e-mail addresses, phone numbers, URLs (links
to photos included), dates of birth and ages, stated nationality/citizenship, and
gender: pronouns and gendered words (he/she, Mr/Mrs, il/elle, homme/femme…), "(H/F)",
and gendered job titles and adjectives, English and French ("Développeuse backend" →
"Développeur backend", "Cheffe pâtissière" → "Chef pâtissier", "waitress" → "server",
"rigoureuse" → "rigoureux"). Each marker becomes the same placeholder or neutral form
for everyone, so two profiles that differ only in name or gender read the same.

It lives in the core package (no third-party imports) so that `sourcing.exports` can
use it; `ranking.blind` re-exports it for the ranker and the review app.
"""

from __future__ import annotations

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
GENDER_WORDS: dict[str, str] = {
    # English pronouns, titles, relations
    "he": "they", "she": "they", "him": "them", "her": "them", "his": "their", "hers": "theirs",
    "himself": "themself", "herself": "themself", "mr": "Mx", "mrs": "Mx", "ms": "Mx", "miss": "Mx",
    "man": "person", "woman": "person", "men": "people", "women": "people", "male": "person",
    "female": "person", "boy": "person", "girl": "person", "husband": "partner", "wife": "partner",
    "boyfriend": "partner", "girlfriend": "partner", "father": "parent", "mother": "parent",
    "mom": "parent", "mum": "parent", "dad": "parent", "gentleman": "person", "lady": "person",
    "sir": "Mx", "madam": "Mx", "daughter": "child", "son": "child", "sister": "sibling", "brother": "sibling",
    "maternity": "parental", "paternity": "parental",
    # English gendered job titles
    "waitress": "server", "waiter": "server", "actress": "actor", "hostess": "host", "stewardess": "flight attendant",
    "steward": "flight attendant", "chairman": "chair", "chairwoman": "chair", "salesman": "salesperson",
    "saleswoman": "salesperson", "businessman": "businessperson", "businesswoman": "businessperson",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "policeman": "police officer",
    "policewoman": "police officer", "headmistress": "head teacher", "headmaster": "head teacher",
    "craftsman": "craftsperson", "craftswoman": "craftsperson", "foreman": "supervisor", "forewoman": "supervisor",
    "landlady": "landlord", "seamstress": "tailor", "manageress": "manager", "barmaid": "bartender",
    "barman": "bartender", "cameraman": "camera operator", "camerawoman": "camera operator",
    # French pronouns, titles, relations
    "il": "iel", "elle": "iel", "ils": "iels", "elles": "iels", "lui": "iel", "homme": "personne",
    "femme": "personne", "hommes": "personnes", "femmes": "personnes", "monsieur": "Mx", "madame": "Mx",
    "mademoiselle": "Mx", "mme": "Mx", "mlle": "Mx", "mari": "partenaire", "épouse": "partenaire",
    "epouse": "partenaire", "époux": "partenaire", "mère": "parent", "père": "parent", "maman": "parent",
    "papa": "parent", "fille": "enfant", "fils": "enfant", "garçon": "enfant", "sœur": "membre de la fratrie",
    "frère": "membre de la fratrie", "maternité": "parental", "paternité": "parental",
    # French feminine forms that no suffix rule gives
    "cheffe": "chef", "cheffes": "chefs", "chèfe": "chef", "experte": "expert", "adjointe": "adjoint",
    "consultante": "consultant", "assistante": "assistant", "gérante": "gérant", "étudiante": "étudiant",
    "enseignante": "enseignant", "intervenante": "intervenant", "commerçante": "commerçant",
    "indépendante": "indépendant", "présidente": "président", "artisane": "artisan", "avocate": "avocat",
    "candidate": "candidat", "employée": "employé", "salariée": "salarié", "diplômée": "diplômé",
    "certifiée": "certifié", "expérimentée": "expérimenté", "confirmée": "confirmé", "chargée": "chargé",
    "passionnée": "passionné", "motivée": "motivé", "organisée": "organisé", "spécialisée": "spécialisé",
    "qualifiée": "qualifié", "engagée": "engagé", "impliquée": "impliqué", "retraitée": "retraité",
    "mariée": "marié", "basée": "basé", "installée": "installé", "formée": "formé", "déléguée": "délégué",
    "attachée": "attaché", "habilitée": "habilité", "agréée": "agréé", "prête": "prêt", "seule": "seul",
    "polyvalente": "polyvalent", "sportive": "sportif", "créative": "créatif",
    "active": "actif", "attentive": "attentif", "native": "natif",
    "patronne": "patron", "championne": "champion", "maîtresse": "maître", "doctoresse": "docteur",
    "copine": "partenaire", "compagne": "partenaire", "compagnon": "partenaire", "tante": "parent", "oncle": "parent",
}
# -euse adjectives from -eux (not -eur): "rigoureuse" is "rigoureux", "livreuse" is "livreur".
_EUX = {"rigoureuse", "heureuse", "chaleureuse", "généreuse", "courageuse", "joyeuse", "valeureuse", "peureuse",
        "amoureuse", "nombreuse", "dangereuse", "vigoureuse", "soigneuse", "paresseuse", "savoureuse",
        "audacieuse", "studieuse", "curieuse", "sérieuse", "minutieuse", "consciencieuse", "ambitieuse",
        "précieuse", "ingénieuse", "mystérieuse", "respectueuse", "chanceuse", "religieuse", "fastidieuse"}
# Words with a feminine-looking ending that are not gendered forms of anything.
_NOT_GENDERED = {
    "matrice", "cicatrice", "matière", "lumière", "carrière", "manière", "filière", "frontière", "barrière",
    "rivière", "prière", "bière", "arrière", "derrière", "chaumière", "clairière", "croisière", "poussière",
    "paupière", "civière", "visière", "tanière", "glissière", "bannière", "cafetière", "théière", "gouttière",
    "ornière", "litière", "verrière", "lisière", "cimetière", "sphère", "atmosphère", "hémisphère", "colère",
    "misère", "galère", "chimère", "panthère", "artère", "critère", "caractère", "mystère", "ministère",
    "monastère", "cratère", "éphémère", "sincère", "sévère", "austère", "prospère", "vipère", "repère",
    "commère", "guère", "naguère", "ère", "demeure", "heure", "meilleure", "antienne", "persienne",
    "perceuse", "berceuse", "tondeuse", "friteuse", "agrafeuse", "moissonneuse", "veilleuse", "mitrailleuse",
    "trière", "espère", "considère", "gère", "opère", "coopère", "récupère", "exagère", "digère",
    "suggère", "préfère", "transfère", "diffère", "réfère", "confère", "génère", "accélère", "tolère",
    "énumère", "libère", "modère",
}
# Feminine endings and their masculine form, longest first.
_SUFFIXES = [("trice", "teur"), ("ienne", "ien"), ("ière", "ier"), ("eure", "eur"), ("euse", "eur"), ("ère", "er"),
             ("enne", "en"), ("onne", "on")]
_SUFFIX_WORD = re.compile(
    r"(?<![\w-])[A-Za-zÀ-ÿœŒ]{2,}(?:trice|ienne|ière|eure|euse|ère|enne|onne|ée|te|ne)s?(?![\w-])", re.IGNORECASE
)
_GENDER = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, GENDER_WORDS), key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)
_HF = re.compile(r"\((?:H/F|F/H|M/F|F/M|M/W|W/M|H/F/X|F/H/X)\)|\b(?:H/F|F/H)\b")
_ENNE_ONNE = {"ancienne", "technicienne", "informaticienne", "musicienne", "électricienne", "pharmacienne",
              "mécanicienne", "comédienne", "gardienne", "historienne", "statisticienne", "opticienne",
              "diététicienne", "politicienne", "chirurgienne", "doyenne", "citoyenne", "européenne", "coréenne",
              "patronne", "championne", "lionne", "bretonne", "baronne", "espionne", "lycéenne", "collégienne"}

NAME = "[name]"


def _match_case(src: str, repl: str) -> str:
    if src.isupper() and len(src) > 1:
        return repl.upper()
    return repl[:1].upper() + repl[1:] if src[:1].isupper() else repl


def _masculine(word: str) -> str:
    """The masculine/neutral form of one French feminine word, or the word itself."""
    low = word.lower()
    plural = low.endswith("s") and not low.endswith("ss")
    stem = low[:-1] if plural else low
    if stem in _NOT_GENDERED or len(stem) < 6:
        return word
    if plural and stem in GENDER_WORDS:  # "confirmées" -> "confirmés"
        return _match_case(word, GENDER_WORDS[stem] + "s")
    if stem in _EUX:
        out = stem[:-4] + "eux"
        return _match_case(word, out)  # "eux" is its own plural
    for fem, masc in _SUFFIXES:
        if stem.endswith(fem):
            # "-enne"/"-onne" are gendered only on people words (technicienne, patronne), not "antenne".
            if fem in ("enne", "onne") and stem not in _ENNE_ONNE:
                return word
            out = stem[: -len(fem)] + masc + ("s" if plural else "")
            return _match_case(word, out)
    return word


def neutralise_gender(text: str) -> str:
    """Text with gendered words and feminine job titles put in one neutral form, "(H/F)" removed.

    Examples: "She is a Développeuse backend (H/F)" -> "They is a Développeur backend",
    "Cheffe pâtissière" -> "Chef pâtissier", "Ingénieure DevOps" -> "Ingénieur DevOps".
    """
    if not text:
        return text
    text = _HF.sub("", text)
    text = _GENDER.sub(lambda m: _match_case(m.group(0), GENDER_WORDS[m.group(0).lower()]), text)
    return _SUFFIX_WORD.sub(lambda m: _masculine(m.group(0)), text)


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
        """Text with this person's identity markers replaced by placeholders or neutral forms."""
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
        return neutralise_gender(text)


def masker_for(candidate: dict[str, Any]) -> Masker:
    """A `Masker` for a candidate dict (store candidate or shortlist row): its name, profile names, GitHub login."""
    names: list[str] = [candidate.get("name") or ""]
    for p in candidate.get("profiles") or []:
        names.extend([p.get("name") or "", p.get("github_login") or ""])
    return Masker(names=[n for n in names if n])


def mask_all(texts: Iterable[str], masker: Masker) -> list[str]:
    """Mask a list of texts with one person's masker."""
    return [masker.mask(t) for t in texts]
