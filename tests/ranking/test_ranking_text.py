"""Skills extraction, job description parsing, chunking, language guess."""

from __future__ import annotations

from ranking_helpers import DJANGO_JOB_EN, DJANGO_JOB_FR

from ranking.jobspec import parse_job
from ranking.skills import canonical, extract_skills
from ranking.text import chunk_text, detect_lang


def test_synonyms_and_casing_give_one_canonical_name():
    assert extract_skills("Postgres, postgresql and PostgreSQL") == ["PostgreSQL"]
    assert extract_skills("k8s and Kubernetes") == ["Kubernetes"]
    assert canonical("postgres") == "PostgreSQL"


def test_french_labels_map_to_english_names():
    assert extract_skills("Maîtrise de Python et Django, anglais courant") == ["Python", "Django", "English"]


def test_ordinary_words_are_not_products():
    assert "Go" in extract_skills("Backend in Go and Rust")
    assert "Go" not in extract_skills("Ready to go the extra mile")
    assert extract_skills("I excel at croissants, a pastry chef at heart") == ["pastry"]


def test_longest_phrase_wins():
    assert extract_skills("We use Django REST framework") == ["Django"]
    assert extract_skills("C++ and C# and HTML/CSS") == ["C++", "C#", "HTML", "CSS"]


def test_english_job_description_sections():
    spec = parse_job("Senior Python Backend Engineer (Django)", DJANGO_JOB_EN)
    assert [r.text for r in spec.must] == ["4+ years of Python", "Django", "PostgreSQL", "Fluent English"]
    assert [r.text for r in spec.nice] == ["Kubernetes", "Celery"]
    assert spec.missions[0].startswith("Design, build and run Django")
    assert spec.location == "Paris (hybrid)" and spec.remote == "hybrid"
    assert spec.languages == ["English"] and spec.seniority == "senior" and spec.min_years == 4
    assert spec.lang == "en"


def test_french_job_description_sections():
    spec = parse_job("Développeur Python Django senior (H/F)", DJANGO_JOB_FR)
    assert [r.skills for r in spec.must] == [["Python"], ["Django"], ["PostgreSQL"]]
    assert [r.text for r in spec.nice] == ["Kubernetes"]
    assert spec.location == "Paris, télétravail partiel" and spec.remote == "hybrid"
    assert spec.lang == "fr" and spec.seniority == "senior" and spec.min_years == 4


def test_no_headings_uses_bullets_and_plus_lines():
    spec = parse_job("Data engineer", "Join us!\n- Python and SQL\n- Airflow is a plus\n")
    assert [r.text for r in spec.must] == ["Python and SQL"]
    assert [r.text for r in spec.nice] == ["Airflow is a plus"]


def test_or_requirement_needs_any_skill():
    spec = parse_job("Dev", "Requirements:\n- Python or Go\n")
    assert spec.must[0].any_of and spec.must[0].skills == ["Python", "Go"]


def test_chunks_cover_the_whole_text_without_truncation():
    text = " ".join(f"Sentence number {i} talks about Django." for i in range(100))
    chunks = chunk_text(text, max_words=40)
    assert len(chunks) > 5 and all(len(c.split()) <= 40 for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_language_guess():
    assert detect_lang("Nous recherchons un développeur pour notre équipe") == "fr"
    assert detect_lang("We are looking for a developer to join our team") == "en"


def test_html_descriptions_are_parsed_like_text():
    from ranking.jobspec import spec_from_job

    html = ("&lt;p&gt;&lt;strong&gt;Requirements&lt;/strong&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;"
            "&lt;li&gt;Django &amp;amp; DRF&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Nice to have&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Go&lt;/li&gt;&lt;/ul&gt;")
    spec = spec_from_job({"title": "Backend developer", "description": html})
    assert [r.text for r in spec.must] == ["Python", "Django & DRF"]
    assert [r.text for r in spec.nice] == ["Go"]


def test_french_gender_doublets_collapse_to_one_form():
    from ranking.text import prepare_text

    assert prepare_text("Acheteur / Acheteuse d'espaces publicitaires") == "Acheteur d'espaces publicitaires"
    assert prepare_text("Accueillant familial / Accueillante familiale auprès d'adultes") == "Accueillant familial auprès d'adultes"
    assert prepare_text("Développeur(se) Python (H/F)") == "Développeur Python"
    assert prepare_text("développeur·euse web") == "développeur web"
    assert prepare_text("Python / Django developer, Node.js") == "Python / Django developer, Node.js"


def test_all_capitals_text_is_lowered_before_comparison_only():
    from ranking.text import prepare_text

    assert prepare_text("ENFERMEROS DE CUIDADOS GENERALES") == "enfermeros de cuidados generales"
    assert prepare_text("Senior SQL and AWS engineer") == "Senior SQL and AWS engineer"  # acronyms in ordinary text stay
    assert prepare_text("SQL") == "SQL"  # too short to be shouting


def test_skills_in_text_that_transliteration_lengthens_do_not_crash():
    """Georgian or Greek letters fold to several Latin ones; positions must come from the folded text."""
    from ranking.skills import extract_skills
    from ranking.tools.bench_sets import to_georgian_script

    assert extract_skills(to_georgian_script("python developer") + " Python, SQL") == ["Python", "SQL"]
    assert isinstance(extract_skills("Προγραμματιστής Python & SQL"), list)
