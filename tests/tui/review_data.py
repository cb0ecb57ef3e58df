"""Provides fixed review data for the TUI tests and the benchmark: a job, people, a ranking.

Deterministic on purpose (fixed fetch times, fixed scores) so snapshots do not
change with the clock. Populates the store directly with `save_ranking`, so the
review app is tested without depending on the ranker.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sourcing.models import ProfileRecord, RankedCandidate

FETCHED = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)

JOB_DESCRIPTION = """Senior Backend Engineer (Python)

Requirements
- 5+ years of backend development in Python
- Django or Flask in production
- PostgreSQL

Nice to have
- Celery
- Docker
"""

PEOPLE: list[dict[str, Any]] = [
    {"name": "Inès Marchand", "email": "ines@example.org", "headline": "Senior Backend Engineer (Python, Django)",
     "location": "Paris, France", "remote": True, "skills": ["Python", "Django", "PostgreSQL", "Celery"],
     "summary": "Eight years of Python; Django REST APIs on PostgreSQL.", "score": 0.842},
    {"name": "Tomasz Kowal", "email": "tomasz@example.org", "headline": "Backend developer — Python & FastAPI",
     "location": "Lyon, France", "remote": False, "skills": ["Python", "FastAPI", "PostgreSQL", "Docker"],
     "summary": "Five years of FastAPI and Flask services.", "score": 0.731},
    {"name": "[bold red]X[/]", "email": "x@example.org", "headline": "Python dev [link=https://evil.example]click[/link]",
     "location": "Remote", "remote": True, "skills": ["Python", "Django"],
     "summary": "I write [bold]Django[/bold] apps.", "score": 0.655},
    {"name": "Julie Bernard", "email": "julie@example.org", "headline": "Frontend engineer — React, TypeScript",
     "location": "Lyon, France", "remote": False, "skills": ["React", "TypeScript", "CSS"],
     "summary": "React dashboards and accessibility audits.", "score": 0.412},
    {"name": "Amélie Dubois", "email": "amelie@example.org", "headline": "Cheffe pâtissière",
     "location": "Bordeaux, France", "remote": False, "skills": ["Pâtisserie"],
     "summary": "Cheffe pâtissière depuis 9 ans.", "score": 0.128},
]

MUSTS = ["5+ years of backend development in Python", "Django or Flask in production", "PostgreSQL"]
NICES = ["Celery", "Docker"]


def explanation(person: dict[str, Any]) -> dict[str, Any]:
    """An explanation in the ranker's format, derived from the person's skills."""
    skills = {s.lower() for s in person["skills"]}
    rules = {MUSTS[0]: {"python"}, MUSTS[1]: {"django", "flask"}, MUSTS[2]: {"postgresql"},
             "Celery": {"celery"}, "Docker": {"docker"}}
    reqs = []
    for text, kind in [(m, "must") for m in MUSTS] + [(n, "nice") for n in NICES]:
        hit = sorted(s for s in person["skills"] if s.lower() in rules[text])
        reqs.append({"text": text, "kind": kind, "matched": bool(hit),
                     "evidence": [person["summary"]] if hit else [], "skills": hit})
    matched = sorted({s for r in reqs for s in r["skills"]})
    return {
        "requirements": reqs,
        "matched_skills": matched,
        "missing_must": [r["text"] for r in reqs if r["kind"] == "must" and not r["matched"]],
        "components": {"dense": round(person["score"] * 0.9, 3), "lexical": 0.2, "skills": round(len(matched) / 4, 3)},
        "headline": f"{len(matched)} of the job's skills matched" if matched else "No required skill matched",
        "location": "Paris, France (hybrid)",
    }


def populate(store: Any, people: list[dict[str, Any]] | None = None) -> tuple[int, list[int]]:
    """Add the job, people and ranking to `store`; return `(job_id, candidate ids best first)`."""
    people = PEOPLE if people is None else people
    job_id = store.add_job("Senior Backend Engineer (Python)", JOB_DESCRIPTION, company="Brightwave Labs",
                           location="Paris, France")
    ranked = []
    ids = []
    for i, p in enumerate(people):
        res = store.upsert_profile(ProfileRecord(
            source_kind="jsonresume", source_key="jsonresume:demo", external_id=f"person-{i}",
            name=p["name"], email=p["email"], url=f"https://resumes.example.org/person-{i}.json",
            headline=p["headline"], location=p["location"], remote=p["remote"], summary=p["summary"],
            skills=p["skills"], fetched_at=FETCHED,
        ))
        ids.append(res.candidate_id)
        ranked.append(RankedCandidate(res.candidate_id, p["score"], {"dense": p["score"]}, explanation(p)))
    store.save_ranking(job_id, "fake", ranked)
    return job_id, ids


def populate_many(store: Any, n: int) -> tuple[int, list[int]]:
    """A job ranked against `n` synthetic people (for the benchmark and the large-pool test)."""
    base = [p for p in PEOPLE if not p["name"].startswith("[")]
    people = []
    for i in range(n):
        b = base[i % len(base)]
        people.append({**b, "name": f"{b['name']} {i}", "email": f"p{i}@example.org",
                       "score": round(1.0 - i / (n + 1), 4)})
    with store.batch():
        return populate(store, people)
