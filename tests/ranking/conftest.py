"""Provides ranking fixtures: a fake encoder, a small candidate pool, the real models (session)."""

from __future__ import annotations

import pytest

from ranking_helpers import DJANGO_JOB_EN, DJANGO_JOB_FR, backend_profile, frontend_profile, pastry_profile


@pytest.fixture
def fake_encoder():
    from ranking.encoders import FakeEncoder

    return FakeEncoder(dim=64)


@pytest.fixture
def pool_store(store):
    """A store with a Django job (id in store.job_id_en) and three candidates."""
    ids = {}
    for p in (backend_profile(), pastry_profile(), frontend_profile()):
        ids[p.external_id] = store.upsert_profile(p).candidate_id
    store.ids = ids
    store.job_id_en = store.add_job("Senior Python Backend Engineer (Django)", DJANGO_JOB_EN, location="Paris")
    store.job_id_fr = store.add_job("Développeur Python Django senior (H/F)", DJANGO_JOB_FR, location="Paris")
    return store


@pytest.fixture(scope="session")
def minilm():
    """The packaged all-MiniLM-L6-v2 (loads torch once per test session)."""
    from ranking.encoders import build_encoder

    enc = build_encoder("default", device="cpu")
    enc.encode(["warm up"])
    return enc


@pytest.fixture(scope="session")
def muse():
    """The multilingual Universal Sentence Encoder (pure numpy)."""
    from ranking.encoders import build_encoder

    enc = build_encoder("muse")
    enc.encode(["warm up"])
    return enc
