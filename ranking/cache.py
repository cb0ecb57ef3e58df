"""Provides the embedding cache: a text is embedded once per model, ever.

Vectors live in the store (`store.get_embeddings` / `put_embeddings`, keyed by
(model name, SHA-1 of the text)) and, for the running process, in a `VectorMatrix`.
`EmbeddingCache.embed(texts)` looks in the matrix, then the store (one query for
all misses), and encodes only what neither holds, writing it back in one batch.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ranking.encoders import Encoder, Progress
from ranking.matrix import VectorMatrix, encode_blob, matrix_for
from ranking.text import text_hash

# The process-wide matrices are shared by threads (review-app workers): one writer at a time.
_LOCK = threading.RLock()


@dataclass
class CacheStats:
    """What one cache did: texts asked for, found in memory, found in the store, encoded."""

    requested: int = 0
    memory_hits: int = 0
    store_hits: int = 0
    embedded: int = 0


@dataclass
class EmbeddingCache:
    """An encoder in front of the store's embedding table.

    Args:
        store: a `sourcing.storage.Store` (or anything with get/put_embeddings).
        encoder: the model; its `name` is the cache key's first half.
        float16: keep the in-memory matrix in float16 (the store always keeps float32).
        write_batch: vectors written per `put_embeddings` call while encoding a long list.
    """

    store: Any
    encoder: Encoder
    float16: bool = False
    write_batch: int = 2048
    stats: CacheStats = field(default_factory=CacheStats)

    @property
    def matrix(self) -> VectorMatrix:
        """The process-wide matrix of this model for this store."""
        return matrix_for(self.store, self.encoder.name, self.encoder.dim, float16=self.float16)

    def hashes(self, texts: Sequence[str]) -> list[str]:
        """Cache keys of the texts."""
        return [text_hash(t) for t in texts]

    def ensure(self, texts: Sequence[str], *, progress: Progress | None = None, owners: dict[str, str] | None = None,
               keys: Sequence[str] | None = None) -> list[str]:
        """Make sure every text has a vector in the matrix; return their hashes (same order).

        Args:
            texts: the texts.
            progress: `progress(done, total)` while encoding misses.
            owners: hash -> "candidate:<id>" / "job:<id>", stored so erasure finds a person's vectors.
            keys: the texts' hashes when already known (`text_hash` of each text, same order).
        """
        keys = self.hashes(texts) if keys is None else list(keys)
        with _LOCK:
            self._ensure(keys, texts, progress, owners)
        return keys

    def _ensure(self, keys: list[str], texts: Sequence[str], progress: Progress | None, owners: dict[str, str] | None) -> None:
        matrix = self.matrix
        self.stats.requested += len(keys)
        before = len(matrix.missing(keys))
        self.stats.memory_hits += len(set(keys)) - before
        still = set(matrix.ensure(self.store, keys))
        self.stats.store_hits += before - len(still)
        if still:
            todo_keys: list[str] = []
            todo_texts: list[str] = []
            for k, t in zip(keys, texts):
                if k in still:
                    still.discard(k)
                    todo_keys.append(k)
                    todo_texts.append(t)
            self._encode_and_store(todo_keys, todo_texts, progress, owners or {})

    def _encode_and_store(self, keys: list[str], texts: list[str], progress: Progress | None, owners: dict[str, str]) -> None:
        total = len(texts)
        step = max(self.write_batch, 1)
        for start in range(0, total, step):
            part_keys = keys[start : start + step]
            part_texts = texts[start : start + step]

            def sub_progress(n: int, _m: int, _base: int = start) -> None:
                if progress:
                    progress(_base + n, total)

            vecs = self.encoder.encode(part_texts, progress=sub_progress if progress else None)
            self.store.put_embeddings(
                self.encoder.name, {k: encode_blob(v) for k, v in zip(part_keys, vecs)}, dim=self.encoder.dim,
                **({"owners": {k: owners[k] for k in part_keys if k in owners}} if owners else {}),
            )
            self.matrix.add(part_keys, vecs)
            self.stats.embedded += len(part_keys)

    def embed(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Vectors of the texts (float32, one row per text), embedding only cache misses."""
        keys = self.ensure(texts, progress=progress)
        matrix = self.matrix
        if not keys:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return matrix.data[matrix.rows(keys)].astype(np.float32)
