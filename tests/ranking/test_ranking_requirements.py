"""Requirement matching on the shapes seen in the demo: named tools, "X or Y", "X and Y", EN and FR."""

from __future__ import annotations

from ranking.explain import requirement_report, skill_coverage
from ranking.jobspec import parse_job
from ranking.profile_text import build_candidate_text

JOB_EN = """Requirements:
- 5+ years of Python
- Automated testing with pytest
Nice to have:
- Celery or another task queue
- Docker and Kubernetes
"""

JOB_FR = """Profil recherché :
- 5 ans d'expérience en Python
- Tests automatisés avec pytest
Les plus :
- Celery ou une autre file de tâches
- Docker et Kubernetes
"""

INES_EN = {
    "id": 7, "name": "Inès Marchand",
    "profiles": [{
        "source_kind": "jsonresume", "headline": "Backend developer",
        "summary": "Six years building Django services. I write thorough pytest suites.",
        "text": "Skills: Python, Django, Django REST framework, PostgreSQL, pytest, Celery, Docker.",
    }],
}

INES_FR = {
    "id": 8, "name": "Inès Marchand",
    "profiles": [{
        "source_kind": "jsonresume", "headline": "Développeuse backend",
        "summary": "Six ans de services Django. J'écris des suites pytest complètes.",
        "text": "Compétences : Python, Django, PostgreSQL, pytest, Celery, Docker.",
    }],
}


def _by_text(report):
    return {r["text"]: r for r in report}


def _report(job, cand):
    spec = parse_job("Senior Backend Engineer (Python)", job)
    ct = build_candidate_text(cand)
    return spec, ct, requirement_report(spec, ct)


def test_named_tools_in_the_profile_are_matched_with_evidence_en():
    _spec, _ct, report = _report(JOB_EN, INES_EN)
    r = _by_text(report)
    assert r["Automated testing with pytest"]["matched"] is True
    assert r["Automated testing with pytest"]["found_skills"] == ["pytest"]
    assert any("pytest" in e for e in r["Automated testing with pytest"]["evidence"])
    assert r["Celery or another task queue"]["matched"] is True
    assert any("Celery" in e for e in r["Celery or another task queue"]["evidence"])


def test_named_tools_in_the_profile_are_matched_with_evidence_fr():
    _spec, _ct, report = _report(JOB_FR, INES_FR)
    r = _by_text(report)
    assert r["Tests automatisés avec pytest"]["matched"] is True
    assert r["Celery ou une autre file de tâches"]["matched"] is True
    assert r["5 ans d'expérience en Python"]["matched"] is True


def test_and_requirement_is_partly_matched_with_a_note():
    for job, cand, text in ((JOB_EN, INES_EN, "Docker and Kubernetes"), (JOB_FR, INES_FR, "Docker et Kubernetes")):
        spec, ct, report = _report(job, cand)
        r = _by_text(report)[text]
        assert r["matched"] is True and r["partial"] is True
        assert r["found_skills"] == ["Docker"]
        assert r["note"] == "Kubernetes not found"
        assert any("Docker" in e for e in r["evidence"])
        # Half of the requirement is met: coverage lies between "all met" and "this one missing".
        cov = skill_coverage(spec, report, ct)
        assert 0.0 < cov < 1.0


def test_or_requirement_is_met_by_either_and_missing_has_no_evidence():
    spec = parse_job("Backend", "Requirements:\n- Python or Go\n- Rust and Kubernetes\n")
    ct = build_candidate_text({"id": 1, "profiles": [{"source_kind": "github", "text": "I write Go services."}]})
    r = _by_text(requirement_report(spec, ct))
    assert r["Python or Go"]["matched"] is True and not r["Python or Go"].get("partial")
    assert r["Rust and Kubernetes"]["matched"] is False
    assert r["Rust and Kubernetes"]["evidence"] == [] and "note" not in r["Rust and Kubernetes"]


def test_a_skill_seen_only_in_a_sentence_counts():
    spec = parse_job("QA", "Requirements:\n- Automated testing with pytest\n")
    ct = build_candidate_text({"id": 2, "profiles": [{"source_kind": "hn", "text": "I write thorough pytest suites."}]})
    (r,) = requirement_report(spec, ct)
    assert r["matched"] is True and r["evidence"] == ["I write thorough pytest suites."]


def test_evidence_prefers_the_persons_own_words_to_the_skills_list():
    _spec, _ct, report = _report(JOB_EN, INES_EN)
    r = _by_text(report)["Automated testing with pytest"]
    assert r["evidence"][0] == "I write thorough pytest suites."


def test_a_specific_database_shows_sql():
    spec = parse_job("Backend", "Requirements:\n- PostgreSQL and SQL performance tuning\n")
    ct = build_candidate_text({"id": 3, "profiles": [{"source_kind": "jsonresume", "skills": ["Python", "PostgreSQL"]}]})
    (r,) = requirement_report(spec, ct)
    assert r["matched"] is True and not r.get("partial")
    assert r["found_skills"] == ["PostgreSQL", "SQL"]
    assert r["evidence"] == ["Skills: Python, PostgreSQL."]
