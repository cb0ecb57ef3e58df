"""The shared date parser, pay reader and workplace model, on the formats real sources send."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sourcing.dates import parse_datetime
from sourcing.models import JobPosting
from sourcing.pay import parse_pay
from spiders.parsers.common import workplace


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=timezone.utc)


@pytest.mark.parametrize("value, expected", [
    ("2026-08-11 20:45:29 UTC", utc(2026, 8, 11, 20, 45, 29)),  # Recruitee published_at
    ("2024-03-12T10:15:00-04:00", utc(2024, 3, 12, 14, 15)),  # Greenhouse first_published
    ("2025-06-06T18:36:29.484+00:00", utc(2025, 6, 6, 18, 36, 29, 484000)),  # Ashby publishedAt
    ("2024-01-15T10:39:27.837Z", utc(2024, 1, 15, 10, 39, 27, 837000)),  # SmartRecruiters releasedDate
    ("2024-01-15", utc(2024, 1, 15)),  # Workable published_on, JSON-LD datePosted
    (1711403416463, utc(2024, 3, 25, 21, 50, 16, 463000)),  # Lever createdAt (ms)
    (1700000000, utc(2023, 11, 14, 22, 13, 20)),  # Arbeitnow created_at, HN created_at_i (s)
    ("1700000000", utc(2023, 11, 14, 22, 13, 20)),  # RemoteOK epoch as a string
    ("Tue, 15 Nov 1994 08:12:31 GMT", utc(1994, 11, 15, 8, 12, 31)),  # RFC 2822
    ("2024-05-02 09:00:00 CEST", utc(2024, 5, 2, 7)),
    ("2011-01-25T18:44:36Z", utc(2011, 1, 25, 18, 44, 36)),  # GitHub created_at
    ("March 2012", utc(2012, 3, 1)),
])
def test_real_date_formats(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize("value", [None, "", "not a date", "15", True, "15 March", 10**20, "-"])
def test_what_is_not_a_date_gives_none(value):
    assert parse_datetime(value) is None


@pytest.mark.parametrize("text, expected", [
    ("$139,200—$235,200 USD", (139200.0, 235200.0, "USD", None)),  # Greenhouse content pay range
    ("Salary: €50.000 – €60.000 per year", (50000.0, 60000.0, "EUR", "year")),
    ("£91K – £115K + Equity", (91000.0, 115000.0, "GBP", None)),
    ("USD 120k-150k annually", (120000.0, 150000.0, "USD", "year")),
    ("Compensation $65/hr", (65.0, 65.0, "USD", "hour")),
    ("55.000 - 65.000 EUR brutto jährlich", (55000.0, 65000.0, "EUR", "year")),
])
def test_pay_ranges_in_words(text, expected):
    pay = parse_pay(text)
    assert (pay.min, pay.max, pay.currency, pay.period) == expected


@pytest.mark.parametrize("text", [
    "We raised $50M in our Series B", "401k matching", "5+ years of Python", "Our office has 120 people",
    "We serve $2 billion in payments",
])
def test_what_is_not_pay(text):
    assert parse_pay(text) is None


def test_a_lone_amount_needs_a_pay_word_unless_the_field_is_about_pay():
    assert parse_pay("Budget of $1,500 for books") is None
    assert parse_pay("€55,000", require_context=False).min == 55000.0


@pytest.mark.parametrize("label, remote, expected", [
    ("Hybrid", True, "hybrid"),  # Ashby: isRemote true on hybrid postings
    ("Remote", None, "remote"), ("OnSite", False, "onsite"), ("on-site", None, "onsite"), ("hybrid", None, "hybrid"),
    ("TELECOMMUTE", None, "remote"), ("on_site", None, "onsite"), ("unspecified", True, "remote"),
    ("unspecified", None, None), (None, False, None), (None, True, "remote"),
])
def test_workplace_labels(label, remote, expected):
    assert workplace(label, remote=remote) == expected


def test_the_remote_flag_follows_the_workplace():
    assert JobPosting("k", "1", "t", workplace="hybrid", remote=True).remote is False
    assert JobPosting("k", "1", "t", workplace="remote").remote is True
    assert JobPosting("k", "1", "t", remote=True).workplace == "remote"
    assert JobPosting("k", "1", "t", remote=False).workplace is None  # not remote says nothing about hybrid
    with pytest.raises(ValueError, match="workplace must be one of"):
        JobPosting("k", "1", "t", workplace="sometimes")


@pytest.mark.parametrize("text", [
    "- Personal Growth: We support your development with an individual growth budget of €1,500 or 2% of your base salary.",
    "Salary and benefits: €500 home-office allowance, €1,000 learning budget",
    "We offer a competitive salary plus a $2,000 signing bonus",
])
def test_benefit_amounts_are_not_pay(text):
    """Moonfare (Arbeitnow recording): a growth budget on a line that also says "salary" was stored as EUR 1,500."""
    assert parse_pay(text) is None


def test_pay_beside_a_benefit_is_still_found():
    pay = parse_pay("Salary: €60,000 – €75,000 per year, plus a €1,000 learning budget")
    assert (pay.min, pay.max, pay.currency, pay.period) == (60000.0, 75000.0, "EUR", "year")


@pytest.mark.parametrize("low, high, currency, period, expected", [
    ("75.00", "95.00", "usd", "year", (75000.0, 95000.0, "USD", "year", "75.00–95.00 USD per year (stated in thousands)")),
    (3750, 5250, "EUR", "month", (3750.0, 5250.0, "EUR", "month", "3750–5250 EUR per month")),  # monthly pay is not scaled
    ("120k", None, "GBP", "year", (120000.0, None, "GBP", "year", "120k GBP per year")),
    ("95000", "75000", "USD", None, (75000.0, 95000.0, "USD", None, "95000–75000 USD")),  # swapped bounds put in order
    (None, "", "EUR", "year", None), ("competitive", None, "EUR", "year", None), (True, None, None, None, None),
])
def test_structured_pay_fields(low, high, currency, period, expected):
    from sourcing.pay import structured_pay

    pay = structured_pay(low, high, currency, period)
    assert (pay and (pay.min, pay.max, pay.currency, pay.period, pay.text)) == expected
