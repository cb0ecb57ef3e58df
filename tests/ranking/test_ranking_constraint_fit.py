"""`ranking.explain.constraint_fit`: the location/remote and spoken-language fit and the notes a recruiter reads.

Each case pins the exact (fit, notes) pair, since both reach the ranking (the fit is a fused signal) and
the explanation. The mutants each case kills (found by `make mutation`) are in its docstring.
"""

from __future__ import annotations

from ranking.explain import constraint_fit
from ranking.jobspec import JobSpec
from ranking.profile_text import CandidateText


def _job(**kw) -> JobSpec:
    return JobSpec(title="Data engineer", **kw)


def _cand(**kw) -> CandidateText:
    return CandidateText(candidate_id=1, **kw)


def test_a_remote_job_fits_anyone_wherever_they_live():
    """Mutants killed: `spec.remote != "remote"` (or compared with another word), the part 1.0 -> 2.0/None,
    the note lost or altered."""
    assert constraint_fit(_job(remote="remote", location="Lyon, France"), _cand(location="Tokyo, Japan")) == (1.0, ["remote job"])


def test_a_candidate_in_the_jobs_city_fits():
    """Mutants killed: `city = None`, `fold(cand.location and "")` (the candidate's place never read), the part
    1.0 -> 2.0."""
    assert constraint_fit(_job(location="Lyon, France"), _cand(location="Lyon 3e, France")) == (1.0, ["in Lyon 3e, France"])


def test_a_candidate_elsewhere_does_not_fit_and_the_note_says_where_each_is():
    """The country after the comma is not the city: a candidate in Paris does not fit a job in Lyon.

    Mutants killed: `split("XX,XX")` (the whole "Lyon, France" compared, so "france" matches Paris),
    `city or any(...)`, `any(w not in where ...)`."""
    assert constraint_fit(_job(location="Lyon, France"), _cand(location="Paris, France")) == (
        0.0, ["based in Paris, France, job in Lyon, France"])


def test_every_word_of_the_city_counts_not_only_the_first():
    """Mutant killed: `split(None)[0]` (only "Greater" kept of "Greater London")."""
    assert constraint_fit(_job(location="Greater London, UK"), _cand(location="London, UK")) == (1.0, ["in London, UK"])


def test_a_three_letter_city_is_a_city():
    """Mutant killed: `len(w) > 3` (a three-letter city name such as Ulm dropped, so no one fits the job)."""
    assert constraint_fit(_job(location="Ulm, Germany"), _cand(location="Ulm")) == (1.0, ["in Ulm"])


def test_unknown_location_is_half_a_fit():
    """Mutants killed: `if cand.location:` (the branches swapped), the part 0.5 -> 1.5/None, the note lost or altered."""
    assert constraint_fit(_job(location="Lyon, France"), _cand()) == (0.5, ["candidate location unknown"])


def test_willing_to_relocate_is_most_of_a_fit():
    """Mutants killed: the part 0.8 -> 1.8/None, the note lost or altered."""
    assert constraint_fit(_job(location="Lyon, France"), _cand(location="Paris, France", willing_to_relocate=True)) == (
        0.8, ["willing to relocate"])


def test_a_remote_candidate_half_fits_a_hybrid_job_but_not_an_onsite_one():
    hybrid = _job(location="Lyon, France", remote="hybrid")
    assert constraint_fit(hybrid, _cand(location="Paris, France", remote=True)) == (0.5, ["remote candidate, hybrid job"])
    onsite = _job(location="Lyon, France", remote="onsite")
    assert constraint_fit(onsite, _cand(location="Paris, France", remote=True)) == (
        0.0, ["based in Paris, France, job in Lyon, France"])


def test_spoken_languages_count_as_the_share_shown_and_average_with_the_place():
    """The languages' part is the share of the job's languages the candidate shows (stated, or the profile's
    own language); with a place asked too, the fit is the mean of the two parts.

    Mutant killed (besides those of the branches' docstrings above): the missing languages joined with "XX, XX"."""
    cand = _cand(location="Lyon, France", languages=["French (native)"], lang="en")
    assert constraint_fit(_job(languages=["French", "English"]), cand) == (1.0, [])
    assert constraint_fit(_job(languages=["French", "German"]), cand) == (0.5, ["language not shown: German"])
    assert constraint_fit(_job(languages=["German", "Spanish"]), cand) == (0.0, ["language not shown: German, Spanish"])
    both = constraint_fit(_job(location="Lyon, France", languages=["German"]), cand)
    assert both == (0.5, ["in Lyon, France", "language not shown: German"])


def test_nothing_asked_is_a_full_fit():
    assert constraint_fit(_job(), _cand(location="Tokyo, Japan")) == (1.0, [])


def test_the_languages_a_candidate_shows_stated_in_french_or_english_or_written_in():
    """Mutants killed (`candidate_languages`): the profile's own language not counted, the stated languages'
    first word not folded/title-cased or looked up in the French names, blank entries kept."""
    from ranking.explain import candidate_languages

    cand = _cand(lang="fr", languages=["Anglais courant", "german (B2)", "ESPAÑOL", "", "  "], skills=["Italian", "Python"])
    assert candidate_languages(cand) == {"French", "English", "German", "Español", "Italian"}
    assert candidate_languages(_cand(lang="de", languages=["Allemand"])) == {"German"}
