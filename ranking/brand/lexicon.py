"""Provides the employer-brand lexicon: benefits, perks and culture themes in English and French.

A theme (e.g. "4-day week") is found in a posting when one of its phrases occurs,
unless the phrase is negated just before ("no remote", "pas de télétravail").
Matching runs on lower-cased, accent-stripped text so "Télétravail" and
"teletravail" are the same word. Salary ranges written in the text are parsed
too, since many postings state pay only in prose.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """One benefit or culture theme.

    Attributes:
        key: stable identifier, e.g. "four_day_week".
        kind: "benefit" or "culture".
        label: human label per language, e.g. {"en": "4-day week", "fr": "semaine de 4 jours"}.
        hashtag: fallback hashtag per language when the market has no surface form of its own.
        patterns: regular expressions over accent-stripped lower-case text.
    """

    key: str
    kind: str
    label: dict[str, str]
    hashtag: dict[str, str]
    patterns: tuple[str, ...]


def _t(key: str, kind: str, en: str, fr: str, tag_en: str, tag_fr: str, *patterns: str) -> Theme:
    return Theme(key, kind, {"en": en, "fr": fr}, {"en": tag_en, "fr": tag_fr}, patterns)


THEMES: tuple[Theme, ...] = (
    # benefits and perks
    _t("remote", "benefit", "remote work", "télétravail", "#RemoteWork", "#Teletravail",
       r"\bremote[- ]first\b", r"\bfully remote\b",
       # "remote" alone, but not remote sensing / control / monitoring / access (a product, not a perk)
       r"\bremote\b(?![- ](?:sensing|control|controls|monitoring|access|desktop|server|servers|devices?|patient)\b)",
       r"\bwork from home\b", r"\bwfh\b",
       r"\bteletravail\b", r"\bfull[- ]remote\b", r"\ba distance\b"),
    _t("hybrid", "benefit", "hybrid work", "travail hybride", "#HybridWork", "#TravailHybride",
       r"\bhybrid\b", r"\bhybride\b", r"\bflex office\b"),
    _t("four_day_week", "benefit", "4-day week", "semaine de 4 jours", "#4DayWeek", "#SemaineDe4Jours",
       r"\b(?:4|four)[- ]day (?:work ?)?week\b", r"\b32[- ]hour (?:work ?)?week\b",
       r"\bsemaine de (?:4|quatre) jours\b", r"\b(?:4|quatre) jours par semaine\b", r"\b32 ?h(?:eures)? par semaine\b"),
    _t("salary_transparency", "benefit", "salary transparency", "transparence salariale",
       "#SalaryTransparency", "#TransparenceSalariale",
       r"\bsalary (?:range|band|bands|grid)\b", r"\bsalary transparency\b", r"\btransparent (?:salar|pay)\w*",
       r"\bpay transparency\b", r"\bgrille salariale\b", r"\btransparence (?:salariale|des salaires)\b",
       r"\bfourchette (?:de )?salar\w*"),
    _t("equity", "benefit", "equity", "BSPCE / actionnariat", "#Equity", "#BSPCE",
       r"\bequity\b", r"\bstock[- ]options?\b", r"\brsus?\b", r"\besop\b", r"\bbspce\b",
       r"\bactionnariat\b", r"\bactions gratuites\b"),
    _t("learning_budget", "benefit", "learning budget", "budget formation", "#Learning", "#Formation",
       r"\b(?:learning|training|education|conference|l&d|development) (?:and development )?budget\b",
       r"\bbudget (?:de )?formation\b", r"\bbudget (?:de )?conferences?\b", r"\bbudget d'apprentissage\b"),
    _t("parental_leave", "benefit", "parental leave", "congé parental", "#ParentalLeave", "#CongeParental",
       r"\b(?:parental|maternity|paternity) leave\b", r"\bconges? (?:parental|paternite|maternite|parentaux|deuxieme parent)\b"),
    _t("flexible_hours", "benefit", "flexible hours", "horaires flexibles", "#Flexibility", "#Flexibilite",
       r"\bflexible (?:working )?(?:hours|schedule|schedules)\b", r"\bhoraires (?:flexibles|amenages|libres)\b"),
    _t("health", "benefit", "health insurance", "mutuelle", "#Health", "#Sante",
       r"\b(?:private )?health (?:insurance|cover|care plan)\b", r"\bdental\b", r"\bmutuelle\b", r"\bprevoyance\b"),
    _t("wellbeing", "benefit", "wellbeing", "bien-être", "#Wellbeing", "#BienEtre",
       r"\bwell[- ]?being\b", r"\bmental health\b", r"\bgym\b", r"\bbien[- ]etre\b", r"\bsante mentale\b"),
    _t("time_off", "benefit", "generous time off", "congés généreux", "#TimeOff", "#Conges",
       r"\bunlimited (?:pto|vacation|holidays?)\b", r"\b\d{2} days (?:of )?(?:paid )?(?:holiday|vacation|pto)\b",
       r"\brtt\b", r"\bconges illimites\b", r"\bjours de conges\b"),
    _t("relocation", "benefit", "relocation support", "aide à la mobilité", "#Relocation", "#Mobilite",
       r"\brelocation\b", r"\bvisa sponsorship\b", r"\bsponsor (?:a |your )?visas?\b", r"\baide (?:a la )?(?:relocalisation|demenagement)\b"),
    _t("home_office", "benefit", "home-office budget", "équipement télétravail", "#HomeOffice", "#Teletravail",
       r"\bhome[- ]office (?:budget|stipend|allowance|setup)\b", r"\bforfait teletravail\b", r"\bequipement (?:de )?teletravail\b"),
    _t("meals", "benefit", "meal vouchers", "titres-restaurant", "#Perks", "#Avantages",
       r"\bmeal (?:vouchers?|allowance)\b", r"\blunch (?:allowance|provided)\b", r"\btickets? restaurants?\b",
       r"\btitres?[- ]restaurants?\b", r"\bcarte swile\b"),
    # values and culture
    _t("diversity", "culture", "diversity & inclusion", "diversité & inclusion", "#DiversityAndInclusion", "#Diversite",
       r"\bdiversity\b", r"\binclusion\b", r"\binclusive\b", r"\bequal opportunit\w*", r"\bdiversite\b", r"\binclusi(?:f|ve|on)\b"),
    _t("impact", "culture", "mission and impact", "mission et impact", "#Impact", "#Impact",
       r"\bmission[- ]driven\b", r"\bmeaningful\b", r"\bimpact\b", r"\ba impact\b", r"\bdonner du sens\b"),
    _t("sustainability", "culture", "sustainability", "engagement climat", "#Sustainability", "#Climat",
       r"\bsustainab\w*", r"\bclimate\b", r"\bcarbon\b", r"\bb ?corp\b", r"\bdurable\b", r"\bclimat\b", r"\brse\b"),
    _t("ownership", "culture", "autonomy and ownership", "autonomie", "#Ownership", "#Autonomie",
       r"\bownership\b", r"\bautonomy\b", r"\bautonomous\b", r"\bautonomie\b", r"\bresponsabilisation\b"),
    _t("collaboration", "culture", "teamwork", "esprit d'équipe", "#Teamwork", "#EspritDEquipe",
       r"\bcollaborative\b", r"\bteamwork\b", r"\besprit d'equipe\b", r"\bcollaboratif\b", r"\bbienveillan\w*"),
    _t("growth", "culture", "mentoring and growth", "mentorat et évolution", "#CareerGrowth", "#Evolution",
       r"\bmentor(?:ing|ship)\b", r"\bcareer (?:growth|path|development|progression)\b", r"\bmentorat\b",
       r"\bplan de carriere\b", r"\bevolution de carriere\b"),
    _t("open_source", "culture", "open source", "open source", "#OpenSource", "#OpenSource",
       r"\bopen[- ]source\b", r"\blogiciels? libres?\b"),
    _t("work_life_balance", "culture", "work-life balance", "équilibre vie pro / vie perso", "#WorkLifeBalance", "#EquilibrePro",
       r"\bwork[- /]life balance\b", r"\bequilibre (?:entre )?vie (?:pro|professionnelle)\b"),
)
THEMES_BY_KEY: dict[str, Theme] = {t.key: t for t in THEMES}

# A phrase preceded by one of these (within a few words) is not a claim: "no remote", "pas de télétravail".
_NEGATION = re.compile(r"\b(?:no|not|non|without|pas de|pas d'|sans|aucun|aucune)\b(?:\W+\w+){0,2}\W*$")
_COMPILED = {t.key: [re.compile(p) for p in t.patterns] for t in THEMES}


def normalise(text: str) -> str:
    """Lower-case and strip accents so English and French phrases match regardless of spelling."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "'")


@dataclass(frozen=True)
class ThemeMatch:
    """A theme found in a text: the phrase as written and the sentence it stands in."""

    key: str
    phrase: str
    snippet: str


def find_themes(text: str) -> dict[str, ThemeMatch]:
    """Find every lexicon theme stated (not negated) in a text.

    Args:
        text: a posting's title and description, any mix of English and French.

    Returns:
        theme key -> the first non-negated match, with a short snippet of the sentence around it.
    """
    norm = normalise(text)
    # NFKD + dropping combining marks keeps a 1:1 character map for Latin text, so
    # offsets in `norm` point at the same characters in `text`.
    same_length = len(norm) == len(text)
    found: dict[str, ThemeMatch] = {}
    for key, patterns in _COMPILED.items():
        for pattern in patterns:
            for m in pattern.finditer(norm):
                if _NEGATION.search(norm[max(0, m.start() - 30) : m.start()]):
                    continue
                source = text if same_length else norm
                found[key] = ThemeMatch(key, source[m.start() : m.end()], _snippet(source, m.start(), m.end()))
                break
            if key in found:
                break
    return found


def _clause(text: str, left: int, right: int, start: int, end: int) -> tuple[int, int]:
    """Narrow [left, right) to the comma/semicolon clause holding [start, end), ignoring commas in brackets."""
    depth, cut_left, cut_right = 0, left, right
    for i in range(left, right):
        c = text[i]
        depth += c in "(["
        depth -= c in ")]" and depth > 0
        if depth == 0 and c in ",;" and i + 1 < len(text) and text[i + 1] == " ":
            if i < start:
                cut_left = i + 1
            elif i >= end:
                cut_right = i
                break
    return cut_left, cut_right


def _snippet(text: str, start: int, end: int, width: int = 140) -> str:
    """Return the sentence around a match; in a long sentence, the clause that holds it."""
    # A full stop inside a number ("€1.500") is not a sentence end: look for ". " and line breaks.
    stop = text.rfind(". ", 0, start)
    left = max(stop + 2 if stop != -1 else 0, text.rfind("\n", 0, start) + 1, text.rfind("•", 0, start) + 1)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    prefix = suffix = ""
    if right - left > width:
        c_left, c_right = _clause(text, left, right, start, end)
        prefix, suffix = ("…" if c_left > left else ""), ("…" if c_right < right else "")
        left, right = c_left, c_right
    if right - left > width:  # one endless clause: a window of words around the match
        if start - width // 2 > left:
            left = text.find(" ", start - width // 2, start) + 1 or start
            prefix = "…"
        if end + width // 2 < right:
            cut = text.rfind(" ", end, end + width // 2)
            right = cut if cut != -1 else end
            suffix = "…"
    return prefix + " ".join(text[left:right].split()).strip(" -•*:;,.") + suffix


_FR_WORDS = frozenset("le la les des du de et pour par nous vous avec une un est sont dans sur au aux votre notre nos vos".split())
_EN_WORDS = frozenset("the and for we you with a an is are in on to of our your will at".split())


def language(text: str) -> str:
    """"fr" or "en", from function words and French accents (enough to keep a quote in its post's language)."""
    words = re.findall(r"[a-z']+", normalise(text))
    fr = sum(w in _FR_WORDS for w in words) + sum(c in "éèêàçùœ" for c in text.lower())
    en = sum(w in _EN_WORDS for w in words)
    return "fr" if fr > en else "en"


_NUM = r"(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)\s*([kK])?"
_CUR = r"(€|eur|euros?|\$|usd|£|gbp|k€|k\$)"
_SALARY = re.compile(
    rf"(?:{_CUR}\s*)?{_NUM}\s*(?:{_CUR}\s*)?(?:-|–|—|to|a|à|et)\s*(?:{_CUR}\s*)?{_NUM}\s*(?:{_CUR})?",
    re.IGNORECASE,
)
_CURRENCY = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "k€": "EUR", "$": "USD", "usd": "USD",
             "k$": "USD", "£": "GBP", "gbp": "GBP"}


def _amount(number: str, kilo: str | None, currency: str | None) -> float:
    digits = re.sub(r"[ ,.\u00a0\u202f](?=\d{3}\b)", "", number).replace(",", ".")
    value = float(digits)
    if kilo or (currency or "").lower().startswith("k"):
        value *= 1000
    return value


def parse_salary(text: str) -> tuple[float, float, str] | None:
    """Find a yearly salary range written in a text ("€55,000 - €70,000", "45-55 k€", "$120k to $150k").

    Args:
        text: free text of a posting.

    Returns:
        (minimum, maximum, ISO currency) of the first plausible yearly range, or None.
        Ranges without a currency sign, or outside 10k-1M a year, are ignored (they are
        usually years of experience, headcounts or day rates).
    """
    for m in _SALARY.finditer(text):
        c1, n1, k1, c2, c3, n2, k2, c4 = m.groups()
        currency = next((c for c in (c1, c2, c3, c4) if c), None)
        if currency is None:
            continue
        kilo_both = k1 or k2  # "45-55k" means 45k-55k
        low = _amount(n1, k1 or kilo_both, currency if currency.lower().startswith("k") else None)
        high = _amount(n2, k2 or kilo_both, currency if currency.lower().startswith("k") else None)
        if low > high:
            low, high = high, low
        if 10_000 <= low <= 1_000_000 and 10_000 <= high <= 1_000_000 and high <= 3 * low:
            return low, high, _CURRENCY.get(currency.lower(), currency.upper())
    return None


_SENIORITY = (
    ("intern", r"\b(?:intern|internship|stagiaire|stage|alternan\w*|apprenti\w*)\b"),
    ("lead", r"\b(?:lead|staff|principal|head of|director|directeur|directrice|vp)\b"),
    ("senior", r"\b(?:senior|sr\.?|confirme|experimente)\b"),
    ("junior", r"\b(?:junior|jr\.?|graduate|entry[- ]level|debutant)\b"),
)


def seniority(title: str) -> str:
    """Return the seniority a job title states: intern, junior, senior, lead, or "mid" when none."""
    norm = normalise(title)
    for label, pattern in _SENIORITY:
        if re.search(pattern, norm):
            return label
    return "mid"
