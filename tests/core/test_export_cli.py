"""Tests `sourcing export JOB` end to end: import, rank, decide, export, read the files back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sourcing.cli import main
from sourcing.errors import ExitStatus
from sourcing.models import ProfileRecord, RankedCandidate
from sourcing.storage import Store

pytestmark = pytest.mark.postgres

EVIL = '=HYPERLINK("http://x","y")'


def run(capsysbinary, db: Path, *args: str) -> tuple[int, bytes, str]:
    try:
        main(["--db", str(db), *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


@pytest.fixture
def db(db_url):
    """A database with one job, two ranked candidates (one named like a formula), one shortlisted."""
    path = db_url
    s = Store.open(path)
    try:
        job = s.add_job("Data engineer", "Python SQL")
        a = s.upsert_profile(ProfileRecord("import", "email:x@example.org", source_key="import:csv", name=EVIL,
                                           email="x@example.org", headline="-dash")).candidate_id
        b = s.upsert_profile(ProfileRecord("import", "email:y@example.org", source_key="import:csv", name="Yann B",
                                           email="y@example.org", url="https://yann.example.org")).candidate_id
        s.save_ranking(job, "m", [RankedCandidate(a, 0.8, explanation={"matched_skills": ["SQL"]}), RankedCandidate(b, 0.6)])
        s.set_decision(job, a, "shortlisted", note="@mention", actor="t")
    finally:
        s.close()
    return path


def test_export_cli_csv_to_stdout_neutralised(capsysbinary, db):
    code, out, _ = run(capsysbinary, db, "export", "1", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    assert [r["name"] for r in rows] == ["'" + EVIL, "Yann B"]
    assert rows[0]["headline"] == "'-dash" and rows[0]["status"] == "shortlisted" and rows[0]["matched"] == "SQL"


def test_export_cli_xlsx_file_with_status_and_columns(capsysbinary, db, tmp_path):
    out = tmp_path / "short.xlsx"
    code, _, err = run(capsysbinary, db, "export", "1", "--status", "shortlisted", "--out", str(out),
                       "--columns", "rank,name,note,email")
    assert code == 0 and f"Wrote 1 row to {out}" in err
    ws = load_workbook(out).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["rank", "name", "note", "email"],
        [1, "'" + EVIL, "'@mention", "x@example.org"],
    ]
    assert ws["B2"].data_type == "s"


def test_export_cli_json_blind_and_config_columns(capsysbinary, db, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[export]\ncolumns = ["name", "email", "sources"]\n', encoding="utf-8")
    out = tmp_path / "s.json"
    code, _, _ = run(capsysbinary, db, "--config", str(cfg), "export", "1", "--blind", "--out", str(out))
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [list(r) for r in data] == [["name", "email", "sources"]] * 2
    assert all(r["name"].startswith("Candidate ") and r["email"] == "" for r in data)
    assert data[1]["sources"] == ["import"]  # blind: the kind, never the profile URL


def test_export_cli_errors(capsysbinary, db, tmp_path):
    code, _, err = run(capsysbinary, db, "export", "7")
    assert code == ExitStatus.NOT_FOUND
    code, _, err = run(capsysbinary, db, "export", "1", "--columns", "name,age")
    assert code == ExitStatus.USAGE and "unknown export column 'age'" in err
    code, _, err = run(capsysbinary, db, "export", "1", "--format", "xlsx", "--out", str(tmp_path / "x.csv"))
    assert code == ExitStatus.USAGE and "does not end in .xlsx" in err
