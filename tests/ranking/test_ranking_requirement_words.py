"""A requirement that names no known skill is matched on its words (`ranking.explain.match_requirement`).

"Experience running on-call rotations" has no canonical skill: it is met by the profile sentence that
shares at least half of its (stemmed) content words, and that sentence is the evidence shown.
"""

from __future__ import annotations

from ranking.explain import match_requirement
from ranking.jobspec import Requirement
from ranking.profile_text import CandidateText, Evidence

ON_CALL = "I ran the on-call rotation of our production systems for three years"


def _cand(*sentences: str) -> CandidateText:
    return CandidateText(candidate_id=1, evidence=[Evidence(s, "jsonresume") for s in sentences])


def _match(text: str, cand: CandidateText) -> dict:
    return match_requirement(Requirement(text=text, kind="must"), cand, set(), set())


def test_the_sentence_sharing_most_words_is_the_evidence():
    cand = _cand("Wrote the team newsletter", ON_CALL)
    got = _match("Experience running on-call rotations for production systems", cand)
    assert (got["matched"], got["evidence"], got["sources"]) == (True, [ON_CALL], ["jsonresume"])
    assert _match("Kernel driver development in C++ for embedded boards", cand)["matched"] is False


def test_an_inflected_form_is_the_same_word():
    """"Teaching" is shown by "I teach": words are compared on their first five letters.

    Mutant killed: `_stem` keeping six letters (`word[:6]`: "teachi" is not "teach")."""
    got = _match("Teaching experience", _cand("I teach Python at a night school"))
    assert got["matched"] is True and got["evidence"] == ["I teach Python at a night school"]


def test_the_words_of_a_changed_profile_are_read_again():
    """The stems are cached per candidate; a profile whose sentences change is not matched on the old ones.

    Mutants killed: `_evidence_stems` caching under `key = None` or `(id(None), len(...))` (a new list of
    sentences of the same length, or one more sentence, answered from the stale cache)."""
    cand = _cand("Wrote the team newsletter")
    assert _match("Experience running on-call rotations", cand)["matched"] is False
    cand.evidence.append(Evidence(ON_CALL, "github"))
    assert _match("Experience running on-call rotations", cand)["evidence"] == [ON_CALL]
    cand.evidence = [Evidence("Kept the office plants alive", "github"), Evidence("Wrote the team newsletter", "github")]
    assert _match("Experience running on-call rotations", cand)["matched"] is False


def test_with_no_requirement_parsed_the_coverage_is_the_share_of_the_jobs_skills_held():
    """A job whose text has no requirement list still names skills (in its title): the coverage is the share
    of them the candidate lists, compared without case.

    Mutants killed: in `skill_coverage`, `have = None`, `s.upper()` for the candidate's skills, `* len(...)`
    for `/ len(...)`, `sum(None)`."""
    from ranking.explain import skill_coverage
    from ranking.jobspec import JobSpec

    spec = JobSpec(title="Python / Django developer", skills=["Python", "Django"])
    assert skill_coverage(spec, [], CandidateText(candidate_id=1, skills=["python", "Go"])) == 0.5
    assert skill_coverage(spec, [], CandidateText(candidate_id=2, skills=["Go"])) == 0.0
    assert skill_coverage(JobSpec(title="Colleague"), [], CandidateText(candidate_id=3, skills=["Go"])) == 0.0


def test_an_either_or_requirement_met_by_one_skill_counts_in_full():
    """"Python or Go" is met by Python alone; only a partial match ("Docker and Kubernetes", Docker found)
    counts as the share of its skills.

    Mutant killed: `_share` testing `partial or skills` (the either-or requirement counted as half met)."""
    from ranking.explain import skill_coverage
    from ranking.jobspec import JobSpec

    either = {"kind": "must", "matched": True, "skills": ["Python", "Go"], "found_skills": ["Python"]}
    part = {"kind": "nice", "matched": True, "partial": True, "skills": ["Docker", "Kubernetes"], "found_skills": ["Docker"]}
    cand = CandidateText(candidate_id=1)
    assert skill_coverage(JobSpec(title="Dev"), [either], cand) == 1.0
    assert skill_coverage(JobSpec(title="Dev"), [either, part], cand) == (2.0 + 0.5) / 3.0
