"""The re-rank's fast paths give what their definitions give (issue 11: per-candidate Python cut).

- requirement reports worked out once per job equal `match_requirement` on every requirement;
- the first sentence naming a skill equals the covering loop it shortcuts;
- the cache keys stored with the derived features are the texts' hashes;
- the lexical list reads only rare enough words (`lexical_terms`, `term_doc_counts`) on a real SQLite file.
"""

from __future__ import annotations

import pytest

from ranking_helpers import DJANGO_JOB_EN, backend_profile, frontend_profile, pastry_profile

JOBS = [
    ("Senior Python Backend Engineer (Django)", DJANGO_JOB_EN, "Paris"),
    ("Data engineer", "Requirements:\n- Spark and Airflow\n- Python or Go\n- SQL\n- clear written communication with "
     "stakeholders\n- Fluent French\nNice to have:\n- Docker, Kubernetes\n- MySQL", "Berlin, Germany"),
]


def _people():
    from ranking.profile_text import build_candidate_text

    records = [
        backend_profile(),
        pastry_profile(),
        frontend_profile(),
        backend_profile("dan", skills=["Go", "MySQL", "Airflow"], summary="He writes Airflow DAGs and Spark jobs; SQL daily.",
                        languages=["French"], location="Berlin"),
        frontend_profile("eve", skills=["Docker", "Kubernetes", "Spark"],
                         summary="Skills: Docker. She runs Docker and Kubernetes clusters. Clear written communication "
                                 "with stakeholders is her job."),
    ]
    out = []
    for i, r in enumerate(records, start=1):
        cand = {"id": i, "name": r.name, "headline": r.headline, "location": r.location,
                "profiles": [{"id": i, "source_kind": r.source_kind, "payload": r.__dict__, **r.__dict__}]}
        out.append(build_candidate_text(cand))
    return out


@pytest.mark.parametrize("job", JOBS, ids=["django", "data"])
def test_requirement_reports_equal_matching_each_requirement(job):
    from ranking.explain import _candidate_languages, match_requirement, requirement_report
    from ranking.jobspec import parse_job

    spec = parse_job(job[0], job[1], location=job[2])
    people = _people()
    assert any(r.skills for r in spec.requirements)
    seen_evidence = seen_partial = 0
    for cand in people:
        skillset = {s.lower() for s in cand.skills}
        want = [match_requirement(r, cand, skillset, _candidate_languages(cand)) for r in spec.requirements]
        got = requirement_report(spec, cand)
        assert got == want
        assert requirement_report(spec, cand) == want  # again, from the per-job and per-candidate caches
        seen_evidence += sum(bool(r["evidence"]) for r in got)
        seen_partial += sum(bool(r.get("partial")) for r in got)
    assert seen_evidence and (job[0] == JOBS[0][0] or seen_partial)  # the cases the fast path shortcuts are exercised


def test_the_first_sentence_naming_a_skill_is_what_the_covering_loop_picks():
    from ranking.explain import _covering, _evidence_for

    checked = 0
    for cand in _people():
        for skill in {s.lower() for e in cand.evidence for s in e.skills} | {"nothing-like-this"}:
            assert _evidence_for(cand, {skill}) == _covering(cand, {skill})
            checked += 1
    assert checked > 10


def test_a_changed_job_is_matched_with_its_new_requirements():
    from ranking.explain import requirement_report
    from ranking.jobspec import parse_job

    cand = _people()[0]
    spec = parse_job("Job", "Requirements:\n- Django\n")
    assert [r["matched"] for r in requirement_report(spec, cand)] == [True]
    spec.must = parse_job("Job", "Requirements:\n- Kotlin\n").must  # the cached per-job form must not be reused
    assert [r["text"] for r in requirement_report(spec, cand)] == ["Kotlin"]
    assert [r["matched"] for r in requirement_report(spec, cand)] == [False]


def test_stored_cache_keys_are_the_hashes_of_the_stored_texts(pool_store, fake_encoder):
    from ranking.features import load_derived
    from ranking.service import rank_job
    from ranking.text import text_hash

    rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder)
    derived = load_derived(pool_store, list(pool_store.ids.values()), False)
    assert len(derived) == 3
    for d in derived.values():
        assert d.chunk_keys == [text_hash(c) for c in d.chunks]
        assert d.title_key == text_hash(d.title)


def test_lexical_terms_take_the_rarest_words_within_the_budget():
    from ranking.retrieve import lexical_terms

    counts = {"python": 900, "celery": 3, "django": 40, "absent": 0, "engineer": 5000}
    assert lexical_terms(counts, 100) == ["celery", "django"]
    assert lexical_terms(counts, 942) == ["celery", "django"]  # + python (900) would make 943
    assert lexical_terms(counts, 943) == ["celery", "django", "python"]
    assert lexical_terms(counts, 2) == []  # even the rarest is too common: the dense list alone
    assert lexical_terms({"a": 5, "b": 5}, 10) == ["a", "b"]  # ties keep the job's order


def test_term_counts_stop_past_the_cap_on_a_real_file(store):
    from sourcing.storage import rank_index

    from ranking.features import refresh_features

    for i in range(12):
        store.upsert_profile(backend_profile(f"p{i}", name=f"Person {i}",
                                             summary="Writes Celery tasks." if i == 3 else "Writes Django views."))
    refresh_features(store, blind=False)
    counts = rank_index.term_doc_counts(store, ["django", "celery", "kotlin"], 5)
    assert counts == {"django": 6, "celery": 1, "kotlin": 0}  # all 12 hold "django": counted up to cap + 1
    assert rank_index.term_doc_counts(store, ["django"], 100) == {"django": 12}
    assert rank_index.fts_terms(["Django", "C++ and Go", "django"]) == ["django", "and", "go"]
