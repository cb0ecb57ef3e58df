"""Tests the pure importers (no store): every format, the minimal-fields rule, each bad input."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from importexport_helpers import make_docx, make_pdf

from sourcing.errors import ImportFailed
from sourcing.importers import parse_file

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "core"


def only(path: Path, **kw):
    parsed = parse_file(path, **kw)
    assert parsed.failures == []
    assert len(parsed.records) == 1
    return parsed.records[0]


def failure(path: Path, **kw) -> str:
    with pytest.raises(ImportFailed) as info:
        parse_file(path, **kw)
    assert info.value.path == str(path)
    return info.value.reason


# --- JSON Resume ------------------------------------------------------------------------------

def test_import_jsonresume_sample_maps_the_fields_the_product_needs():
    r = only(FIX / "sample.resume.json")
    assert (r.source_kind, r.source_key, r.external_id) == ("import", "import:jsonresume", "email:richard.hendriks@mail.com")
    assert r.name == "Richard Hendriks"
    assert r.email == "richard.hendriks@mail.com"
    assert r.headline == "Programmer"
    assert r.location == "San Francisco, California, US"
    assert r.url == "http://richardhendricks.example.com"
    assert r.skills == ["Web Development", "HTML", "CSS", "Javascript", "Compression", "Mpeg", "MP4", "GIF"]
    assert r.titles == ["CEO/President"]
    assert r.experience[0]["org"] == "Pied Piper" and r.experience[0]["start"] == "2013-12-01"
    assert r.education == [{"institution": "University of Oklahoma", "area": "Information Technology", "studyType": "Bachelor"}]
    assert r.languages == ["English"]
    # the network's bare home page (https://www.twitter.com) identifies nobody and is dropped
    assert r.extra_urls == ["https://soundcloud.example.com/dandymusicnl"]


def test_import_jsonresume_drops_phone_address_and_references():
    dumped = json.dumps(asdict(only(FIX / "sample.resume.json")), default=str)
    for personal in ("555-4321", "2712 Broadway", "94115", "Erlich", "neutralthoughts"):
        assert personal not in dumped


def test_import_jsonresume_malformed_json_names_line_and_column(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "basics": {\n    "name": "A" "B"\n  }\n}\n', encoding="utf-8")
    assert failure(bad) == "malformed JSON at line 3, column 17: Expecting ',' delimiter"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        (lambda d: d["basics"].__setitem__("email", 42), "basics.email"),
        (lambda d: d["work"][0].__setitem__("startDate", "June 2013"), "work[0].startDate"),
        (lambda d: d.__setitem__("skills", {"name": "x"}), "skills"),
    ],
)
def test_import_jsonresume_schema_violation_names_the_field(tmp_path, patch, field):
    doc = json.loads((FIX / "sample.resume.json").read_text(encoding="utf-8"))
    patch(doc)
    bad = tmp_path / "invalid.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    reason = failure(bad)
    assert reason.startswith(f"not a valid JSON Resume: field {field}: ")


def test_import_jsonresume_top_level_array_and_empty_document(tmp_path):
    arr = tmp_path / "list.json"
    arr.write_text("[1, 2]", encoding="utf-8")
    assert "top-level value is list, expected an object" in failure(arr)
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    assert failure(empty) == "not a JSON Resume: no 'basics' section (a job description or other JSON file?)"
    anonymous = tmp_path / "anonymous.json"
    anonymous.write_text('{"basics": {"label": "Programmer"}, "skills": [{"name": "C"}]}', encoding="utf-8")
    assert failure(anonymous) == "no content: 'basics' has no name, email or url"


def test_import_jsonresume_job_document_is_not_a_candidate():
    # The JSON Resume *job* schema's sample validates against the résumé schema (extra keys are allowed).
    assert failure(FIX / "sample.job.json").startswith("not a JSON Resume: no 'basics' section")


# --- CSV ----------------------------------------------------------------------------------------

def test_import_csv_column_mapping_and_dropped_columns():
    parsed = parse_file(FIX / "people.csv")
    assert parsed.failures == []
    assert parsed.wheres == [f"{FIX / 'people.csv'}:{n}" for n in (2, 3, 4)]
    grace, linus, margaret = parsed.records
    assert (grace.name, grace.email, grace.headline, grace.location) == ("Grace Hopper", "grace@example.org", "Compiler engineer", "Arlington, US")
    assert grace.skills == ["COBOL", "Compilers", "Python"]
    assert grace.titles == ["Rear admiral", "Programmer"]
    assert grace.github_login == "ghopper" and grace.remote is True
    assert linus.skills == ["C", "Git", "Linux"] and linus.remote is False
    assert margaret.email is None and margaret.external_id == "url:https://mh.example.net"
    dumped = json.dumps([asdict(r) for r in parsed.records], default=str)
    assert "555 0100" not in dumped and "1906" not in dumped


def test_import_csv_bad_row_is_reported_and_the_rest_imported(tmp_path):
    f = tmp_path / "team.csv"
    f.write_text(
        "name;email;skills\n"
        "Alan Turing;alan@example.org;Maths, Crypto\n"
        "Bad Email;not-an-address;x\n"
        ";;\n"
        "Joan Clarke;joan@example.org;Crypto\n",
        encoding="utf-8",
    )
    parsed = parse_file(f)
    assert [r.name for r in parsed.records] == ["Alan Turing", "Joan Clarke"]
    assert parsed.records[0].skills == ["Maths", "Crypto"]
    assert [(e.path, e.reason) for e in parsed.failures] == [
        (f"{f}:3", "column 'email': 'not-an-address' is not an e-mail address"),
    ]


def test_import_csv_without_known_columns_or_rows(tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert failure(f).startswith("no recognised column in the header ['foo', 'bar']; expected some of: name, email")
    g = tmp_path / "header_only.csv"
    g.write_text("name,email\n", encoding="utf-8")
    assert failure(g) == "no content: the CSV has a header but no rows"


# --- plain text and Markdown --------------------------------------------------------------------

def test_import_markdown_resume_fields_and_redaction():
    r = only(FIX / "ada.md")
    assert (r.name, r.headline, r.email) == ("Ada Lovelace", "Senior Data Engineer", "ada@example.org")
    assert r.url == "https://github.com/adalovelace" and r.github_login == "adalovelace"
    assert r.extra_urls == ["https://ada.example.org/blog"]
    assert r.location == "London, UK"
    assert r.skills == ["Python", "SQL", "Apache Spark", "Airflow"]
    assert "7946" not in r.text and "[phone removed]" in r.text
    assert "1815" not in r.text  # the date-of-birth line is gone
    assert "2019 - 2024 Data engineer" in r.text  # a date range is not a phone number


def test_import_text_cp1252_is_decoded():
    r = only(FIX / "rene.cp1252.txt")
    assert r.name == "René Descartes"
    assert r.headline == "Philosophe et mathématicien"
    assert r.skills == ["Géométrie", "Algèbre", "Optique"]


def test_import_text_utf8_bom_and_utf16(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffZoë Müller\nzoe@example.de\n".encode("utf-8"))
    assert only(bom).name == "Zoë Müller"
    u16 = tmp_path / "u16.txt"
    u16.write_bytes("Zoë Müller\nzoe@example.de\n".encode("utf-16"))
    assert only(u16).email == "zoe@example.de"


def test_import_text_wrong_encoding(tmp_path):
    f = tmp_path / "weird.txt"
    f.write_bytes(b"Jean \x81\x8d\x8f\x90 Dupont\n")
    assert failure(f) == (
        "unknown text encoding: byte 0x81 at offset 5 is neither UTF-8 nor cp1252; re-save the file as UTF-8"
    )


def test_import_text_binary_junk(tmp_path):
    f = tmp_path / "junk.txt"
    f.write_bytes(os.urandom(64) + b"\x00" + os.urandom(64))
    assert failure(f).startswith("binary content")
    g = tmp_path / "junk.md"
    g.write_bytes(b"\x01\x02\x03 hello \x04\x05")
    assert failure(g).startswith("binary content")


def test_import_text_empty_and_blank(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert failure(empty) == "empty file"
    blank = tmp_path / "blank.md"
    blank.write_text("\n \n\t\n", encoding="utf-8")
    assert failure(blank).startswith("no text found")


# --- PDF ----------------------------------------------------------------------------------------

ADA = ["Ada Lovelace", "Senior Data Engineer", "ada@example.org  https://github.com/adalovelace",
       "Skills: Python, SQL, Spark", "Phone: +44 20 7946 0958"]


def test_import_pdf_text_layer(tmp_path):
    r = only(make_pdf(tmp_path / "ada.pdf", ADA))
    assert (r.source_key, r.name, r.headline, r.email) == ("import:pdf", "Ada Lovelace", "Senior Data Engineer", "ada@example.org")
    assert r.skills == ["Python", "SQL", "Spark"] and r.github_login == "adalovelace"
    assert "7946" not in r.text


def test_import_pdf_encrypted_is_refused(tmp_path):
    f = make_pdf(tmp_path / "locked.pdf", ADA, password="s3cret")
    assert failure(f) == "encrypted PDF (password-protected): save an unprotected copy and import that"


def test_import_pdf_owner_restricted_opens_with_empty_password(tmp_path):
    r = only(make_pdf(tmp_path / "restricted.pdf", ADA, password="s3cret", owner_only=True))
    assert r.email == "ada@example.org"


def test_import_pdf_without_text_and_junk(tmp_path):
    assert failure(make_pdf(tmp_path / "scan.pdf", [])).startswith("no text in this PDF")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(os.urandom(2048).replace(b"%PDF-", b"xxxxx"))
    assert failure(junk).startswith("not a PDF")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(make_pdf(tmp_path / "whole.pdf", ADA).read_bytes()[:200])
    assert failure(cut).startswith("damaged PDF")


# --- DOCX ---------------------------------------------------------------------------------------

def test_import_docx_paragraphs_and_table(tmp_path):
    f = make_docx(
        tmp_path / "cv.docx",
        ["# Katherine Johnson", "Research mathematician", "katherine@example.org", "Skills: Orbital mechanics; Fortran"],
        table=[["2010", "NASA Langley"], ["Location: Hampton, VA", ""]],
        header="katherine@example.org | +1 757 555 0199 | https://kj.example.org",
    )
    r = only(f)
    assert (r.source_key, r.name, r.headline) == ("import:docx", "Katherine Johnson", "Research mathematician")
    assert r.skills == ["Orbital mechanics", "Fortran"]
    assert r.location == "Hampton, VA"
    assert "NASA Langley" in r.text
    assert r.url == "https://kj.example.org"  # from the page header
    assert "555 0199" not in r.text


def test_import_docx_junk_encrypted_and_empty(tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"\x89PNG" + os.urandom(300))
    assert failure(junk).startswith("not a DOCX")
    ole = tmp_path / "locked.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    assert failure(ole).startswith("password-protected or legacy Word")
    zipped = tmp_path / "notword.docx"
    shutil.make_archive(str(tmp_path / "z"), "zip", FIX)
    (tmp_path / "z.zip").rename(zipped)
    assert failure(zipped).startswith("not a readable Word document")
    assert failure(make_docx(tmp_path / "empty.docx", [""])) == "no text in this Word document"


# --- limits and dispatch -----------------------------------------------------------------------

def test_import_size_limit_names_the_limit(tmp_path):
    f = tmp_path / "big.md"
    f.write_text("Ada Lovelace\n" + "x" * 3000, encoding="utf-8")
    assert failure(f, max_bytes=2048) == "file is 2.9 KB, over the 2 KB import limit (setting import.max_file_mb)"
    assert only(f, max_bytes=4096).name == "Ada Lovelace"


def test_import_unsupported_suffix_and_missing_file(tmp_path):
    f = tmp_path / "photo.jpg"
    f.write_bytes(b"\xff\xd8\xff")
    assert failure(f).startswith("unsupported file type '.jpg' (supported: .csv, .docx")
    assert failure(tmp_path / "nope.json").startswith("cannot read the file")
    # A typo without a suffix is a missing file, not an "unsupported file type '(none)'".
    assert failure(tmp_path / "resumes_typo") == "cannot read the file: it does not exist"


def test_import_csv_delimiter_comes_from_the_header(tmp_path):
    f = tmp_path / "many_semicolons.csv"
    f.write_text(
        'name,email,skills,summary\n'
        'Alan Turing,alan@example.org,"Maths; Crypto; Logic","Bletchley; Manchester; NPL; Cambridge"\n',
        encoding="utf-8",
    )
    r = only(f)
    assert (r.name, r.skills) == ("Alan Turing", ["Maths", "Crypto", "Logic"])
    t = tmp_path / "team.tsv"
    t.write_text("Name\tEmail\tSkills\nJoan Clarke\tjoan@example.org\tCrypto, Chess\n", encoding="utf-8")
    r = only(t)
    assert (r.name, r.email, r.skills) == ("Joan Clarke", "joan@example.org", ["Crypto", "Chess"])


def test_import_csv_anonymous_resume_rows_and_rows_with_nothing(tmp_path):
    f = tmp_path / "anon.csv"
    f.write_text('Category,Resume\nData Science,"Skills: Python, pandas. Call +33 6 12 34 56 78"\nHR,\n', encoding="utf-8")
    parsed = parse_file(f)
    assert [r.text for r in parsed.records] == ["Skills: Python, pandas. Call [phone removed]"]
    assert parsed.records[0].external_id.startswith("sha1:")
    assert [(e.path, e.reason) for e in parsed.failures] == [
        (f"{f}:3", "no content: no name, e-mail, URL, skills, titles, summary or text found"),
    ]


@pytest.mark.parametrize(
    ("first_lines", "name", "headline"),
    [
        ("Curriculum Vitae\nMarie Curie\nPhysicist\n", "Marie Curie", "Physicist"),
        ("Senior Data Engineer\nmarie@example.org\n", None, None),
        ("Professional Summary\nI build things.\n", None, None),
        ("# Jean-Luc Picard\n\n_Captain_\n", "Jean-Luc Picard", "Captain"),
    ],
)
def test_import_text_name_heuristics(tmp_path, first_lines, name, headline):
    f = tmp_path / "cv.md"
    f.write_text(first_lines + "Skills: Leadership\n", encoding="utf-8")
    r = only(f)
    assert (r.name, r.headline) == (name, headline)
