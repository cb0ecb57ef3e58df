"""Provides the dense index: one model's candidate chunk vectors as files beside the database.

`<db>.index/<key>.vec` holds float32 rows (one per prepared chunk), `<key>.own` the
candidate id of each row (0 = removed), `<key>.json` the row count, the dimension, the
store token and the change-log sequence number the files are current to. The files
are memory-mapped, so opening costs milliseconds and a search reads only the pages it
scans; new rows are appended. The JSON is replaced atomically after the data is
flushed, so a crash mid-write leaves rows past the recorded count (cut on open) or
changes not yet applied (re-applied from the change log): never a stale index that
claims to be current. Erasure zeroes a person's rows in place (`erase_candidate`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np

FORMAT = 1


def index_folder(db_path: Path) -> Path:
    """The folder holding a database's index files (`shop.db` -> `shop.db.index/`)."""
    return db_path.with_name(db_path.name + ".index")


def index_key(model: str, blind: bool) -> str:
    """File-name stem for a model's index in plain or blind mode."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("._") or "model"
    return f"{safe}-{'blind' if blind else 'plain'}"


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's write lock (one writer of index files at a time, across processes)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(folder / "lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class DenseIndex:
    """A memory-mapped matrix of chunk vectors with the candidate id of each row."""

    def __init__(self, folder: Path, key: str, dim: int) -> None:
        self.folder = folder
        self.key = key
        self.dim = dim
        self.vec_path = folder / f"{key}.vec"
        self.own_path = folder / f"{key}.own"
        self.meta_path = folder / f"{key}.json"
        self.rows = 0
        self.seq = -1
        self.token: str | None = None
        self._vec: np.ndarray | None = None
        self._own: np.ndarray | None = None

    # --- state -----------------------------------------------------------------
    def read_meta(self) -> dict[str, Any] | None:
        try:
            meta = json.loads(self.meta_path.read_text())
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None

    def open(self, token: str, max_seq: int) -> bool:
        """Load the recorded state; False (and an empty index) when it cannot be trusted.

        Untrusted: no or unreadable metadata, another dimension, another store's token, a
        sequence number ahead of the database (restored from an older backup), or files
        shorter than the recorded row count. Rows written after the last commit are cut.
        """
        meta = self.read_meta()
        ok = (
            meta is not None and meta.get("dim") == self.dim and meta.get("token") == token
            and isinstance(meta.get("rows"), int) and isinstance(meta.get("seq"), int) and meta["seq"] <= max_seq
        )
        if ok:
            rows = int(meta["rows"])  # type: ignore[index]
            need_vec, need_own = rows * self.dim * 4, rows * 8
            try:
                size_vec, size_own = self.vec_path.stat().st_size, self.own_path.stat().st_size
            except OSError:
                ok = False
            else:
                ok = size_vec >= need_vec and size_own >= need_own
                if ok and (size_vec > need_vec or size_own > need_own):
                    os.truncate(self.vec_path, need_vec)
                    os.truncate(self.own_path, need_own)
        if not ok:
            self.reset(token)
            return False
        self.rows, self.seq, self.token = int(meta["rows"]), int(meta["seq"]), token  # type: ignore[index]
        self._vec = self._own = None
        return True

    def reset(self, token: str) -> None:
        """Empty the index (files truncated) before a rebuild."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for p in (self.vec_path, self.own_path):
            with open(p, "wb"):
                pass
            os.chmod(p, 0o600)
        self.rows, self.seq, self.token = 0, -1, token
        self._vec = self._own = None

    def commit(self, seq: int) -> None:
        """Flush the data files, then record rows and `seq` atomically."""
        for p in (self.vec_path, self.own_path):
            with open(p, "rb+") as fh:
                os.fsync(fh.fileno())
        tmp = self.meta_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"format": FORMAT, "dim": self.dim, "rows": self.rows, "seq": seq, "token": self.token}))
        os.replace(tmp, self.meta_path)
        self.seq = seq

    # --- data ------------------------------------------------------------------
    @property
    def vectors(self) -> np.ndarray:
        if self._vec is None:
            self._vec = (np.memmap(self.vec_path, dtype=np.float32, mode="r", shape=(self.rows, self.dim))
                         if self.rows else np.zeros((0, self.dim), dtype=np.float32))
        return self._vec

    @property
    def owners(self) -> np.ndarray:
        if self._own is None:
            self._own = (np.memmap(self.own_path, dtype=np.int64, mode="r", shape=(self.rows,))
                         if self.rows else np.zeros(0, dtype=np.int64))
        return self._own

    def append(self, owners: np.ndarray, vectors: np.ndarray) -> None:
        """Append rows (not recorded until `commit`)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        owners = np.ascontiguousarray(owners, dtype=np.int64)
        if vectors.shape != (len(owners), self.dim):
            raise ValueError(f"{self.key}: expected {len(owners)} rows of dim {self.dim}, got {vectors.shape}")
        if not len(owners):
            return
        with open(self.vec_path, "ab") as fh:
            fh.write(vectors.tobytes())
        with open(self.own_path, "ab") as fh:
            fh.write(owners.tobytes())
        self.rows += len(owners)
        self._vec = self._own = None

    def remove(self, candidate_ids: np.ndarray | list[int]) -> int:
        """Zero the rows of these candidates in place (owner 0, vector 0); returns rows removed."""
        if not self.rows or not len(candidate_ids):
            return 0
        own = np.memmap(self.own_path, dtype=np.int64, mode="r+", shape=(self.rows,))
        hit = np.flatnonzero(np.isin(own, np.asarray(candidate_ids, dtype=np.int64)))
        if len(hit):
            vec = np.memmap(self.vec_path, dtype=np.float32, mode="r+", shape=(self.rows, self.dim))
            vec[hit] = 0.0
            own[hit] = 0
            vec.flush()
            own.flush()
            del vec
        del own
        self._vec = self._own = None
        return int(len(hit))

    def live_rows(self) -> int:
        return int(np.count_nonzero(self.owners)) if self.rows else 0

    def search(self, query: np.ndarray, k: int, *, allowed: np.ndarray | None = None, block: int = 131072) -> tuple[np.ndarray, np.ndarray]:
        """The `k` candidates with the best chunk cosine to `query`: (ids, scores), best first.

        Args:
            query: one L2-normalised vector.
            allowed: sorted candidate ids a filter lets through (None: all).
        """
        if not self.rows or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        vec, own = self.vectors, self.owners
        scores = np.empty(self.rows, dtype=np.float32)
        for start in range(0, self.rows, block):
            np.dot(vec[start : start + block], q, out=scores[start : start + block])
        dead = own == 0
        if allowed is not None:
            dead |= ~np.isin(own, allowed, assume_unique=False)
        scores[dead] = -np.inf
        # A candidate may own several rows: take rows until k distinct owners are found.
        want = min(self.rows, max(k * 2, k + 64))
        while True:
            top = np.argpartition(-scores, want - 1)[:want] if want < self.rows else np.arange(self.rows)
            top = top[np.argsort(-scores[top], kind="stable")]
            top = top[np.isfinite(scores[top])]
            ids, first = np.unique(own[top], return_index=True)
            if len(ids) >= k or want >= self.rows:
                order = np.sort(first)[:k]
                return np.asarray(own[top[order]], dtype=np.int64), scores[top[order]]
            want = min(self.rows, want * 2)


def erase_candidate(db_path: Path | None, candidate_id: int) -> int:
    """Zero an erased person's rows in every index file of this database; returns rows zeroed."""
    if db_path is None:
        return 0
    folder = index_folder(db_path)
    if not folder.is_dir():
        return 0
    removed = 0
    with locked(folder):
        for meta_path in sorted(folder.glob("*.json")):
            try:
                meta = json.loads(meta_path.read_text())
            except (OSError, ValueError):
                continue
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                continue
            idx = DenseIndex(folder, meta_path.stem, int(meta["dim"]))
            idx.rows = int(meta["rows"])
            try:
                removed += idx.remove([candidate_id])
            except (OSError, ValueError):
                continue  # a damaged file: the next rank rebuilds it (its metadata no longer matches)
    return removed
