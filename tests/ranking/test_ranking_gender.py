"""Blind mode neutralises gendered words and job titles, English and French, in every output."""

from __future__ import annotations

import pytest

from ranking.blind import Masker, neutralise_gender
from sourcing.exports import shortlist_rows
from sourcing.models import ProfileRecord, RankedCandidate


@pytest.mark.parametrize("text, expected", [
    ("Développeuse backend Python", "Développeur backend Python"),
    ("Cheffe pâtissière", "Chef pâtissier"),
    ("Ingénieure DevOps", "Ingénieur DevOps"),
    ("Directrice technique", "Directeur technique"),
    ("Recruteuse tech", "Recruteur tech"),
    ("Technicienne de maintenance", "Technicien de maintenance"),
    ("Conseillère clientèle, boulangère et serveuse", "Conseiller clientèle, boulanger et serveur"),
    ("Consultante SAP expérimentée", "Consultant SAP expérimenté"),
    ("Développeuses confirmées", "Développeurs confirmés"),
    ("Je suis rigoureuse, curieuse et passionnée", "Je suis rigoureux, curieux et passionné"),
    ("INGÉNIEURE", "INGÉNIEUR"),
    ("Elle est développeuse (H/F)", "Iel est développeur "),
    ("Waitress, then saleswoman; her husband is a chairman", "Server, then salesperson; them partner is a chair"),
    ("Mrs Smith took maternity leave", "Mx Smith took parental leave"),
])
def test_gendered_titles_and_words_are_neutralised(text, expected):
    assert neutralise_gender(text) == expected


@pytest.mark.parametrize("text", [
    "Une carrière dans la matière grise, une antenne, la lumière",
    "Matrice de confusion, cicatrice, heure de pointe",
    "Python, Django, PostgreSQL; Senior Backend Engineer",
    "Une expérience importante en data, une note, une plante",
])
def test_ordinary_words_with_feminine_endings_are_left_alone(text):
    assert neutralise_gender(text) == text


def test_masked_feminine_and_masculine_profiles_read_the_same():
    a = Masker(names=["Zoé Rey"]).mask("Zoé Rey — Développeuse backend, ingénieure rigoureuse. Elle code en Python.")
    b = Masker(names=["Marc Roy"]).mask("Marc Roy — Développeur backend, ingénieur rigoureux. Il code en Python.")
    assert a == b


def test_blind_export_masks_headline_and_note_with_the_same_masker(store):
    job_id = store.add_job("Pâtissier", "Pâtisserie, viennoiserie")
    cid = store.upsert_profile(ProfileRecord(
        "import", "email:amelie@example.org", source_key="import:csv", name="Amélie Dubois",
        email="amelie@example.org", headline="Cheffe pâtissière, Amélie Dubois", location="Bordeaux")).candidate_id
    store.save_ranking(job_id, "test", [RankedCandidate(cid, 0.5)])
    store.set_decision(job_id, cid, "shortlisted", note="Amélie: elle est directrice de cuisine", actor="test")
    (blind,) = shortlist_rows(store, job_id, blind=True, columns=["name", "headline", "note"])
    assert blind["headline"] == "Chef pâtissier, [name]"
    assert blind["note"] == "[name]: iel est directeur de cuisine"
    assert blind["name"].startswith("Candidate ")
    (plain,) = shortlist_rows(store, job_id, columns=["headline", "note"])
    assert plain == {"headline": "Cheffe pâtissière, Amélie Dubois", "note": "Amélie: elle est directrice de cuisine"}
