"""Tests `import_paths` against a real SQLite store: counts, dedup on re-import, bad files in a batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from importexport_helpers import make_docx, make_pdf

from sourcing.importers import expand_paths, import_paths
import pytest

pytestmark = pytest.mark.postgres

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "core"


def batch_dir(tmp_path: Path) -> Path:
    d = tmp_path / "cvs"
    (d / "sub").mkdir(parents=True)
    for name in ("sample.resume.json", "people.csv", "ada.md", "rene.cp1252.txt"):
        shutil.copy(FIX / name, d / name)
    make_pdf(d / "sub" / "katherine.pdf", ["Katherine Johnson", "Mathematician", "katherine@example.org"])
    make_docx(d / "sub" / "dorothy.docx", ["Dorothy Vaughan", "FORTRAN programmer", "dorothy@example.org"])
    (d / "notes.jpg").write_bytes(b"\xff\xd8")  # not a supported suffix: ignored inside a directory
    (d / ".hidden.md").write_text("Hidden Person\n", encoding="utf-8")
    return d


def test_import_batch_counts_then_reimport_is_unchanged(store, tmp_path):
    d = batch_dir(tmp_path)
    seen = []
    first = import_paths(store, [d], on_result=seen.append)
    assert first.files == 6
    assert (first.new, first.updated, first.unchanged, first.failed) == (8, 0, 0, 0)
    assert seen == first.outcomes
    assert len(store.list_candidates()) == 8
    second = import_paths(store, [d])
    assert (second.new, second.updated, second.unchanged, second.failed) == (0, 0, 8, 0)
    assert len(store.list_candidates()) == 8


def test_import_batch_edited_resume_is_an_update_of_the_same_candidate(store, tmp_path):
    f = tmp_path / "r.json"
    doc = json.loads((FIX / "sample.resume.json").read_text(encoding="utf-8"))
    f.write_text(json.dumps(doc), encoding="utf-8")
    cid = import_paths(store, [f]).outcomes[0].candidate_id
    doc["basics"]["label"] = "Chief Compression Officer"
    f.write_text(json.dumps(doc), encoding="utf-8")
    again = import_paths(store, [f])
    assert [(o.status, o.candidate_id) for o in again.outcomes] == [("updated", cid)]
    assert store.get_candidate(cid)["headline"] == "Chief Compression Officer"


def test_import_batch_same_person_in_two_formats_is_one_candidate(store, tmp_path):
    pdf = make_pdf(tmp_path / "grace.pdf", ["Grace Hopper", "Compiler engineer", "grace@example.org"])
    report = import_paths(store, [FIX / "people.csv", pdf])
    assert report.new == 4
    grace = {o.candidate_id for o in report.outcomes if o.where in (f"{FIX / 'people.csv'}:2", str(pdf))}
    assert len(grace) == 1
    cand = store.get_candidate(grace.pop())
    assert sorted(p["source_key"] for p in cand["profiles"]) == ["import:csv", "import:pdf"]
    assert len(store.list_candidates()) == 3


def test_import_batch_goes_on_after_bad_files(store, tmp_path):
    good = shutil.copy(FIX / "ada.md", tmp_path / "ada.md")
    broken = tmp_path / "broken.json"
    broken.write_text('{"basics": ', encoding="utf-8")
    locked = make_pdf(tmp_path / "locked.pdf", ["A B"], password="pw")
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"\x00\x01\x02" * 50)
    bad_rows = tmp_path / "rows.csv"
    bad_rows.write_text("name,email\nAlan Turing,alan@example.org\nX,bad@\n", encoding="utf-8")
    report = import_paths(store, [broken, locked, good, junk, bad_rows, tmp_path / "missing.txt"])
    assert (report.new, report.failed) == (2, 5)
    reasons = {o.where: o.reason for o in report.failures}
    assert reasons[str(broken)] == "malformed JSON at line 1, column 12: Expecting value"
    assert reasons[str(locked)].startswith("encrypted PDF")
    assert reasons[str(junk)].startswith("not a DOCX")
    assert reasons[f"{bad_rows}:3"] == "column 'email': 'bad@' is not an e-mail address"
    assert reasons[str(tmp_path / "missing.txt")].startswith("cannot read the file")
    assert report.summary() == "6 files: 2 new, 0 updated, 0 unchanged, 0 skipped, 5 failed"


def test_import_batch_forgotten_person_is_skipped(store, tmp_path):
    f = shutil.copy(FIX / "ada.md", tmp_path / "ada.md")
    cid = import_paths(store, [f]).outcomes[0].candidate_id
    store.forget_candidate(cid, actor="test")
    again = import_paths(store, [f])
    assert [o.status for o in again.outcomes] == ["skipped"]
    assert "do-not-collect" in again.outcomes[0].reason
    assert store.list_candidates() == []


def test_import_expand_paths_keeps_explicit_files_and_filters_directories(tmp_path):
    d = batch_dir(tmp_path)
    found = expand_paths([d, d / "notes.jpg", d / "ada.md"])
    names = [p.name for p in found]
    assert names == ["ada.md", "people.csv", "rene.cp1252.txt", "sample.resume.json", "dorothy.docx", "katherine.pdf", "notes.jpg"]
