"""Provides the brand tests' fixtures: the fixture market in a real SQLite store, a config naming Acme."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcing.config import load_config
from sourcing.models import ProfileRecord, RankedCandidate

from brand_market import NOW, market_postings


def write_config(tmp_path: Path, db: Path, company: str = "Acme") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'db = "{db}"\nactor = "comms-tester"\n\n[brand]\ncompany = "{company}"\n'
                    'own_sources = ["greenhouse:acme"]\n', encoding="utf-8")
    return path


@pytest.fixture
def config_path(tmp_path, db_path) -> Path:
    return write_config(tmp_path, db_path)


@pytest.fixture
def brand_config(config_path):
    return load_config(config_path, env={})


@pytest.fixture
def market_store(store):
    """The store filled with the fixture market, and a pool ranked for Acme's Python backend role.

    Only one of 12 ranked candidates scores >= 0.6 for "Backend Engineer (Python)": a hard-to-fill signal.
    """
    ids = {p.external_id: store.upsert_job(p).id for p in market_postings()}
    results = []
    for n in range(12):
        cid = store.upsert_profile(ProfileRecord(source_kind="jsonresume", external_id=f"r{n}",
                                                 headline=f"Developer {n}", summary="Python developer")).candidate_id
        results.append(RankedCandidate(candidate_id=cid, score=0.72 if n == 0 else 0.3 - n * 0.01))
    store.save_ranking(ids["4002"], "fake-64", results)
    store.market_ids = ids  # the tests look jobs up by their external id
    return store


@pytest.fixture
def now():
    return NOW
