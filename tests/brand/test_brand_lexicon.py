"""Tests the brand lexicon: EN/FR themes, negation, salary ranges written in text, seniority, hashtags."""

from __future__ import annotations

import pytest

from ranking.brand.drafting import LIMITS, fit, hashtag, similarity
from ranking.brand.lexicon import find_themes, parse_salary, seniority


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("We work a 4-day week at full pay.", "four_day_week"),
        ("Semaine de 4 jours pour toute l'équipe.", "four_day_week"),
        ("We are remote-first.", "remote"),
        ("Télétravail jusqu'à 3 jours par semaine.", "remote"),
        ("A yearly learning budget of €1,500.", "learning_budget"),
        ("Budget formation de 2 000 €.", "learning_budget"),
        ("BSPCE pour tous les salariés.", "equity"),
        ("Congé parental de 16 semaines.", "parental_leave"),
        ("Our salary bands are public.", "salary_transparency"),
    ],
)
def test_theme_found_in_english_and_french(text, theme):
    found = find_themes(text)
    assert theme in found
    assert found[theme].snippet  # the sentence that states it, for evidence


def test_negated_phrase_is_not_a_claim():
    found = find_themes("This role is not remote. Pas de télétravail. We offer a learning budget.")
    assert "remote" not in found
    assert "learning_budget" in found


def test_snippet_keeps_original_spelling_and_accents():
    found = find_themes("Avantages : télétravail 2 jours par semaine. Mutuelle.")
    assert found["remote"].phrase == "télétravail"
    assert found["remote"].snippet == "Avantages : télétravail 2 jours par semaine"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Salary: €55,000 - €70,000 a year", (55000.0, 70000.0, "EUR")),
        ("Salaire 45-55 k€ selon profil", (45000.0, 55000.0, "EUR")),
        ("$120k to $150k plus equity", (120000.0, 150000.0, "USD")),
        ("Rémunération : 45 000 € - 55 000 €", (45000.0, 55000.0, "EUR")),
        ("entre 45 et 55 k€ brut", (45000.0, 55000.0, "EUR")),
        ("3-5 years of experience", None),
        ("2 to 3 days in the office", None),
        ("Day rate €500 - €650", None),  # a day rate is not a yearly salary
    ],
)
def test_parse_salary(text, expected):
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    ("title", "level"),
    [("Senior Backend Engineer", "senior"), ("Développeur confirmé", "senior"), ("Data Analyst", "mid"),
     ("Stagiaire Data", "intern"), ("Staff Engineer", "lead"), ("Junior QA", "junior")],
)
def test_seniority(title, level):
    assert seniority(title) == level


@pytest.mark.parametrize(
    ("phrase", "tag"),
    [("remote-first", "#RemoteFirst"), ("4-day week", "#4DayWeek"), ("C++", "#Cpp"), ("PostgreSQL", "#PostgreSQL"),
     ("semaine de 4 jours", "#SemaineDe4Jours"), ("télétravail", "#Teletravail"), ("42", None), ("", None)],
)
def test_hashtag(phrase, tag):
    assert hashtag(phrase) == tag


@pytest.mark.parametrize("platform", ["x", "linkedin", "instagram"])
def test_fit_respects_limit_even_with_huge_lines(platform):
    limit = LIMITS[platform]
    lines = ["word " * 900, "middle " * 400, "Apply: https://jobs.example.org/acme/4001"]
    text, tags = fit(lines, ["#Hiring", "#Python"], limit)
    assert len(text) <= limit
    assert text.endswith("https://jobs.example.org/acme/4001") or "…" in text


def test_fit_keeps_everything_when_it_fits():
    text, tags = fit(["Hello.", "Apply: https://x.test/1"], ["#A1", "#B2"], 280)
    assert text == "Hello.\n\nApply: https://x.test/1\n\n#A1 #B2"
    assert tags == ["#A1", "#B2"]


def test_similarity_ignores_links_hashtags_and_given_words():
    a = "We're hiring a backend engineer https://a.test/1 #Python"
    b = "We're hiring a data analyst https://b.test/2 #SQL"
    assert similarity(a, a) == 1.0
    # content words: {hiring, backend, engineer} vs {hiring, data, analyst}: 1 shared of 5
    assert similarity(a, b) == pytest.approx(0.2)
    assert similarity(a, b, ignore={"hiring"}) == 0.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [("What we offer: a 4-day week (32 hours, full salary)", "en"),
     ("Télétravail deux jours par semaine, budget formation, tickets restaurant", "fr"),
     ("Semaine de 4 jours pour toute l'équipe", "fr"), ("Remote within the EU", "en")],
)
def test_language_of_a_quote(text, lang):
    from ranking.brand.lexicon import language

    assert language(text) == lang
