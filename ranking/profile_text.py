"""Provides the candidate side: one `CandidateText` built from all of a person's profiles.

Whatever the profiles hold is used — JSON Resume sections (titles, skills, summary,
experience, languages), a GitHub bio and repository languages, an HN post or a
plain résumé in `text`. Long texts are cut into chunks of whole sentences (the
model reads 256 tokens at most), never truncated. Every evidence sentence keeps
the source it came from, so an explanation can say where a fact was seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ranking.skills import canonical, extract_skills
from ranking.text import chunk_text, detect_lang, sentences


@dataclass
class Evidence:
    """A sentence of a profile and where it was seen."""

    text: str
    source: str  # e.g. "github", "jsonresume"
    skills: list[str] = field(default_factory=list)  # canonical skills named in the sentence


@dataclass
class CandidateText:
    """The texts and facts of one candidate that the ranker compares to a job."""

    candidate_id: int
    name: str | None = None
    headline: str = ""
    location: str | None = None
    remote: bool | None = None
    willing_to_relocate: bool | None = None
    titles: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    lang: str = "en"

    @property
    def full_text(self) -> str:
        """Every sentence of the profile, headline and titles first."""
        head = ". ".join(x for x in [self.headline, ", ".join(self.titles), ", ".join(self.skills)] if x)
        return "\n".join([head] + [e.text for e in self.evidence]) if head else "\n".join(e.text for e in self.evidence)

    @property
    def title_text(self) -> str:
        """Headline and titles held, for title-to-title similarity."""
        seen: list[str] = []
        for t in [self.headline, *self.titles]:
            if t and t not in seen:
                seen.append(t)
        return "; ".join(seen) or (self.evidence[0].text if self.evidence else "")

    def chunks(self, max_words: int = 120) -> list[str]:
        """The profile cut into chunks for the encoder (at least one, maybe empty text)."""
        return chunk_text(self.full_text, max_words) or [self.full_text]


def _experience_lines(exp: dict[str, Any]) -> list[str]:
    title = exp.get("title") or exp.get("position") or ""
    org = exp.get("org") or exp.get("name") or exp.get("company") or ""
    head = " at ".join(x for x in [title, org] if x)
    lines = [head] if head else []
    for key in ("summary", "description"):
        if exp.get(key):
            lines.extend(sentences(str(exp[key])))
    for h in exp.get("highlights") or []:
        lines.append(str(h))
    return lines


def build_candidate_text(candidate: dict[str, Any], *, mask: Callable[[str], str] | None = None) -> CandidateText:
    """Build the candidate side from a `store.get_candidate` dict (with its `profiles`).

    Args:
        candidate: the candidate dict; `profiles` may be missing (then only the
            candidate's own headline/location are used).
        mask: applied to every text (blind mode), e.g. `ranking.blind.Masker.mask`.
    """
    m = mask or (lambda s: s)
    ct = CandidateText(
        candidate_id=int(candidate["id"]),
        name=candidate.get("name"),
        headline=m(candidate.get("headline") or ""),
        location=candidate.get("location"),
    )
    seen_sent: set[str] = set()
    skills: list[str] = []

    def add(text: str, source: str) -> None:
        for s in sentences(text):
            s = m(s)
            if s and s not in seen_sent:
                seen_sent.add(s)
                ct.evidence.append(Evidence(s, source))

    for p in candidate.get("profiles") or []:
        source = p.get("source_kind") or "profile"
        if not ct.headline and p.get("headline"):
            ct.headline = m(p["headline"])
        if not ct.location and p.get("location"):
            ct.location = p["location"]
        if ct.remote is None and p.get("remote") is not None:
            ct.remote = bool(p["remote"])
        if ct.willing_to_relocate is None and p.get("willing_to_relocate") is not None:
            ct.willing_to_relocate = bool(p["willing_to_relocate"])
        for t in p.get("titles") or []:
            if t and m(t) not in ct.titles:
                ct.titles.append(m(t))
        for s in p.get("skills") or []:
            name = canonical(str(s))
            if name and name not in skills:
                skills.append(name)
        for lang in p.get("languages") or []:
            if lang and lang not in ct.languages:
                ct.languages.append(str(lang))
        if p.get("skills"):
            add("Skills: " + ", ".join(str(x) for x in p["skills"]) + ".", source)
        if p.get("headline"):
            add(p["headline"], source)
        if p.get("summary"):
            add(p["summary"], source)
        for exp in p.get("experience") or []:
            if isinstance(exp, dict):
                if exp.get("title") and m(exp["title"]) not in ct.titles:
                    ct.titles.append(m(exp["title"]))
                for line in _experience_lines(exp):
                    add(line, source)
        for edu in p.get("education") or []:
            if isinstance(edu, dict):
                line = " ".join(str(edu.get(k)) for k in ("studyType", "area", "institution") if edu.get(k))
                if line:
                    add(line, source)
        if p.get("text"):
            add(p["text"], source)
    for e in ct.evidence:
        e.skills = extract_skills(e.text)
        for s in e.skills:
            if s not in skills:
                skills.append(s)
    ct.skills = skills
    ct.lang = detect_lang(ct.full_text)
    return ct
