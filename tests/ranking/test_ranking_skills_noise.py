"""Skills extraction does not turn places, country codes, ambiguous labels or sector words into skills."""

from __future__ import annotations

import pytest

from ranking.skills import extract_skills


@pytest.mark.parametrize(
    "text, expected",
    [
        ("dbt, Snowflake, Python, Airflow", ["dbt", "Snowflake", "Python", "Airflow"]),
        ("Skills: Python, Django, Django REST framework, PostgreSQL, pytest, Celery, Docker.",
         ["Python", "Django", "PostgreSQL", "pytest", "Celery", "Docker"]),
        ("Automated testing with pytest", ["pytest"]),
        ("Tests automatisés avec pytest et Celery", ["pytest", "Celery"]),
        ("Anglais courant, français natif", ["English", "French"]),
        ("Comptabilité et Excel", ["Accounting", "Excel"]),
        ("C, C++, C#, R", ["C", "C++", "C#", "R"]),
        ("J'écris du C et du R", ["C", "R"]),
        ("SEO and NLP", ["search engine optimization", "natural language processing"]),
    ],
)
def test_tools_and_languages_are_found(text, expected):
    assert extract_skills(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Paris, FR",  # "paris" is ESCO's French label for betting; FR is a country code
        "Location: Paris, FR. Lieu : Lyon, France",
        "Based in Madrid, ES",
        "We sell SaaS to energy and logistics companies.",  # sector words; SaaS is an ambiguous alt label
        "Customer success for a SaaS platform: onboarding, renewals, QBRs.",
        "Rencontres avec les équipes, administration des comptes",  # "avec" / "administration" are alt labels
        "Offices in Ciudad de México, MX and Málaga, ES",  # country codes outside a location field
        "J'écris des tests. C'est utile. D'abord R&D.",  # elided French words are not J, C or D
    ],
)
def test_noise_is_not_a_skill(text):
    assert extract_skills(text) == []


def test_location_field_is_skipped_but_the_rest_of_the_text_is_read():
    assert extract_skills("Location: Paris, FR\nPython and Docker") == ["Python", "Docker"]


def test_two_letter_initials_need_their_casing():
    assert extract_skills("HR and BI") == ["HR", "BI"]
    assert extract_skills("hr and bi") == []


def test_acronym_alt_labels_need_their_casing():
    assert extract_skills("ETL pipelines") == ["data extraction, transformation and loading tools"]
    assert extract_skills("etl") == []
