"""`JobSpec.query_text`: the compact text a job is matched on (dense and lexical signals)."""

from __future__ import annotations

from ranking.jobspec import JobSpec, Requirement


def test_the_query_is_title_must_nice_then_missions_in_single_spaces():
    """Mutant killed: the words joined with "XX XX"."""
    spec = JobSpec(title="Data engineer", must=[Requirement("Python and SQL", "must")], nice=[Requirement("dbt", "nice")],
                   missions=["Build  the\twarehouse"])
    assert spec.query_text() == "Data engineer Python and SQL dbt Build the warehouse"


def test_a_long_job_is_cut_at_160_words():
    """Mutants killed: another default length (`max_words=161`), `break` turned into `return` (None for a long job)."""
    spec = JobSpec(title="Data engineer", missions=[" ".join(f"m{i}w{j}" for j in range(50)) for i in range(5)])
    words = spec.query_text().split(" ")
    assert len(words) == 160 and words[:3] == ["Data", "engineer", "m0w0"] and words[-1] == "m3w7"
    assert spec.query_text(max_words=5) == "Data engineer m0w0 m0w1 m0w2"
