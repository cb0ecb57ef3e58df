"""Provides the ranking-at-scale benchmark: two-stage ranking on real stores of 10k, 100k (and 1M) people.

Each store holds real profile rows written through the store (`sourcing.storage.bulk`, one
transaction per 10,000 people), one job, and cached vectors: real MiniLM vectors at 10k,
synthetic (random unit vectors, 384-d) above. Derived features and the indexes are built
once (timed), then, after a warm-up:

1. in-process `rank_job` (two stages, K = [ranking] retrieve = 2,000), best of 3;
   baseline: the one-stage `rank_job_full` at 10k in the same run;
2. `sourcing rank JOB` in a fresh process (wall, peak RSS), the job's vectors cached;
   baseline: a fresh process running the one-stage path at 10k; and `sourcing rank` on a job
   whose text is not embedded yet (the model must be loaded);
3. `sourcing nightly` (fresh process, no sources) with nothing changed: texts embedded, wall.

4. (stores of 100k and more) the review app on the saved ranking, in a fresh process
   (`benchmarks/tui_latency.py --store`): start -> first paint, decision key -> stored -> shown.

The summary prints every figure with its CPU time (user + sys), the load average when it
was measured, the one-stage baseline of the same run (10k), the target and the growth from
the previous size (e.g. 100k -> 1M).

Targets (issue 11): rank_job < 0.3 s at 100k, < 1 s at 1M; CLI < 3 s at 10k, < 6 s at 1M;
peak RSS < 500 MB at 10k, < 3 GB at 1M; nightly unchanged at 100k: 0 embedded, < 10 s;
review app on the 1M store: first paint < 1 s, key -> shown < 50 ms.

Run: HF_HUB_OFFLINE=1 nice .venv/bin/python benchmarks/ranking_scale.py [--sizes 10000,100000,1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

ROLES = ["Backend engineer", "Frontend developer", "Data scientist", "DevOps engineer", "Pastry chef", "Accountant",
         "Nurse", "Sales manager", "Mechanical engineer", "Product designer", "QA engineer", "Data engineer"]
SKILLS = ["Python", "Django", "PostgreSQL", "Docker", "Kubernetes", "React", "TypeScript", "Go", "Java", "Spark",
          "Excel", "SAP", "AutoCAD", "Figma", "pastry", "Selenium", "AWS", "Terraform", "Kafka", "Airflow"]
CITIES = ["Paris, France", "Lyon, France", "Berlin, Germany", "Madrid, Spain", "Remote", "London, UK"]
JOB_TITLE = "Senior Python Backend Engineer (Django)"
# The same job the ranking tests use (one place: tests/ranking/ranking_helpers.py).
sys.path.insert(0, str(ROOT / "tests" / "ranking"))
from ranking_helpers import DJANGO_JOB_EN as JOB  # noqa: E402


def profiles(n: int, seed: int = 7):
    from sourcing.models import ProfileRecord

    rnd = random.Random(seed)
    for i in range(n):
        role = rnd.choice(ROLES)
        skills = rnd.sample(SKILLS, 4)
        yield ProfileRecord(
            source_kind="csv", external_id=f"p{i}", name=f"Person {i}", email=f"p{i}@example.org", headline=role,
            location=rnd.choice(CITIES), titles=[role], skills=skills,
            summary=f"{role} with {rnd.randint(1, 15)} years of {skills[0]} and {skills[1]}; also uses {skills[2]}.",
        )


def build(path: Path, n: int, *, real: bool) -> dict[str, float]:
    """A store of n people, one job, features, cached vectors and the dense index; returns timings."""
    from ranking.encoders import build_encoder
    from ranking.features import refresh_features
    from ranking.matrix import encode_blob
    from ranking.retrieve import sync_dense_index
    from sourcing.storage import Store, rank_index
    from sourcing.storage.bulk import bulk_add_profiles

    t: dict[str, float] = {}
    store = Store.open(str(path))
    t0 = time.perf_counter()
    batch = []
    for p in profiles(n):
        batch.append(p)
        if len(batch) == 10_000:
            bulk_add_profiles(store, batch)
            batch = []
    bulk_add_profiles(store, batch)
    job = store.add_job(JOB_TITLE, JOB, location="Paris")
    # One English job only: a French job would make the nightly embed the whole pool with the
    # multilingual model too (a real cost, but not the "nothing changed" case measured here).
    t["profiles"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    refresh_features(store, blind=False)
    t["features"] = time.perf_counter() - t0
    enc = build_encoder("default", device="cpu")
    t0 = time.perf_counter()
    rows = list(rank_index.iter_chunk_hashes(store, False))
    if real:
        from ranking.features import load_derived

        derived = load_derived(store, [r[0] for r in rows], False)
        texts = {}
        for cid, d in derived.items():
            for text in [*d.chunks, d.title]:
                texts.setdefault(__import__("ranking.text", fromlist=["text_hash"]).text_hash(text), (text, cid))
        keys = list(texts)
        for s in range(0, len(keys), 4096):
            part = keys[s : s + 4096]
            vecs = enc.encode([texts[h][0] for h in part])
            store.put_embeddings(enc.name, {h: encode_blob(v) for h, v in zip(part, vecs)}, dim=384,
                                 owners={h: f"candidate:{texts[h][1]}" for h in part})
    else:
        rng = np.random.default_rng(0)
        pending: dict[str, bytes] = {}
        owners: dict[str, str] = {}
        for cid, hashes, title in rows:
            for h in [*hashes, title]:
                v = rng.standard_normal(384).astype(np.float32)
                pending[h] = encode_blob(v / np.linalg.norm(v))
                owners[h] = f"candidate:{cid}"
            if len(pending) >= 50_000:
                store.put_embeddings(enc.name, pending, dim=384, owners=owners)
                pending, owners = {}, {}
        store.put_embeddings(enc.name, pending, dim=384, owners=owners)
    t["vectors"] = time.perf_counter() - t0
    # The job's texts are embedded once with the real model, so a fresh `rank` finds them cached.
    from ranking.service import rank_job

    t0 = time.perf_counter()
    idx, _ = sync_dense_index(store, enc, blind=False)
    t["index"] = time.perf_counter() - t0
    rank_job(store, job, encoder=enc)
    store.close()
    return t


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def in_process(path: Path, *, full: bool, rounds: int = 3) -> tuple[float, int, float]:
    """Best wall of `rounds` rank_job calls after a warm-up, rows saved, and that round's user+sys CPU."""
    from ranking.encoders import build_encoder
    from ranking.full_rank import rank_job_full
    from ranking.service import rank_job
    from sourcing.storage import Store

    store = Store.open(str(path))
    enc = build_encoder("default", device="cpu")  # not loaded: every vector is cached
    fn = rank_job_full if full else rank_job
    fn(store, 1, encoder=enc)  # warm-up
    best, best_cpu = float("inf"), 0.0
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), _cpu()
        fn(store, 1, encoder=enc)
        wall = time.perf_counter() - t0
        if wall < best:
            best, best_cpu = wall, _cpu() - c0
    saved = len(store.get_ranking(1))
    store.close()
    return best, saved, best_cpu


CPU: dict[str, float] = {}  # user+sys CPU seconds of each figure, by the figure's key
OUT: dict[str, str] = {}  # the end of each figure's standard output


def child_env() -> dict[str, str]:
    """The environment of the measured processes: offline, and writing bytecode as an installed package has it
    (a sandbox's PYTHONDONTWRITEBYTECODE=1 makes every process compile the project's ~70 modules again)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def rss_of(cmd: list[str], key: str | None = None) -> tuple[float, float, str]:
    """Wall and peak RSS of one process, via a wrapper that reports its own child's maximum (and its CPU time in CPU[key])."""
    wrapper = ("import resource,subprocess,sys,time,json;t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
               "w=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
               "print(json.dumps([w,u.ru_maxrss/1024,u.ru_utime+u.ru_stime,p.returncode,p.stderr[-1500:],p.stdout[-20000:]]))")
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, env=child_env())
    wall, rss, cpu, code, err, stdout = json.loads(out.stdout)
    OUT[key or ""] = stdout
    if code:
        raise SystemExit(f"{cmd} failed: {err}")
    if key:
        CPU[key] = cpu
    return wall, rss, err


def _add_job(path: Path) -> int:
    from sourcing.storage import Store

    store = Store.open(str(path))
    job = store.add_job(f"Data engineer #{time.time_ns()}", "Requirements:\n- Spark\n- Airflow\n- Python\n", location="Berlin")
    store.close()
    return job


def review_app(path: Path, presses: int = 20, repeat: int = 3) -> dict[str, float] | None:
    """The review app on the store's saved ranking, in a fresh process (`benchmarks/tui_latency.py --store`):
    start -> first paint and decision key -> stored -> shown (medians), with that process's CPU time."""
    script = str(ROOT / "benchmarks" / "tui_latency.py")
    try:
        wall, rss, _ = rss_of([sys.executable, script, "--store", str(path), "--job", "1", "--repeat", str(repeat),
                               "--presses", str(presses)], "review")
    except SystemExit as exc:
        print(f"review app benchmark failed: {str(exc)[-300:]}", flush=True)
        return None
    line = OUT["review"].strip().splitlines()[-1] if OUT["review"].strip() else ""
    paint = re.search(r"first paint (\d+) ms", line)
    shown = re.search(r"key→stored→shown ([\d.]+) ms median", line)
    if not paint or not shown:
        print(f"review app benchmark: unreadable output {line!r}", flush=True)
        return None
    return {"first_paint_ms": float(paint.group(1)), "key_shown_ms": float(shown.group(1)), "cpu": CPU["review"],
            "wall": wall, "rss": rss}


# (figure key, what it is, unit, {size: target}) — the targets (issue 11).
FIGURES = [
    ("rank_job", "in-process rank_job (best of 3)", "s", {100_000: 0.3, 1_000_000: 1.0}),
    ("cli", "sourcing rank, fresh process, job cached", "s", {10_000: 3.0, 1_000_000: 6.0}),
    ("cli_rss", "  its peak RSS", "MB", {10_000: 500, 1_000_000: 3000}),
    ("cli_new_job", "sourcing rank of a new job (model loaded)", "s", {}),
    ("nightly_second", "sourcing nightly, nothing changed", "s", {100_000: 10.0}),
    ("first_paint_ms", "review app start -> first paint", "ms", {1_000_000: 1000}),
    ("key_shown_ms", "review app key -> stored -> shown (median)", "ms", {1_000_000: 50}),
]
CPU_OF = {"rank_job": "rank_job_cpu", "cli": "cli_cpu", "cli_new_job": "cli_new_job_cpu", "nightly_second": "nightly_second_cpu",
          "first_paint_ms": "review_cpu", "key_shown_ms": "review_cpu"}
BASELINE_OF = {"rank_job": "baseline_rank_job", "cli": "baseline_cli", "cli_rss": "baseline_rss"}


def summary(results: dict[int, dict[str, float]]) -> None:
    """Every figure of the run: wall, CPU (user + sys), load average when measured, the one-stage baseline of
    the same run (10k), the target, and the growth from the previous size."""
    base = results.get(10_000, {})
    sizes = sorted(results)
    print("\nfigure | pool | value | CPU (user+sys) | load | one-stage baseline at 10k, same run | target | growth from previous size")
    for key, label, unit, targets in FIGURES:
        for i, n in enumerate(sizes):
            r = results[n]
            if r.get(key) is None:
                continue
            v = r[key]
            cpu = r.get(CPU_OF.get(key, ""), None)
            cpu_text = "" if cpu is None else f"{cpu:.2f} s"
            if key in ("first_paint_ms", "key_shown_ms") and cpu is not None:
                cpu_text = f"(whole benchmark process: {cpu:.2f} s)"
            if key == "nightly_second":
                label = f"sourcing nightly, nothing changed (texts embedded: {int(r.get('nightly_second_embedded', -1))})"
            b = base.get(BASELINE_OF.get(key, ""))
            bcpu = base.get(BASELINE_OF.get(key, "") + "_cpu") if key in ("rank_job", "cli") else None
            target = targets.get(n)
            verdict = "" if target is None else f"< {target:g} {unit}: {'met' if v < target else 'MISSED'}"
            prev = sizes[i - 1] if i else None
            growth = f"x{v / results[prev][key]:.2f} from {prev:,}" if prev and results[prev].get(key) else ""
            fmt = (lambda x: f"{x:.3f} s") if unit == "s" else (lambda x: f"{x:.0f} {unit}" if unit == "MB" else f"{x:.1f} {unit}")
            print(f"{label} | {n:,} | {fmt(v)} | {cpu_text} | {r.get('load_' + key, r.get('load', 0)):.1f} | "
                  f"{'' if b is None else fmt(b) + ('' if bcpu is None else f' (CPU {bcpu:.2f} s)')} | {verdict} | {growth}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", help="keep (and reuse) the stores in this folder")
    parser.add_argument("--real", type=int, default=10_000,
                        help="embed the pool with the real MiniLM up to this size (0: synthetic vectors everywhere)")
    parser.add_argument("--review-from", type=int, default=100_000,
                        help="measure the review app (benchmarks/tui_latency.py --store) on stores of at least this size")
    parser.add_argument("--nightly-from", type=int, default=100_000, help="measure the nightly on stores of at least this size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ranking-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    sourcing = str(Path(sys.executable).with_name("sourcing"))
    print(f"load: {os.getloadavg()}")
    results: dict[int, dict[str, float]] = {}
    warmed = False
    for n in sizes:
        path = folder / f"pool-{n}.db"
        if not path.exists():
            t = build(path, n, real=n <= args.real)
            print(f"[build {n:,}] " + ", ".join(f"{k} {v:.1f} s" for k, v in t.items()), flush=True)
        if not warmed:  # one unmeasured run: the bytecode of every module a `rank` imports is written
            subprocess.run([sourcing, "--db", str(path), "rank", "1", "--top", "1"], capture_output=True, env=child_env())
            warmed = True
        r: dict[str, float] = {}
        r["load"] = os.getloadavg()[0]
        r["rank_job"], saved, r["rank_job_cpu"] = in_process(path, full=False)
        r["load_rank_job"] = os.getloadavg()[0]
        r["saved"] = saved
        r["cli"], r["cli_rss"], err = rss_of([sourcing, "--db", str(path), "rank", "1", "--top", "10"], "cli")
        r["cli_cpu"] = CPU["cli"]
        r["load_cli"] = r["load_cli_rss"] = os.getloadavg()[0]
        new_job = _add_job(path)
        r["cli_new_job"], r["cli_new_job_rss"], _ = rss_of([sourcing, "--db", str(path), "rank", str(new_job), "--top", "10"], "new")
        r["cli_new_job_cpu"] = CPU["new"]
        r["load_cli_new_job"] = os.getloadavg()[0]
        print(f"[{n:,}] load {os.getloadavg()[0]:.1f}: rank_job {r['rank_job']:.3f} s (CPU {r['rank_job_cpu']:.2f} s, saved {saved}); "
              f"sourcing rank (fresh process, job cached) {r['cli']:.2f} s (CPU {r['cli_cpu']:.2f} s), peak RSS {r['cli_rss']:.0f} MB; "
              f"a new job (its text embedded, model loaded) {r['cli_new_job']:.2f} s (CPU {r['cli_new_job_cpu']:.2f} s), "
              f"{r['cli_new_job_rss']:.0f} MB; stderr: {err.strip()[-200:]}", flush=True)
        if n >= args.nightly_from:
            cfg = folder / f"nightly-{n}.toml"
            cfg.write_text(f'db = "{path}"\n[nightly]\nreports_dir = "{folder / "reports"}"\n')
            for label in ("first", "second"):  # the first run of a store has no previous run to skip steps against
                r[f"nightly_{label}"], r[f"nightly_{label}_rss"], out = rss_of([sourcing, "--config", str(cfg), "nightly", "--json"], label)
                r[f"nightly_{label}_cpu"] = CPU[label]
                r[f"load_nightly_{label}"] = os.getloadavg()[0]
                embedded = re.findall(r'"(?:embedded|texts_embedded)"\s*:\s*(\d+)', OUT[label])
                r[f"nightly_{label}_embedded"] = sum(int(x) for x in embedded)
                print(f"[{n:,}] nightly {label}: texts embedded per step {embedded}", flush=True)
                print(f"[{n:,}] load {os.getloadavg()[0]:.1f}: sourcing nightly, nothing changed ({label} run) "
                      f"{r[f'nightly_{label}']:.2f} s (CPU {CPU[label]:.2f} s), peak RSS {r[f'nightly_{label}_rss']:.0f} MB", flush=True)
        if n >= args.review_from:
            review = review_app(path)
            if review:
                r["first_paint_ms"], r["key_shown_ms"], r["review_cpu"] = review["first_paint_ms"], review["key_shown_ms"], review["cpu"]
                r["load_first_paint_ms"] = r["load_key_shown_ms"] = os.getloadavg()[0]
                print(f"[{n:,}] load {os.getloadavg()[0]:.1f}: review app start -> first paint {review['first_paint_ms']:.0f} ms, "
                      f"key -> stored -> shown {review['key_shown_ms']:.1f} ms median (the benchmark process: "
                      f"{review['wall']:.1f} s wall, CPU {review['cpu']:.2f} s, {review['rss']:.0f} MB)", flush=True)
        if n == 10_000:  # the one-stage path reads the whole pool: measured where it still fits
            r["baseline_rank_job"], _, r["baseline_rank_job_cpu"] = in_process(path, full=True, rounds=1)
            code = ("import sys;from ranking.full_rank import rank_job_full;from sourcing.storage import Store;"
                    "s=Store.open(sys.argv[1]);rank_job_full(s,1);s.close()")
            r["baseline_cli"], r["baseline_rss"], _ = rss_of([sys.executable, "-c", code, str(path)], "base")
            r["baseline_cli_cpu"] = CPU["base"]
            print(f"[{n:,}] load {os.getloadavg()[0]:.1f}: baseline one-stage: rank_job_full {r['baseline_rank_job']:.3f} s "
                  f"(CPU {r['baseline_rank_job_cpu']:.2f} s); fresh process {r['baseline_cli']:.2f} s "
                  f"(CPU {CPU['base']:.2f} s), peak RSS {r['baseline_rss']:.0f} MB", flush=True)
        results[n] = r
    summary(results)
    print(json.dumps({str(k): v for k, v in results.items()}, indent=1))
    print(f"load: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
