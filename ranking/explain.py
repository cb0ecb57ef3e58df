"""Provides requirement matching, constraint fit and the explanation of a ranked candidate.

For every requirement of the job: matched or missing, the canonical skills it
names, and the profile sentence(s) that show it (with the source they came from).
The explanation dict (stored in `RankedCandidate.explanation`) is documented in
docs/ranking.md.
"""

from __future__ import annotations

from typing import Any

from ranking.jobspec import LANGUAGE_SKILLS, JobSpec, Requirement
from ranking.profile_text import CandidateText, Evidence
from ranking.text import content_words, fold

LANG_OF = {"en": "English", "fr": "French"}
# A skill shown by a more specific one: PostgreSQL or MySQL experience is SQL experience.
IMPLIED_BY: dict[str, set[str]] = {
    "sql": {"postgresql", "mysql", "sqlite", "mariadb", "microsoft sql server", "oracle database", "t-sql", "pl/sql"},
    "django": {"django rest framework"},
}
SKILLS_LINE = "Skills: "  # the sentence ranking.profile_text builds from a profile's skills list
_FR_LANGS = {"anglais": "English", "francais": "French", "allemand": "German", "espagnol": "Spanish", "italien": "Italian"}


def _stem(word: str) -> str:
    # Five letters are enough to equate "développeur"/"développement", "managed"/"manager".
    return word[:5]


def candidate_languages(cand: CandidateText) -> set[str]:
    """Languages a candidate states, or writes their profile in (worked out once per candidate)."""
    key = (cand.lang, tuple(cand.languages), len(cand.skills))
    cached = cand.__dict__.get("_languages")
    if cached is not None and cached[0] == key:
        return cached[1]
    out = _candidate_languages(cand)
    cand.__dict__["_languages"] = (key, out)
    return out


def _candidate_languages(cand: CandidateText) -> set[str]:
    out = {LANG_OF.get(cand.lang, "")}
    for lang in cand.languages:
        key = fold(str(lang)).split()[0] if str(lang).strip() else ""
        out.add(_FR_LANGS.get(key, str(lang).split()[0].title() if str(lang).strip() else ""))
    out.update(s for s in cand.skills if s in LANGUAGE_SKILLS)
    out.discard("")
    return out


def match_requirement(req: Requirement, cand: CandidateText, skillset: set[str], langs: set[str]) -> dict[str, Any]:
    """One requirement against one candidate: matched, the skills found, evidence sentences."""
    return _match(_Compiled([req]).reqs[0], cand, skillset, langs)


def _evidence_for(cand: CandidateText, wanted: set[str]) -> list[Evidence]:
    """Up to two sentences naming the found skills, covering as many of them as possible.

    Sentences of the person's own words ("I write thorough pytest suites") come before the
    bare skills list, which says less about how the skill was used.
    """
    if len(wanted) == 1:  # the usual case: the first sentence naming the skill
        (skill,) = wanted
        first = _first_naming(cand).get(skill)
        return [first] if first is not None else []
    return _covering(cand, wanted)


def _covering(cand: CandidateText, wanted: set[str]) -> list[Evidence]:
    """`_evidence_for` by its definition: sentences in order, each kept when it names a skill not covered yet."""
    chosen: list[Evidence] = []
    covered: set[str] = set()
    for e, lowered in _own_words_first(cand):
        new = wanted & lowered
        if new - covered:
            chosen.append(e)
            covered |= new
            if covered >= wanted or len(chosen) == 2:
                break
    return chosen


def _own_words_first(cand: CandidateText) -> list[tuple[Evidence, set[str]]]:
    """The candidate's evidence with the bare skills list last (stable), each with its lower-cased
    skills; computed once per candidate, not once per requirement."""
    key = (id(cand.evidence), len(cand.evidence))
    cached = cand.__dict__.get("_own_words_first")
    if cached is None or cached[0] != key:
        ordered = sorted(cand.evidence, key=lambda e: e.text.startswith(SKILLS_LINE))
        cached = (key, [(e, {x.lower() for x in e.skills}) for e in ordered])
        cand.__dict__["_own_words_first"] = cached
    return cached[1]


def _first_naming(cand: CandidateText) -> dict[str, Evidence]:
    """Each lower-cased skill of the candidate's evidence -> the first sentence naming it (own words first)."""
    key = (id(cand.evidence), len(cand.evidence))
    cached = cand.__dict__.get("_first_naming")
    if cached is None or cached[0] != key:
        first: dict[str, Evidence] = {}
        for e, lowered in _own_words_first(cand):
            for x in lowered:
                first.setdefault(x, e)
        cached = (key, first)
        cand.__dict__["_first_naming"] = cached
    return cached[1]


def _evidence_stems(cand: CandidateText) -> list[set[str]]:
    """The stemmed content words of each evidence sentence, once per candidate."""
    key = (id(cand.evidence), len(cand.evidence))
    cached = cand.__dict__.get("_evidence_stems")
    if cached is None or cached[0] != key:
        cached = (key, [{_stem(w) for w in content_words(e.text)} for e in cand.evidence])
        cand.__dict__["_evidence_stems"] = cached
    return cached[1]


class _Compiled:
    """What matching a job's requirements needs from the job, worked out once per job, not per candidate."""

    def __init__(self, reqs: list[Requirement]) -> None:
        self.key = _requirements_key(reqs)
        # Per requirement: (req, skills as (name, lower-cased, is a language, implied by), stems of its words).
        self.reqs = [
            (r, [(s, s.lower(), s in LANGUAGE_SKILLS, IMPLIED_BY.get(s.lower())) for s in r.skills],
             {_stem(w) for w in content_words(r.text) if len(w) >= 3} if not r.skills else set())
            for r in reqs
        ]


def _requirements_key(reqs: list[Requirement]) -> tuple:
    return tuple((r.text, r.kind, tuple(r.skills), r.any_of) for r in reqs)


def _compiled(spec: JobSpec) -> _Compiled:
    reqs = spec.requirements
    cached = spec.__dict__.get("_compiled_requirements")
    if cached is None or cached.key != _requirements_key(reqs):
        cached = _Compiled(reqs)
        spec.__dict__["_compiled_requirements"] = cached
    return cached


def requirement_report(spec: JobSpec, cand: CandidateText) -> list[dict[str, Any]]:
    """Every requirement (must-haves first) matched against the candidate.

    What depends on the job alone (lower-cased skills, implied skills, the stems of a
    requirement's words) is worked out once per job (`_Compiled`), not per candidate.
    """
    compiled = _compiled(spec)
    skillset = {s.lower() for s in cand.skills}
    langs = candidate_languages(cand)
    return [_match(entry, cand, skillset, langs) for entry in compiled.reqs]


def _match(entry: tuple, cand: CandidateText, skillset: set[str], langs: set[str]) -> dict[str, Any]:
    """One compiled requirement against one candidate (`match_requirement`'s report)."""
    req, skills, req_words = entry
    evidence: list[Evidence] = []
    found: list[str] = []
    if skills:
        for s, low, is_lang, implied in skills:
            if is_lang:
                if s in langs:
                    found.append(s)
            elif low in skillset or (implied is not None and not skillset.isdisjoint(implied)):
                found.append(s)
        matched = bool(found)
        # "Python or Go" is met by either; "Docker and Kubernetes" with only Docker is met in
        # part, and says what was not found rather than calling a shown skill missing.
        partial = bool(found) and not req.any_of and len(found) < len(skills)
        if found:
            wanted = {s.lower() for s in found}
            for s in found:
                implied = IMPLIED_BY.get(s.lower())
                if implied:
                    wanted |= implied & skillset
            evidence = _evidence_for(cand, wanted)
    else:
        partial = False
        best, best_e = 0.0, None
        if req_words:
            for e, stems in zip(cand.evidence, _evidence_stems(cand)):
                overlap = len(req_words & stems) / len(req_words)
                if overlap > best:
                    best, best_e = overlap, e
        matched = best >= 0.5
        evidence = [best_e] if matched and best_e else []
    entry_out: dict[str, Any] = {
        "text": req.text, "kind": req.kind, "matched": matched,
        "evidence": [e.text for e in evidence], "sources": [e.source for e in evidence],
        "skills": list(req.skills), "found_skills": found,
    }
    if partial:
        entry_out["partial"] = True
        entry_out["note"] = f"{', '.join(s for s in req.skills if s not in found)} not found"
    return entry_out


def skill_coverage(spec: JobSpec, report: list[dict[str, Any]], cand: CandidateText) -> float:
    """Share of requirements met, must-haves counting double; skill overlap when none were parsed."""
    if report:
        total = sum(2.0 if r["kind"] == "must" else 1.0 for r in report)
        got = sum((2.0 if r["kind"] == "must" else 1.0) * _share(r) for r in report if r["matched"])
        return got / total
    if spec.skills:
        have = {s.lower() for s in cand.skills}
        return sum(s.lower() in have for s in spec.skills) / len(spec.skills)
    return 0.0


def _share(r: dict[str, Any]) -> float:
    """How much of a matched requirement is met: 1, or the share of its skills for a partial match."""
    if r.get("partial") and r.get("skills"):
        return len(r.get("found_skills") or []) / len(r["skills"])
    return 1.0


def _job_city(spec: JobSpec) -> list[str]:
    """The words of the job's city (before the first comma), once per job."""
    location = spec.location or ""
    cached = spec.__dict__.get("_city")
    if cached is None or cached[0] != location:
        cached = (location, [w for w in content_words(location.split(",")[0]) if len(w) > 2])
        spec.__dict__["_city"] = cached
    return cached[1]


def constraint_fit(spec: JobSpec, cand: CandidateText) -> tuple[float, list[str]]:
    """Location/remote and spoken-language fit in [0, 1], with notes; 1.0 when nothing is asked."""
    parts: list[float] = []
    notes: list[str] = []
    if spec.remote == "remote":
        parts.append(1.0)
        notes.append("remote job")
    elif spec.location:
        city = _job_city(spec)
        where = fold(cand.location or "")
        if not cand.location:
            parts.append(0.5)
            notes.append("candidate location unknown")
        elif city and any(w in where for w in city):
            parts.append(1.0)
            notes.append(f"in {cand.location}")
        elif cand.willing_to_relocate:
            parts.append(0.8)
            notes.append("willing to relocate")
        elif cand.remote and spec.remote == "hybrid":
            parts.append(0.5)
            notes.append("remote candidate, hybrid job")
        else:
            parts.append(0.0)
            notes.append(f"based in {cand.location}, job in {spec.location}")
    if spec.languages:
        langs = candidate_languages(cand)
        have = [lang for lang in spec.languages if lang in langs]
        parts.append(len(have) / len(spec.languages))
        missing = [lang for lang in spec.languages if lang not in langs]
        if missing:
            notes.append("language not shown: " + ", ".join(missing))
    return (sum(parts) / len(parts) if parts else 1.0), notes


def headline(report: list[dict[str, Any]], components: dict[str, float], notes: list[str]) -> str:
    """One line a recruiter reads first."""
    musts = [r for r in report if r["kind"] == "must"]
    bits = []
    if musts:
        got = sum(r["matched"] for r in musts)
        missing = [r["text"] for r in musts if not r["matched"]]
        partly = [f"{r['text']}: {r['note']}" for r in musts if r["matched"] and r.get("partial")]
        extra = [f"missing: {'; '.join(missing[:3])}"] if missing else []
        extra += [f"partly: {'; '.join(partly[:2])}"] if partly else []
        bits.append(f"{got}/{len(musts)} must-haves" + (f" ({'; '.join(extra)})" if extra else ""))
    if components:
        top = max(components, key=lambda k: components[k])
        bits.append(f"strongest signal: {top}")
    bits.extend(notes[:1])
    return "; ".join(bits)


def build_explanation(
    spec: JobSpec,
    cand: CandidateText,
    report: list[dict[str, Any]],
    contributions: dict[str, float],
    signals: dict[str, float],
    notes: list[str],
    *,
    blind: bool,
    pseudonym: str,
) -> dict[str, Any]:
    """The explanation dict stored with a ranked candidate (see docs/ranking.md)."""
    job_skills = {s.lower() for s in spec.skills}
    matched_skills = [s for s in cand.skills if s.lower() in job_skills]
    return {
        "requirements": report,
        "matched_skills": matched_skills,
        "missing_must": [r["text"] for r in report if r["kind"] == "must" and not r["matched"]],
        "components": {k: round(v, 4) for k, v in contributions.items()},
        "signals": {k: round(v, 4) for k, v in signals.items()},
        "headline": headline(report, contributions, notes),
        "location": cand.location,
        "constraints": notes,
        "blind": blind,
        "pseudonym": pseudonym,
    }
