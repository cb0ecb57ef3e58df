"""`sourcing rank` on a pool larger than K: best K of N said on stderr, --retrieve widens, filters apply."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ranking_helpers import DJANGO_JOB_EN, backend_profile, frontend_profile, pastry_profile
from sourcing.cli import cli
from sourcing.storage import Store


def _db(tmp_path):
    path = tmp_path / "s.db"
    s = Store.open(str(path))
    s.upsert_profile(backend_profile())
    s.upsert_profile(pastry_profile())
    s.upsert_profile(frontend_profile())
    for i in range(5):
        s.upsert_profile(backend_profile(external_id=f"b{i}", name=f"B {i}", email=f"b{i}@example.org", location="Lyon, France"))
    job = s.add_job("Python backend engineer", DJANGO_JOB_EN)
    s.close()
    return path, job


def test_rank_says_best_k_of_n_and_retrieve_widens(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCING_RANKING__MODEL", "fake")
    path, job = _db(tmp_path)
    res = CliRunner().invoke(cli, ["--db", str(path), "rank", str(job), "--retrieve", "3", "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "best 3 of 8 — pass --retrieve N to widen" in res.stderr
    assert len(json.loads(res.stdout)) == 3
    s = Store.open(str(path))
    assert len(s.get_ranking(job)) == 3
    s.close()
    res = CliRunner().invoke(cli, ["--db", str(path), "rank", str(job), "--retrieve", "8", "--json"], catch_exceptions=False)
    assert "best" not in res.stderr and len(json.loads(res.stdout)) == 8
    res = CliRunner().invoke(cli, ["--db", str(path), "rank", str(job), "--location", "lyon", "--json"], catch_exceptions=False)
    rows = json.loads(res.stdout)
    assert len(rows) == 6 and all(r["explanation"]["location"] == "Lyon, France" for r in rows)  # 5 + the pastry chef


@pytest.mark.model
def test_rank_with_every_vector_cached_never_imports_torch(tmp_path):
    from ranking.encoders import build_encoder
    from ranking.service import rank_job

    path, job = _db(tmp_path)
    s = Store.open(str(path))
    enc = build_encoder("default", device="cpu")
    rank_job(s, job, encoder=enc)  # embeds the pool and the job with the real MiniLM, once
    s.close()
    code = ("import sys; from sourcing.cli import main; sys.argv = ['sourcing', '--db', sys.argv[1], 'rank', sys.argv[2]];"
            "import atexit; atexit.register(lambda: print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', file=sys.stderr))\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    out = subprocess.run([sys.executable, "-c", code, str(path), str(job)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "Alice Martin" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "NO-TORCH"
