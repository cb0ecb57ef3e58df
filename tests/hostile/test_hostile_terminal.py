"""Tests that terminal escape sequences are stripped when stored and escaped wherever text reaches a terminal.

Two paths: new data (imported through the store) loses its control characters at
write time; data already stored with them (written by an older version, here with a
raw SQLite UPDATE) is printed with visible `\\x1b` escapes by the CLI and the review app.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from hostile_corpus import ESCAPES_NAME, FIXTURES
from hostile_helpers import run_cli

from sourcing.importers import import_paths
from sourcing.models import JobPosting, ProfileRecord, RankedCandidate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))
from pilot_helpers import screen_text, settle, write_config  # noqa: E402

RAW = "\x1b[2J\x1b]0;pwned\x07"


def test_hostile_control_characters_are_stripped_at_write_time(store):
    report = import_paths(store, [FIXTURES / "escapes.resume.json"])
    (outcome,) = report.outcomes
    cand = store.get_candidate(outcome.candidate_id)
    assert ESCAPES_NAME != "Eve Mallory" and cand["name"] == "Eve Mallory"
    (profile,) = cand["profiles"]
    assert profile["headline"] == "Red team"
    assert profile["summary"] == "Line one\nLine\ttwo blink"  # newline and tab kept in free text
    job = store.get_job(store.upsert_job(JobPosting("greenhouse", "1", title="Dev\x1b[31m ops\n", description="a\x9b31mb\r\nc",
                                                    source_key="greenhouse:x")).id)
    assert (job["title"], job["description"]) == ("Dev ops ", "ab\nc")


def _legacy_rows(store, db_path) -> tuple[int, int]:
    """One candidate and one job, then control codes written straight into the file (as an old version could)."""
    cid = store.upsert_profile(ProfileRecord("import", "legacy-1", name="Plain Name", headline="Plain",
                                             summary="plain")).candidate_id
    job_id = store.add_job("Plain job", "plain description")
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE candidate SET name = ?, headline = ? WHERE id = ?", (f"Eve {RAW}Mallory", f"Head{RAW}", cid))
    raw.execute("UPDATE profile SET name = ?, summary = ? WHERE candidate_id = ?", (f"Eve {RAW}", f"sum{RAW}", cid))
    raw.execute("UPDATE job SET title = ?, description = ? WHERE id = ?", (f"Job{RAW}", f"desc{RAW}", job_id))
    raw.commit()
    raw.close()
    return cid, job_id


def test_hostile_cli_output_escapes_stored_control_characters(store, db_path, tmp_path):
    cid, job_id = _legacy_rows(store, db_path)
    for args in (["candidates", "list"], ["candidates", "show", str(cid), "--text"], ["jobs", "list"], ["jobs", "show", str(job_id)]):
        proc = run_cli("--db", str(db_path), *args, cwd=tmp_path)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout, args
        assert "\\x1b[2J\\x1b]0;pwned\\x07" in proc.stdout, (args, proc.stdout)


async def test_hostile_review_app_escapes_stored_control_characters(store, db_path, tmp_path):
    from tui.app import make_app
    from tui.screens.candidate import CandidateScreen

    cid, job_id = _legacy_rows(store, db_path)
    store.save_ranking(job_id, "fake", [RankedCandidate(cid, 0.9, {"dense": 0.9}, {"matched_skills": [], "missing_must": []})])
    app = make_app(write_config(tmp_path), store, job_id=job_id, export_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "\\x1b[2J" in text, text
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CandidateScreen)
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\\x1b[2J" in text, text


def test_hostile_rank_output_escapes_stored_control_characters(store, db_path, tmp_path):
    cid, job_id = _legacy_rows(store, db_path)
    cfg = tmp_path / "config.toml"
    cfg.write_text('[ranking]\nmodel = "fake"\nmultilingual_model = "fake"\n', encoding="utf-8")
    shown = {}
    for fmt in ("--table", "--json", "--nl", "--csv"):
        proc = run_cli("--config", str(cfg), "--db", str(db_path), "rank", str(job_id), "--no-blind", fmt, cwd=tmp_path)
        assert proc.returncode == 0, (fmt, proc.stderr)
        assert "\x1b" not in proc.stdout + proc.stderr and "\x07" not in proc.stdout + proc.stderr, fmt
        shown[fmt] = proc.stdout
    for fmt in ("--table", "--csv"):  # the name and headline, with the escapes visible
        assert "Eve \\x1b[2J\\x1b]0;pwned\\x07Mallory" in shown[fmt], shown[fmt]
        assert "Head\\x1b[2J" in shown[fmt], shown[fmt]
    for fmt in ("--json", "--nl"):  # JSON keeps the text, escaped as JSON does
        assert "Eve \\u001b[2J\\u001b]0;pwned\\u0007Mallory" in shown[fmt], shown[fmt]
