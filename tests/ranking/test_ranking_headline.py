"""`ranking.explain.headline`: the one line a recruiter reads first about a ranked candidate.

Pinned exactly: which must-haves are met, missing or met in part, the strongest signal, the first note.
The mutants each case kills (found by `make mutation`) are in its docstring.
"""

from __future__ import annotations

from ranking.explain import headline


def _req(text: str, kind: str = "must", matched: bool = True, note: str | None = None) -> dict:
    r = {"text": text, "kind": kind, "matched": matched}
    if note:
        r.update(partial=True, note=note)
    return r


def test_the_headline_counts_must_haves_and_names_the_missing_and_the_partial():
    """Mutants killed: `musts = None`, `r["kind"] != "must"` (or compared with another word), `got = None`,
    `missing = None` or the matched ones listed as missing, `partly = None` or its text/note/partial keys
    renamed, the "missing" part always or never shown, its separator altered."""
    report = [_req("Python"), _req("Django", matched=False), _req("SQL", matched=False),
              _req("Docker and Kubernetes", note="Kubernetes not found"), _req("Go", kind="nice", matched=False)]
    got = headline(report, {"dense": 0.31, "lexical": 0.12, "skills": 0.2}, ["in Lyon, France", "language not shown: German"])
    assert got == ("2/4 must-haves (missing: Django; SQL; partly: Docker and Kubernetes: Kubernetes not found); "
                   "strongest signal: dense; in Lyon, France")


def test_all_must_haves_met_says_so_without_a_missing_part():
    """Mutant killed: the "missing" part shown when nothing is missing (`if missing or True`)."""
    report = [_req("Python"), _req("Django"), _req("Go", kind="nice", matched=False)]
    assert headline(report, {"lexical": 0.4, "dense": 0.1}, []) == "2/2 must-haves; strongest signal: lexical"


def test_at_most_three_missing_and_two_partial_are_named():
    report = [_req(f"skill {i}", matched=False) for i in range(5)] + [
        _req(f"pair {i}", note=f"half {i} not found") for i in range(3)]
    assert headline(report, {}, []) == ("3/8 must-haves (missing: skill 0; skill 1; skill 2; "
                                        "partly: pair 0: half 0 not found; pair 1: half 1 not found)")


def test_no_must_haves_gives_only_the_signal_and_the_note():
    assert headline([_req("Go", kind="nice")], {"dense": 0.5}, ["remote job"]) == "strongest signal: dense; remote job"
    assert headline([], {}, []) == ""


def test_the_stored_explanation_rounds_components_and_signals_and_keeps_the_documented_keys():
    """The explanation dict is documented (docs/ranking.md) and read by the review app and the exports.

    Mutants killed: `round(v, None)`, `round(4)`, `round(v, )`, `round(v, 5)` for the components or the
    signals; the "signals" or "location" key renamed; the headline built without the components."""
    from ranking.explain import build_explanation
    from ranking.jobspec import JobSpec
    from ranking.profile_text import CandidateText

    spec = JobSpec(title="Data engineer", skills=["Python", "SQL"])
    cand = CandidateText(candidate_id=7, location="Lyon, France", skills=["python", "Go"])
    report = [_req("Python")]
    got = build_explanation(spec, cand, report, {"dense": 0.123456, "lexical": 0.0500049}, {"dense": 0.654321, "lexical": 2.0},
                            ["in Lyon, France"], blind=True, pseudonym="Candidate 7")
    assert got == {
        "requirements": report, "matched_skills": ["python"], "missing_must": [],
        "components": {"dense": 0.1235, "lexical": 0.05}, "signals": {"dense": 0.6543, "lexical": 2.0},
        "headline": "1/1 must-haves; strongest signal: dense; in Lyon, France", "location": "Lyon, France",
        "constraints": ["in Lyon, France"], "blind": True, "pseudonym": "Candidate 7"}
