"""Benefit, pay and offer sections never become requirements (English and French)."""

from __future__ import annotations

import pytest

from ranking.jobspec import parse_job


def _texts(spec):
    return [r.text for r in spec.requirements]


def test_trailing_perks_line_after_nice_to_have_is_not_a_requirement():
    desc = ("Requirements\n5+ years of backend development in Python\nAutomated testing with pytest\n\n"
            "Nice to have\nCelery or another task queue\nDocker and Kubernetes\n\n"
            "Learning budget of 1,500 EUR a year, 4-day week option, salary range 65-80k EUR.\n")
    spec = parse_job("Senior Backend Engineer (Python)", desc)
    assert _texts(spec) == ["5+ years of backend development in Python", "Automated testing with pytest",
                            "Celery or another task queue", "Docker and Kubernetes"]


@pytest.mark.parametrize("heading", ["What we offer", "Benefits", "Perks:", "Why join us?", "Compensation"])
def test_english_offer_sections_end_the_requirements(heading):
    desc = f"Requirements:\n- Python\n- PostgreSQL\n{heading}\n- Docker-based dev setup on a new laptop\n- Team lunches\n"
    spec = parse_job("Backend engineer", desc)
    assert _texts(spec) == ["Python", "PostgreSQL"]


@pytest.mark.parametrize("heading", ["Nous offrons", "Avantages", "Ce que nous proposons :", "Pourquoi nous rejoindre ?",
                                     "Ce que nous vous offrons"])
def test_french_offer_sections_end_the_requirements(heading):
    desc = f"Profil recherché :\n- Python\n- Django\n{heading}\n- Un environnement Linux et Docker\n- Mutuelle\n"
    spec = parse_job("Développeur Python", desc)
    assert _texts(spec) == ["Python", "Django"]


@pytest.mark.parametrize("line", [
    "Salary range 65-80k EUR",
    "Up to $120k plus equity",
    "Salaire : 45-55 k€ selon expérience",
    "Budget formation, tickets restaurant, mutuelle",
    "4-day week option and 30 days off",
])
def test_pay_and_benefit_lines_inside_requirements_are_skipped(line):
    spec = parse_job("Data Engineer", f"Requirements:\n- Python and SQL\n- {line}\n- Airflow\n")
    assert _texts(spec) == ["Python and SQL", "Airflow"]


def test_benefits_are_skipped_without_headings_too():
    spec = parse_job("Data Engineer", "- Python and SQL\n- Salary 60-70k EUR\n- dbt is a plus\n")
    assert _texts(spec) == ["Python and SQL", "dbt is a plus"]
    assert [r.kind for r in spec.requirements] == ["must", "nice"]


def test_requirements_that_mention_scale_numbers_stay():
    spec = parse_job("SRE", "Requirements:\n- Scaled services to 10k requests per second\n- Kubernetes\n")
    assert _texts(spec) == ["Scaled services to 10k requests per second", "Kubernetes"]
