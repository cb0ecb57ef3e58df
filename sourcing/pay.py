"""Provides `parse_pay`: the pay a posting states in words, as numbers, currency and period.

Boards state pay as structured fields (Ashby, Lever `salaryRange`, Recruitee),
as a free-text field (Lever `salaryDescriptionPlain`, Personio `salaryInformation`)
or inside the description (Greenhouse `content`: `$139,200—$235,200 USD`). The
text forms are read here: an amount needs a currency (symbol or ISO code) next to
it, so "401k", "5 years" or "Series B" are never pay; "$50M raised" is not pay
either. A single amount counts only on a line that talks about pay; a range
(`€50.000 – €60.000`, `USD 120k-150k`) counts anywhere. An amount that is a
benefit (`a growth budget of €1,500`, `€500 home-office allowance`) is not pay,
even on a line that also says "salary".

`structured_pay` reads the boards' own salary fields (Recruitee `salary`, Lever
`salaryRange`, Ashby components, schema.org `baseSalary`): numbers may arrive as
strings (`"75.00"`), and a yearly amount under 1,000 is the thousands shorthand
(Recruitee's Aikido board states `75.00`–`95.00` USD a year for $75k–$95k); the
amounts as stated are kept in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "kr": "SEK"}
_CODES = "USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|CZK|JPY|INR|SGD|BRL|MXN|ILS|HKD|ZAR"
_CUR = rf"(?:(?:US|CA|AU|NZ|HK|S)?\$|€|£|¥|₹|\b(?:{_CODES})\b)"
_NUM = r"\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_AMOUNT = rf"(?:{_CUR}\s?)?(?:{_NUM})\s?(?:[kK]\b)?(?:\s?{_CUR})?"
_RANGE = re.compile(
    rf"(?P<a>{_AMOUNT})\s*(?:-|–|—|−|~|to|bis|à|and)\s*(?P<b>{_AMOUNT})(?!\s?(?:m|mm|million|b|bn|billion)\b)",
    re.I,
)
_SINGLE = re.compile(rf"(?P<a>{_AMOUNT})(?!\s?(?:m|mm|million|b|bn|billion)\b)", re.I)
_PAY_WORDS = re.compile(
    r"salary|salaire|gehalt|pay\b|compensation|remuneration|rémunération|vergütung|base\b|ote\b|wage|stipend|rate\b"
    r"|per (?:year|annum|month|hour|day)|/ ?(?:yr|year|h|hr|hour|month|mo)\b|annual|brutto|gross",
    re.I,
)
_PERIODS = [
    ("hour", r"per hour|an hour|/ ?h(?:ou)?r?\b|hourly|stundenlohn|de l'heure|par heure"),
    ("day", r"per day|a day|/ ?day\b|daily|day rate|par jour|tagessatz"),
    ("month", r"per month|a month|/ ?mo(?:nth)?\b|monthly|monatlich|par mois|mensuel"),
    ("year", r"per year|a year|per annum|/ ?y(?:ea)?r\b|annual|annually|yearly|p\.a\.|jährlich|par an|annuel|brut annuel"),
]


# A benefit named just before an amount ("growth budget of €1,500") or just after it ("€500 allowance").
_BENEFIT_BEFORE = re.compile(r"(?:budget|allowance|bonus|voucher|subsidy|reimburse\w*|stipend for|credit)\b[^.;:]{0,20}$", re.I)
_BENEFIT_AFTER = re.compile(r"^\s*(?:per (?:employee|person)\s+)?(?:for\s+)?(?:\w+[- ]){0,2}(?:budget|allowance|bonus|voucher|subsidy)\b", re.I)


def _is_benefit(line: str, start: int, end: int) -> bool:
    return bool(_BENEFIT_BEFORE.search(line[max(0, start - 40):start]) or _BENEFIT_AFTER.search(line[end:end + 40]))


@dataclass
class Pay:
    """Pay as a posting states it: bounds (None when unstated), ISO currency, period, and the text."""

    min: float | None
    max: float | None
    currency: str | None
    period: str | None
    text: str


def _currency(text: str) -> str | None:
    m = re.search(_CUR, text, re.I)
    if not m:
        return None
    token = m.group(0).upper()
    if token.endswith("$") and len(token) > 1:
        return {"US$": "USD", "CA$": "CAD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD"}.get(token, "USD")
    return _SYMBOLS.get(m.group(0), token if len(token) == 3 else None)


def _number(amount: str) -> float | None:
    m = re.search(_NUM, amount)
    if not m:
        return None
    digits = m.group(0).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    # "139,200" / "50.000" group thousands; "52.5" / "52,5" are decimals.
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", digits):
        value = float(re.sub(r"[,.]", "", digits))
    elif re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+[.,]\d{1,2}", digits):
        value = float(re.sub(r"[,.]", "", digits[:-3]) + "." + digits[-2:].lstrip(".,"))
    else:
        value = float(digits.replace(",", "."))
    if re.search(r"\d\s?[kK]\b", amount):
        value *= 1000
    return value


def _period(text: str) -> str | None:
    for name, pattern in _PERIODS:
        if re.search(pattern, text, re.I):
            return name
    return None


def parse_pay(text: str | None, *, require_context: bool = True) -> Pay | None:
    """Find the first stated pay in `text`.

    Args:
        text: plain text (a salary field, or a description already converted from HTML).
        require_context: a lone amount (no range) counts only on a line naming pay
            ("Salary: €55,000"); False for fields that are about pay by definition.

    Returns:
        A `Pay`, or None when the text states no pay.
    """
    if not text:
        return None
    for line in text.splitlines():
        if not re.search(_CUR, line, re.I):
            continue
        for m in _RANGE.finditer(line):
            a, b = m.group("a"), m.group("b")
            if not (re.search(_CUR, a, re.I) or re.search(_CUR, b, re.I)):
                continue
            lo, hi = _number(a), _number(b)
            if lo is None or hi is None:
                continue
            if re.search(r"\d\s?[kK]\b", b) and not re.search(r"\d\s?[kK]\b", a) and lo < 1000:
                lo *= 1000  # "120-150k"
            if lo > hi or _is_benefit(line, m.start(), m.end()):
                continue
            return Pay(lo, hi, _currency(m.group(0)), _period(line), line.strip())
        if require_context and not _PAY_WORDS.search(line):
            continue
        for m in _SINGLE.finditer(line):
            if not re.search(_CUR, m.group("a"), re.I):
                continue
            value = _number(m.group("a"))
            if value is None or _is_benefit(line, m.start(), m.end()):
                continue
            return Pay(value, value, _currency(m.group(0)), _period(line), line.strip())
    return None


def _amount(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value or "").strip()
    return _number(text) if text and re.fullmatch(rf"(?:{_CUR}\s?)?(?:{_NUM})\s?(?:[kK])?", text, re.I) else None


def structured_pay(low: object, high: object, currency: object = None, period: object = None) -> Pay | None:
    """Pay from a board's own salary fields (numbers or numeric strings), or None when no amount is given.

    Args:
        low: the stated minimum (`75000`, `"75.00"`, `"75k"`, None).
        high: the stated maximum.
        currency: the ISO code as sent (upper-cased here).
        period: the period as the caller normalised it ("year", "month", "hour", "day") or None.

    Returns:
        A `Pay` whose text states the amounts as the board sent them; yearly amounts
        under 1,000 are read as thousands.
    """
    lo, hi = _amount(low), _amount(high)
    if lo is None and hi is None:
        return None
    cur = str(currency).strip().upper() if currency not in (None, "") else None
    per = str(period).strip().lower() if period not in (None, "") else None
    stated = "–".join(str(v).strip() for v in (low, high) if v not in (None, ""))
    text = " ".join(p for p in (stated, cur, f"per {per}" if per else None) if p)
    if per == "year" and max(v for v in (lo, hi) if v is not None) < 1000:
        lo, hi = (v * 1000 if v is not None else None for v in (lo, hi))
        text += " (stated in thousands)"
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Pay(lo, hi, cur, per, text)
