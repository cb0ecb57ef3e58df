"""The French -> English bridge: the packaged lexicon, cognates, and its use by the ranker."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import numpy as np
import pytest

from ranking.bridge import english_for, gloss_fr_en, mix_query_vectors
from ranking.tools.build_bridge import ibm_model1


def test_gloss_translates_job_vocabulary_from_the_lexicon():
    words = gloss_fr_en("Administrateur de bases de données").split()
    assert "database" in words and "data" in words
    assert "software" in gloss_fr_en("Développement logiciel").split()
    assert "bakery" in gloss_fr_en("Vendeuse en boulangerie").split()  # feminine form, base in the lexicon


def test_gloss_guesses_cognates_only_when_the_english_word_exists():
    assert english_for("administrateur") == ("administrator",)  # -eur -> -or, and "administrator" exists
    assert english_for("technicien") == ("technician",)  # -ien -> -ian
    assert english_for("zorglubeur") == ()  # "zorglubor" is no English word: nothing invented
    assert gloss_fr_en("Zorglubeur Kubernetes") == "zorglubeur kubernetes"  # unknown words are kept


def test_gloss_drops_french_stop_words():
    assert gloss_fr_en("de la et pour avec") == ""


def test_mixed_query_vectors_are_unit_and_halfway():
    a = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    b = np.array([[0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    m = mix_query_vectors(a, b)
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0)
    assert np.allclose(m[0], [2 ** -0.5, 2 ** -0.5]) and np.allclose(m[1], [0.0, 1.0])


def test_ibm_model1_learns_word_translations_from_label_pairs():
    pairs = [(["chat", "noir"], ["black", "cat"]), (["chat"], ["cat"]), (["noir"], ["black"]),
             (["chien", "noir"], ["black", "dog"]), (["chien"], ["dog"])]
    table = ibm_model1(pairs)
    assert table["chat"][0][0] == "cat" and table["noir"][0][0] == "black" and table["chien"][0][0] == "dog"
    assert table["chat"][0][1] > 0.8


def test_packaged_lexicon_is_credited_and_leaves_occupation_labels_out():
    raw = json.loads(gzip.decompress((resources.files("ranking") / "data" / "fr_en.json.gz").read_bytes()))
    assert "ESCO" in raw["credit"] and "O*NET" in raw["credit"]
    assert raw["lexicon"]["logiciel"][0][0] == "software"
    notice = (resources.files("ranking") / "data" / "NOTICE").read_text(encoding="utf-8")
    assert "fr_en.json.gz" in notice


@pytest.mark.model
def test_french_job_is_bridged_to_english_profiles(pool_store, muse):
    from ranking.service import _job_glosses, _job_texts, rank_job
    from ranking.jobspec import spec_from_job
    from ranking.text import text_hash

    ranked = rank_job(pool_store, pool_store.job_id_fr, encoder=muse)
    order = [pool_store.get_candidate(r.candidate_id)["profiles"][0]["external_id"] for r in ranked]
    assert order[0] == "alice" and order[-1] == "bob"
    # The job's English glosses were embedded once, owned by the job (erasable with it).
    spec = spec_from_job(pool_store.get_job(pool_store.job_id_fr))
    glosses = _job_glosses(spec, *_job_texts(spec))
    assert glosses is not None and "python" in glosses[0].split() and "django" in glosses[0].split()
    with pool_store.engine.connect() as conn:
        from sqlalchemy import text

        owners = {row[0] for row in conn.execute(text("SELECT owner FROM embedding WHERE text_hash IN (:a, :b)"),
                                                  {"a": text_hash(glosses[0]), "b": text_hash(glosses[1])})}
    assert owners == {f"job:{pool_store.job_id_fr}"}
