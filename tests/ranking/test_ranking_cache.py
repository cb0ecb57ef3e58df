"""Embedding cache on a real SQLite store: hits, misses, persistence, embed_pending."""

from __future__ import annotations

import numpy as np
import pytest

from ranking.cache import EmbeddingCache
from ranking.encoders import FakeEncoder
from ranking.matrix import decode_blob
from ranking.text import text_hash

pytestmark = pytest.mark.postgres


class CountingEncoder(FakeEncoder):
    """A fake encoder that records every text it is asked to encode."""

    def __init__(self, dim: int = 16) -> None:
        super().__init__(dim)
        self.seen: list[str] = []

    def encode(self, texts, **kw):
        self.seen.extend(texts)
        return super().encode(texts, **kw)


def test_misses_are_encoded_once_and_stored(store):
    enc = CountingEncoder()
    cache = EmbeddingCache(store, enc)
    v1 = cache.embed(["python developer", "pastry chef", "python developer"])
    assert enc.seen == ["python developer", "pastry chef"]
    assert cache.stats.embedded == 2
    assert np.allclose(v1[0], v1[2])
    stored = store.get_embeddings(enc.name, [text_hash("pastry chef")])
    assert np.allclose(decode_blob(stored[text_hash("pastry chef")]), v1[1])
    # Same process, same store: served from memory.
    cache.embed(["pastry chef"])
    assert cache.stats.embedded == 2 and cache.stats.memory_hits >= 1


def test_store_hits_survive_a_new_process_matrix(db_url):
    from sourcing.storage import Store

    s1 = Store.open(db_url)
    EmbeddingCache(s1, CountingEncoder()).embed(["a text", "another text"])
    s1.close()
    s2 = Store.open(db_url)  # a new store object = a new in-memory matrix
    enc = CountingEncoder()
    cache = EmbeddingCache(s2, enc)
    cache.embed(["a text", "another text", "a third text"])
    s2.close()
    assert enc.seen == ["a third text"]
    assert cache.stats.store_hits == 2 and cache.stats.embedded == 1


def test_models_do_not_share_vectors(store):
    a, b = CountingEncoder(16), CountingEncoder(32)
    EmbeddingCache(store, a).embed(["same text"])
    EmbeddingCache(store, b).embed(["same text"])
    assert a.seen == ["same text"] and b.seen == ["same text"]
    assert store.count_embeddings(a.name) == 1 and store.count_embeddings(b.name) == 1


def test_embed_pending_second_run_embeds_nothing(pool_store):
    from ranking.service import embed_pending
    from sourcing.models import ProfileRecord

    enc = CountingEncoder(64)
    first = embed_pending(pool_store, encoder=enc)
    assert first > 0 and first == len(set(enc.seen))
    assert embed_pending(pool_store, encoder=enc) == 0
    pool_store.upsert_profile(ProfileRecord("github", "dave", name="Dave", headline="Go developer", summary="Writes Go services."))
    assert embed_pending(pool_store, encoder=enc) > 0


def test_rank_after_embed_pending_embeds_zero(pool_store):
    from ranking.service import embed_pending, rank_job

    enc = CountingEncoder(64)
    embed_pending(pool_store, encoder=enc)
    before = len(enc.seen)
    rank_job(pool_store, pool_store.job_id_en, encoder=enc)
    assert len(enc.seen) == before
