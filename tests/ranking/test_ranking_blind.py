"""Blind mode: markers masked; swapping names and genders leaves the order unchanged."""

from __future__ import annotations

from ranking_helpers import DJANGO_JOB_EN, backend_profile, frontend_profile, pastry_profile

from ranking.blind import Masker, pseudonym
from ranking.encoders import FakeEncoder
from ranking.service import rank_job
from sourcing.storage import Store


def test_masker_hides_identity_markers():
    m = Masker(names=["Alice Martin", "alicem"])
    text = ("Alice Martin (alicem), born 12/03/1990, aged 34, French citizen. Mrs Martin: she codes. "
            "Mail alice@example.org, tel +33 6 12 34 56 78, photo https://x.org/me.jpg. Python 2015 - 2019.")
    out = m.mask(text)
    for marker in ("Alice", "Martin", "alicem", "1990", "34", "alice@", "+33", "https://", "she", "Mrs", "French citizen"):
        assert marker not in out, marker
    assert "Python 2015 - 2019" in out  # dates of jobs are not phone numbers
    assert "[name]" in out and "[email]" in out and "[phone]" in out and "[url]" in out


def test_pseudonym_is_stable():
    assert pseudonym(7) == pseudonym(7) != pseudonym(8)
    assert pseudonym(7, "Fox-12") == "Fox-12"


def _pool(path, swap: bool):
    """Three people; with swap=True the backend/pastry people trade names, e-mails and pronouns."""
    s = Store.open(str(path))
    a = ("Alice Martin", "She", "alice") if not swap else ("Bob Durand", "He", "bob")
    b = ("Bob Durand", "He", "bob") if not swap else ("Alice Martin", "She", "alice")
    s.upsert_profile(backend_profile(external_id="p1", name=a[0], pronoun=a[1], email=f"{a[2]}@example.org"))
    s.upsert_profile(pastry_profile(external_id="p2", name=b[0], pronoun=b[1], email=f"{b[2]}@example.org"))
    s.upsert_profile(frontend_profile(external_id="p3", name="Carol Smith", pronoun="She" if not swap else "He"))
    job = s.add_job("Python backend engineer", DJANGO_JOB_EN)
    return s, job


def _order(store, job, blind, enc):
    ranked = rank_job(store, job, encoder=enc, blind=blind)
    by_id = {c["id"]: c for c in store.list_candidates()}
    # Identify people by their (unswapped) profile id, not by name.
    ext = {cid: store.get_candidate(cid)["profiles"][0]["external_id"] for cid in by_id}
    return [(ext[r.candidate_id], round(r.score, 6)) for r in ranked]


def test_swapping_names_and_genders_leaves_blind_ranking_unchanged(tmp_path, fake_encoder):
    s1, j1 = _pool(tmp_path / "a.db", swap=False)
    s2, j2 = _pool(tmp_path / "b.db", swap=True)
    try:
        assert _order(s1, j1, True, fake_encoder) == _order(s2, j2, True, fake_encoder)
        # Without blind mode the character-n-gram encoder does see the names: scores move.
        assert _order(s1, j1, False, fake_encoder) != _order(s2, j2, False, fake_encoder)
    finally:
        s1.close()
        s2.close()


def test_blind_outputs_carry_no_names(pool_store, fake_encoder):
    ranked = rank_job(pool_store, pool_store.job_id_en, encoder=fake_encoder, blind=True)
    blob = repr([r.explanation for r in ranked])
    for name in ("Alice", "Martin", "Bob", "Durand", "Carol", "example.org"):
        assert name not in blob
    assert all(r.explanation["pseudonym"] and r.explanation["blind"] for r in ranked)


class _Recorder(FakeEncoder):
    """The fake encoder, remembering every text it was asked to embed."""

    def __init__(self, dim: int) -> None:
        super().__init__(dim)
        self.seen: list[str] = []

    def encode(self, texts, **kw):
        self.seen.extend(texts)
        return super().encode(texts, **kw)


def _named_pool(path, swap: bool):
    """Two people whose own names and GitHub logins are in the text that gets ranked."""
    people = [("Alice Martin", "alicem"), ("Bob Durand", "bobd")]
    if swap:
        people.reverse()
    s = Store.open(str(path))
    for ext, make, (name, login) in (("p1", backend_profile, people[0]), ("p2", pastry_profile, people[1])):
        first, last = name.split()
        s.upsert_profile(make(
            external_id=ext, name=name, github_login=login, email=f"{login}@example.org",
            summary=f"{name} ({login} on GitHub) " + ("builds Django REST APIs on PostgreSQL." if ext == "p1" else "bakes croissants."),
            experience=[{"title": "Engineer" if ext == "p1" else "Baker", "org": "Acme",
                         "summary": f"{first} led the team; ask {last} about it."}],
        ))
    return s, s.add_job("Python backend engineer", DJANGO_JOB_EN)


def test_names_in_ranked_text_are_masked_before_embedding(tmp_path, fake_encoder):
    """In blind mode the encoder never sees a person's name or login, and swapping them changes nothing.

    Mutants caught: `build_candidate_text` adding sentences without `m(s)` (summaries and
    experience embedded unmasked), and `masker_for` leaving out the profiles' `github_login`.
    """
    words = {"alice", "martin", "alicem", "bob", "durand", "bobd"}

    def leaked(texts):
        return sorted({w for t in texts for w in words if w in t.lower().replace("(", " ").replace(")", " ").split()})

    s1, j1 = _named_pool(tmp_path / "a.db", swap=False)
    s2, j2 = _named_pool(tmp_path / "b.db", swap=True)
    try:
        blind = _Recorder(fake_encoder.dim)
        first = _order(s1, j1, True, blind)
        assert blind.seen and leaked(blind.seen) == []
        assert first == _order(s2, j2, True, fake_encoder)
        # The same pool ranked with blind mode off does hand the names to the encoder.
        plain = _Recorder(32)
        _order(s1, j1, False, plain)
        assert leaked(plain.seen) == sorted(words)
    finally:
        s1.close()
        s2.close()
