"""`sourcing --db URL demo` fills the store it is given (a Postgres URL on the Postgres pass), not a throwaway file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sourcing.storage import Store

pytestmark = pytest.mark.postgres


def test_demo_honours_db_and_merges_people_across_sources(tmp_path, db_url):
    # The fake encoder keeps this test model-free; the demo's ranking with the real models is tested elsewhere.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TMPDIR": str(tmp_path), "SOURCING_RANKING__MODEL": "fake",
           "SOURCING_RANKING__MULTILINGUAL_MODEL": "fake"}
    sourcing = str(Path(sys.executable).parent / "sourcing")
    proc = subprocess.run([sourcing, "--db", db_url, "demo", "--no-tui", "--top", "2"], capture_output=True, text=True,
                          env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    crawled = re.findall(r"crawled (\S+)\s+(\w+)\s+new\s+(\d+)\s+errors (\d+)", proc.stderr)
    assert len(crawled) == 7 and all(status == "ok" and errors == "0" for _k, status, _n, errors in crawled), proc.stderr
    with Store.open(db_url) as store:
        assert len(store.list_jobs(open_only=True, own=True)) == 9
        # 25 GitHub users and 19 résumés, some of them the same people: merged across sources.
        profiles = store.candidate_profiles()
        assert sum(len(p) for p in profiles.values()) == 44
        assert store.count_candidates() == 31
        assert any({p["source_kind"] for p in ps} == {"github", "jsonresume"} for ps in profiles.values())
    assert not list(tmp_path.glob("sourcing-demo-*/demo.db"))  # no throwaway database was made
