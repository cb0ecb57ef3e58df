"""Tests shortlist exports on a real store: rows, blind mode, formula neutralisation, column round-trip."""

from __future__ import annotations

import csv
import json
import stat

import pytest
from openpyxl import load_workbook

from sourcing.errors import NotFoundError, UsageError
from sourcing.exports import COLUMNS, DEFAULT_COLUMNS, neutralise, shortlist_rows, write_export
from sourcing.models import ProfileRecord, RankedCandidate

pytestmark = pytest.mark.postgres

EVIL = '=HYPERLINK("http://x","y")'


@pytest.fixture
def job(store):
    """A job with three ranked candidates (one named like a formula) and decisions."""
    job_id = store.add_job("Data engineer", "Python, SQL, Spark", company="Acme")
    people = [
        ProfileRecord("import", "email:evil@example.org", source_key="import:csv", name=EVIL, email="evil@example.org",
                      headline="+33 tricky headline", location="@Paris", url="https://evil.example.org/me"),
        ProfileRecord("github", "octo", source_key="github", name="Octo Cat", email="octo@example.org",
                      headline="Data engineer", location="Lyon", url="https://github.com/octo", github_login="octo"),
        ProfileRecord("import", "email:nora@example.org", source_key="import:pdf", name="Nora Quinn",
                      email="nora@example.org", headline="Analyst"),
    ]
    ids = [store.upsert_profile(p).candidate_id for p in people]
    store.save_ranking(job_id, "test-model", [
        RankedCandidate(ids[0], 0.91, explanation={"matched_skills": ["-SQL", "Python"], "missing_must": ["Spark"]}),
        RankedCandidate(ids[1], 0.75, explanation={"matched_skills": [{"skill": "Spark"}], "missing_must": []}),
        RankedCandidate(ids[2], 0.40),
    ])
    store.set_decision(job_id, ids[0], "shortlisted", note="-1 from ops\tsee call", actor="test")
    store.set_decision(job_id, ids[2], "rejected", actor="test")
    return job_id, ids


def test_export_rows_default_columns_and_order(store, job):
    job_id, ids = job
    rows = shortlist_rows(store, job_id)
    assert [list(r) for r in rows] == [list(DEFAULT_COLUMNS)] * 3
    assert [(r["rank"], r["name"], r["status"]) for r in rows] == [(1, EVIL, "shortlisted"), (2, "Octo Cat", ""), (3, "Nora Quinn", "rejected")]
    assert rows[0]["matched"] == ["-SQL", "Python"] and rows[0]["missing"] == ["Spark"]
    assert rows[1]["matched"] == ["Spark"]
    assert rows[1]["sources"] == ["https://github.com/octo"]
    assert rows[2]["sources"] == ["import:pdf"]  # an imported file has no URL: its source says where it came from


def test_export_rows_status_filter_blind_and_unranked(store, job):
    job_id, ids = job
    assert [r["candidate_id"] for r in shortlist_rows(store, job_id, status="shortlisted", columns=["candidate_id"])] == [ids[0]]
    assert [r["candidate_id"] for r in shortlist_rows(store, job_id, status="undecided", columns=["id"])] == [ids[1]]
    blind = shortlist_rows(store, job_id, blind=True, columns=["name", "email", "sources"])
    assert all(r["name"].startswith("Candidate ") and r["email"] == "" for r in blind)
    assert blind[1]["sources"] == ["github"]
    # a decided candidate who is no longer in the ranking still appears, unranked
    store.save_ranking(job_id, "test-model", [RankedCandidate(ids[1], 0.5)])
    rows = shortlist_rows(store, job_id, columns=["rank", "score", "candidate_id", "status"])
    assert rows == [
        {"rank": 1, "score": 0.5, "candidate_id": ids[1], "status": ""},
        {"rank": None, "score": None, "candidate_id": ids[0], "status": "shortlisted"},
        {"rank": None, "score": None, "candidate_id": ids[2], "status": "rejected"},
    ]


def test_export_rows_errors(store, job):
    job_id, _ = job
    with pytest.raises(NotFoundError):
        shortlist_rows(store, 999)
    with pytest.raises(UsageError, match="unknown export column 'salary'"):
        shortlist_rows(store, job_id, columns=["name", "salary"])
    with pytest.raises(UsageError, match="unknown status 'hired'"):
        shortlist_rows(store, job_id, status="hired")
    with pytest.raises(UsageError, match="unknown export format 'ods'"):
        write_export([], "ods", "x.ods")


def test_export_neutralise_each_prefix():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Paris") == "Paris" and neutralise("a=b") == "a=b" and neutralise("") == ""


def test_export_csv_formula_is_inert_and_columns_round_trip(store, job, tmp_path):
    job_id, ids = job
    rows = shortlist_rows(store, job_id, columns=list(COLUMNS))
    out = write_export(rows, "csv", tmp_path / "s.csv", list(COLUMNS))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with open(out, encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0] == list(COLUMNS)
    first = dict(zip(back[0], back[1]))
    assert first["name"] == "'" + EVIL
    assert first["headline"] == "'+33 tricky headline" and first["location"] == "'@Paris"
    assert first["note"] == "'-1 from ops\tsee call"
    assert first["matched"] == "'-SQL; Python"
    assert (first["rank"], first["score"], first["candidate_id"]) == ("1", "0.91", str(ids[0]))
    for line in back[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in line)
    assert [dict(zip(back[0], line))["email"] for line in back[1:]] == [r["email"] for r in rows]


def test_export_xlsx_formula_is_inert_and_string_typed(store, job, tmp_path):
    job_id, ids = job
    cols = ["candidate_id", "name", "location", "score", "matched"]
    out = write_export(shortlist_rows(store, job_id, columns=cols), "xlsx", tmp_path / "s.xlsx", cols)
    wb = load_workbook(out)
    ws = wb.active
    assert [c.value for c in ws[1]] == cols
    name = ws["B2"]
    assert name.value == "'" + EVIL and name.data_type == "s"
    assert ws["C2"].value == "'@Paris" and ws["C2"].data_type == "s"
    assert ws["A2"].value == ids[0] and ws["D2"].value == 0.91  # numbers stay numbers
    assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)
    # the formula text is not a formula in the file either
    wb_formulas = load_workbook(out, data_only=False)
    assert all(not str(c.value).startswith("=") for row in wb_formulas.active.iter_rows() for c in row if c.value is not None)


def test_export_json_keeps_lists_and_raw_text(store, job, tmp_path):
    job_id, _ = job
    cols = ["name", "matched", "sources", "score"]
    rows = shortlist_rows(store, job_id, columns=cols)
    out = write_export(rows, "json", tmp_path / "s.json", cols)
    back = json.loads(out.read_text(encoding="utf-8"))
    assert back == rows
    assert back[0]["name"] == EVIL  # JSON is data, not a spreadsheet: no quote added


def test_export_to_stdout(store, job, capsysbinary):
    job_id, _ = job
    assert write_export(shortlist_rows(store, job_id, columns=["name"]), "csv", "-", ["name"]) is None
    text = capsysbinary.readouterr().out.decode("utf-8")
    assert text.splitlines()[:2] == ['"name"', '"\'=HYPERLINK(""http://x"",""y"")"']


def test_export_bad_destination(tmp_path):
    with pytest.raises(UsageError, match="no such directory"):
        write_export([], "csv", tmp_path / "nope" / "s.csv")
    with pytest.raises(UsageError, match="is a directory"):
        write_export([], "json", tmp_path)


def test_export_flags_must_haves_met_only_in_part(store):
    job_id = store.add_job("Platform engineer", "Docker and Kubernetes")
    cid = store.upsert_profile(ProfileRecord("github", "dock", source_key="github", name="Dee Ock", github_login="dock")).candidate_id
    explanation = {
        "matched_skills": ["Docker"], "missing_must": ["Terraform"],
        "requirements": [
            {"text": "Docker and Kubernetes", "kind": "must", "matched": True, "partial": True, "note": "Kubernetes not found"},
            {"text": "Terraform", "kind": "must", "matched": False},
            {"text": "Helm and Argo", "kind": "nice", "matched": True, "partial": True, "note": "Argo not found"},
        ],
    }
    store.save_ranking(job_id, "test-model", [RankedCandidate(cid, 0.6, explanation=explanation)])
    (row,) = shortlist_rows(store, job_id, columns=["missing"])
    assert row["missing"] == ["Terraform", "Docker and Kubernetes (partly: Kubernetes not found)"]


def test_export_temporary_file_is_written_beside_the_target(tmp_path, monkeypatch):
    """Kills the mutant `tempfile.mkstemp(..., dir=None)` in `_atomic_write` (it survived the
    2026-12-03 mutation run): a temporary file in the system temp folder holds people's data
    outside the folder the user chose, and `os.replace` fails across filesystems. Here the
    system temp folder does not exist, so only a temp file made beside the target can work."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-system-tmp"))
    target = tmp_path / "out" / "s.json"
    target.parent.mkdir()
    out = write_export([{"name": "Ada"}], "json", target, ["name"])
    assert out == target and json.loads(target.read_text(encoding="utf-8")) == [{"name": "Ada"}]
    assert sorted(p.name for p in target.parent.iterdir()) == ["s.json"]  # the temporary file was renamed, none left
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
