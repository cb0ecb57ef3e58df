"""Provides `VectorMatrix`: one model's cached vectors as a contiguous, growable array.

Rows are keyed by text hash. The matrix is filled from the store's embedding cache
and kept in sync incrementally: `ensure()` fetches only the hashes it does not hold
yet (one `get_embeddings` query per call, not one per row), `load_all()` streams
the whole cache once. Capacity doubles when full, so appending is amortised O(1)
and the data stays one contiguous block that `ranking.search` can scan.
"""

from __future__ import annotations

import weakref
from typing import Any, Iterable, Sequence

import numpy as np


class VectorMatrix:
    """Vectors of one model, addressed by text hash."""

    def __init__(self, model: str, dim: int, *, dtype: Any = np.float32, capacity: int = 1024) -> None:
        self.model = model
        self.dim = dim
        self.dtype = np.dtype(dtype)
        self._data = np.zeros((max(capacity, 1), dim), dtype=self.dtype)
        self._size = 0
        self._rows: dict[str, int] = {}

    def __len__(self) -> int:
        return self._size

    def __contains__(self, key: str) -> bool:
        return key in self._rows

    @property
    def data(self) -> np.ndarray:
        """The filled rows (a view, contiguous)."""
        return self._data[: self._size]

    def _grow(self, need: int) -> None:
        if need <= self._data.shape[0]:
            return
        cap = self._data.shape[0]
        while cap < need:
            cap *= 2
        new = np.zeros((cap, self.dim), dtype=self.dtype)
        new[: self._size] = self._data[: self._size]
        self._data = new

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Append vectors for keys not held yet (keys already present are overwritten)."""
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"{self.model}: expected vectors of dim {self.dim}, got shape {vectors.shape}")
        fresh: list[int] = []
        pending: set[str] = set()
        for i, key in enumerate(keys):
            row = self._rows.get(key)
            if row is not None:
                self._data[row] = vectors[i]
            elif key not in pending:  # a key twice in one call gets one row
                pending.add(key)
                fresh.append(i)
        if not fresh:
            return
        self._grow(self._size + len(fresh))
        idx = np.asarray(fresh)
        self._data[self._size : self._size + len(fresh)] = vectors[idx]
        for offset, i in enumerate(fresh):
            self._rows[keys[i]] = self._size + offset
        self._size += len(fresh)

    def add_blobs(self, items: Iterable[tuple[str, bytes]], *, batch: int = 65536) -> int:
        """Append (hash, float32 blob) pairs as they stream in; returns how many were read."""
        keys: list[str] = []
        bufs: list[bytes] = []
        total = 0
        for key, blob in items:
            keys.append(key)
            bufs.append(blob)
            if len(keys) >= batch:
                self.add(keys, _decode(bufs, self.dim))
                total += len(keys)
                keys, bufs = [], []
        if keys:
            self.add(keys, _decode(bufs, self.dim))
            total += len(keys)
        return total

    def rows(self, keys: Sequence[str]) -> np.ndarray:
        """Row index of each key (KeyError if one is missing: call `ensure` first)."""
        return np.fromiter((self._rows[k] for k in keys), dtype=np.int64, count=len(keys))

    def missing(self, keys: Iterable[str]) -> list[str]:
        """Keys (deduplicated, in order) the matrix does not hold."""
        seen: set[str] = set()
        out = []
        for k in keys:
            if k not in self._rows and k not in seen:
                seen.add(k)
                out.append(k)
        return out

    def ensure(self, store: Any, keys: Iterable[str]) -> list[str]:
        """Load the given keys from the store's cache when not held; return keys still missing."""
        want = self.missing(keys)
        if not want:
            return []
        found = store.get_embeddings(self.model, want)
        if found:
            self.add_blobs(found.items())
        return [k for k in want if k not in self._rows]

    def load_all(self, store: Any) -> int:
        """Stream every cached vector of this model into the matrix; returns rows read."""
        return self.add_blobs(store.iter_embeddings(self.model))


def _decode(blobs: list[bytes], dim: int) -> np.ndarray:
    arr = np.frombuffer(b"".join(blobs), dtype=np.float32)
    return arr.reshape(len(blobs), dim)


def encode_blob(vector: np.ndarray) -> bytes:
    """A vector as the float32 bytes the store keeps."""
    return np.asarray(vector, dtype=np.float32).tobytes()


def decode_blob(blob: bytes) -> np.ndarray:
    """The float32 vector in a stored blob."""
    return np.frombuffer(blob, dtype=np.float32)


_MATRICES: "weakref.WeakKeyDictionary[Any, dict[str, VectorMatrix]]" = weakref.WeakKeyDictionary()


def matrix_for(store: Any, model: str, dim: int, *, float16: bool = False) -> VectorMatrix:
    """The process-wide matrix of `model` for this store (created on first use).

    Keyed weakly by the store object, so closing and dropping a store frees its vectors.
    """
    try:
        per_store = _MATRICES.setdefault(store, {})
    except TypeError:  # a store type that cannot be weakly referenced: no process cache
        return VectorMatrix(model, dim, dtype=np.float16 if float16 else np.float32)
    dtype = np.float16 if float16 else np.float32
    m = per_store.get(model)
    if m is None or m.dim != dim or m.dtype != np.dtype(dtype):
        m = VectorMatrix(model, dim, dtype=dtype)
        per_store[model] = m
    return m
