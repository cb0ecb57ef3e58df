"""Provides the ranking speed benchmark, each part against a baseline measured in the same run.

1. Encoding throughput: the product's path (hash, cache lookup in a real SQLite store,
   MiniLM encode, cache write) vs plain `SentenceTransformer.encode` on the same 1,000
   texts (O*NET occupation descriptions). Best of 5 runs each, interleaved, in wall time and in
   process CPU time (other work on a shared machine makes wall times vary by up to 2x).
   Target >= 0.95 on both.
2. Re-ranking a pool whose embeddings are cached embeds 0 texts (real store, real model).
3. Ranking time over 10k, 100k and 1M synthetic cached vectors (384-d): chunked top-30 scan
   of the contiguous matrix, float32 and float16; 10k and 100k are loaded from a real store's
   cache first (load time shown), 1M is filled in memory. Target: 1M < 1 s.
4. `sourcing --help` wall time (median of 5) vs a bare `python -c pass`. Target < 0.5 s.

Run: HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/ranking_speed.py [--parts 1,2,3,4]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

ONET = ROOT.parent / "shared" / "data" / "taxonomy" / "onet-29.2" / "Occupation Data.txt"
RESUMES = ROOT.parent / "shared" / "data" / "bench" / "resumes" / "resumes_by_category.csv"


def texts_1000() -> list[str]:
    rows = list(csv.DictReader(open(ONET, encoding="utf-8"), delimiter="\t"))
    return [f"{r['Title']}. {r['Description']}" for r in rows][:1000]


ROUNDS = 5


def bench_encode(tmp: Path) -> bool:
    from sentence_transformers import SentenceTransformer

    from ranking.cache import EmbeddingCache
    from ranking.encoders import build_encoder
    from sourcing.storage import Store

    texts = texts_1000()
    product = build_encoder("default", device="cpu")
    # The same loaded model on both paths, so only the product's own work differs.
    plain = product.model
    assert isinstance(plain, SentenceTransformer)
    plain.encode(texts)  # warm-up at full size: the first large batch pays one-off allocations
    plain_times, product_times, plain_cpu, product_cpu = [], [], [], []
    def run_plain() -> None:
        t, c = time.perf_counter(), time.process_time()
        plain.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
        plain_times.append(time.perf_counter() - t)
        plain_cpu.append(time.process_time() - c)

    def run_product(run: int) -> None:
        store = Store.open(str(tmp / f"encode-{run}.db"))  # empty cache: every text is a miss
        cache = EmbeddingCache(store, product)
        t, c = time.perf_counter(), time.process_time()
        cache.embed(texts)
        product_times.append(time.perf_counter() - t)
        product_cpu.append(time.process_time() - c)
        assert cache.stats.embedded == len(set(texts))
        store.close()

    for run in range(ROUNDS):
        # Alternate who goes first, so a burst of load elsewhere does not always hit the same one.
        if run % 2:
            run_product(run)
            run_plain()
        else:
            run_plain()
            run_product(run)
    p, q = min(plain_times), min(product_times)
    ratio = p / q
    cpu_ratio = min(plain_cpu) / min(product_cpu)
    print(f"    wall runs (s): plain {[round(x, 2) for x in plain_times]}, product {[round(x, 2) for x in product_times]}")
    print(f"    CPU runs (s):  plain {[round(x, 2) for x in plain_cpu]}, product {[round(x, 2) for x in product_cpu]}")
    print(f"[1] encode 1,000 texts: plain SentenceTransformer.encode {len(texts) / p:.1f} texts/s, "
          f"product path (cache + store) {len(texts) / q:.1f} texts/s; throughput ratio {ratio:.3f} wall, "
          f"{cpu_ratio:.3f} CPU time (target >= 0.95; CPU time is the steadier one on a shared machine) "
          f"-> {'OK' if min(ratio, cpu_ratio) >= 0.95 else 'MISSED'}")
    print(f"    median ratios: wall {statistics.median(plain_times) / statistics.median(product_times):.3f}, "
          f"CPU {statistics.median(plain_cpu) / statistics.median(product_cpu):.3f}")
    ratio = min(ratio, cpu_ratio)
    return ratio >= 0.95


def bench_rerank(tmp: Path) -> bool:
    from ranking.encoders import build_encoder
    from ranking.service import rank_job
    from sourcing.models import ProfileRecord
    from sourcing.storage import Store

    class Counting:
        def __init__(self, inner):
            self.inner, self.name, self.count = inner, inner.name, 0

        @property
        def dim(self):
            return self.inner.dim

        def encode(self, texts, **kw):
            self.count += len(texts)
            return self.inner.encode(texts, **kw)

    rows = list(csv.DictReader(open(RESUMES, encoding="utf-8")))[:60]
    store = Store.open(str(tmp / "rerank.db"))
    for i, r in enumerate(rows):
        store.upsert_profile(ProfileRecord("resume", f"r{i}", headline=r["Category"], text=r["Resume"]))
    job = store.add_job("Python Developer", "Requirements:\n- Python\n- Django\n- SQL\nNice to have:\n- AWS\n")
    enc = Counting(build_encoder("default", device="cpu"))
    t = time.perf_counter()
    rank_job(store, job, encoder=enc)
    first, first_n = time.perf_counter() - t, enc.count
    enc.count = 0
    t = time.perf_counter()
    rank_job(store, job, encoder=enc)
    second = time.perf_counter() - t
    store.close()
    print(f"[2] rank 60 résumés: first run embedded {first_n} texts in {first:.2f} s; "
          f"re-rank embedded {enc.count} texts in {second:.2f} s (target 0) -> {'OK' if enc.count == 0 else 'MISSED'}")
    return enc.count == 0


def bench_scan(tmp: Path) -> bool:
    from ranking.matrix import VectorMatrix
    from ranking.search import topk
    from sourcing.storage import Store

    dim = 384
    rng = np.random.default_rng(0)
    ok = True
    for n in (10_000, 100_000, 1_000_000):
        if n <= 100_000:
            store = Store.open(str(tmp / f"scan-{n}.db"))
            step = 50_000
            for start in range(0, n, step):
                block = rng.standard_normal((min(step, n - start), dim)).astype(np.float32)
                block /= np.linalg.norm(block, axis=1, keepdims=True)
                store.put_embeddings("synthetic", {f"h{start + i}": v.tobytes() for i, v in enumerate(block)}, dim=dim)
            m = VectorMatrix("synthetic", dim)
            t = time.perf_counter()
            m.load_all(store)
            load = time.perf_counter() - t
            store.close()
            where = f"loaded from the store cache in {load:.2f} s"
        else:
            m = VectorMatrix("synthetic", dim, capacity=n)
            for start in range(0, n, 100_000):
                block = rng.standard_normal((100_000, dim)).astype(np.float32)
                block /= np.linalg.norm(block, axis=1, keepdims=True)
                m.add([f"h{start + i}" for i in range(100_000)], block)
            where = "filled in memory"
        q = m.data[123:124].astype(np.float32)
        times = {}
        for label, data in (("float32", m.data), ("float16", m.data.astype(np.float16))):
            topk(q, data[:1000], 30)
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                res = topk(q, data, 30, chunk_size=131072)
                best = min(best, time.perf_counter() - t)
            assert res[0][0][0] == 123
            times[label] = best
        # Baseline: one unchunked full-matrix product + argsort, what a naive scan does.
        t = time.perf_counter()
        np.argsort(-(m.data @ q[0]))[:30]
        naive = time.perf_counter() - t
        target = " (target < 1 s) -> " + ("OK" if times["float32"] < 1.0 else "MISSED") if n == 1_000_000 else ""
        if n == 1_000_000:
            ok = times["float32"] < 1.0
        print(f"[3] {n:>9,} vectors ({where}): top-30 scan float32 {times['float32'] * 1000:.0f} ms, "
              f"float16 {times['float16'] * 1000:.0f} ms; naive product+argsort {naive * 1000:.0f} ms{target}")
        del m
    return ok


def bench_help() -> bool:
    exe = Path(sys.executable).parent / "sourcing"
    def run(cmd):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    base = run([sys.executable, "-c", "pass"])
    helptime = run([str(exe), "--help"])
    ok = helptime < 0.5
    print(f"[4] `sourcing --help` {helptime * 1000:.0f} ms (bare python start {base * 1000:.0f} ms; target < 500 ms) -> {'OK' if ok else 'MISSED'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parts", default="1,2,3,4", help="which parts to run, e.g. 3,4 (1-2 load the model)")
    args = ap.parse_args(argv)
    parts = {int(x) for x in args.parts.split(",")}
    ok = True
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if 4 in parts:
            ok &= bench_help()
        if 3 in parts:
            ok &= bench_scan(tmp)
        if 2 in parts:
            ok &= bench_rerank(tmp)
        if 1 in parts:
            ok &= bench_encode(tmp)
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
