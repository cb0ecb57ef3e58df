"""Benchmark: role families (ranking.brand.families) against O*NET occupations, TF-IDF baseline vs sentence model.

Data: O*NET 29.2 "Sample of Reported Titles" (CC BY 4.0, /work/shared/data/taxonomy/onet-29.2):
job titles people reported, each under its occupation code. We take the computer and
mathematical occupations (15-xxxx) plus designers (27-1024) and sales reps (41-30xx),
so families must separate close roles (software developer / QA / data scientist / DBA).
Each title is one "posting" with no description; the gold family is its O*NET code.

Prints, for the TF-IDF baseline and the packaged all-MiniLM-L6-v2 at three thresholds:
adjusted Rand index, NMI, clusters found vs gold, and the time to cluster.

Scale: 4,000 O*NET "Alternate Titles" spread over all occupations, TF-IDF,
clustered in full (the baseline, O(n²) memory) and with the sampled path used above
2,000 postings; time, peak traced memory and agreement (ARI) with the full clustering.

Run: HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/brand_families.py
"""

from __future__ import annotations

import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ranking.brand.families import cluster_roles  # noqa: E402

DATA = Path("/work/shared/data/taxonomy/onet-29.2/Sample of Reported Titles.txt")
PREFIXES = ("15-", "27-1024", "41-30")


def load_titles() -> tuple[list[str], list[str]]:
    titles, gold = [], []
    seen: dict[str, set[str]] = defaultdict(set)
    with DATA.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            code, title = row["O*NET-SOC Code"], row["Reported Job Title"].strip()
            if code.startswith(PREFIXES) and title.lower() not in seen[code]:
                seen[code].add(title.lower())
                titles.append(title)
                gold.append(code)
    return titles, gold


def run(name: str, titles: list[str], gold: list[str], **kwargs) -> None:
    started = time.perf_counter()
    families = cluster_roles(titles, [""] * len(titles), **kwargs)
    took = time.perf_counter() - started
    pred = [0] * len(titles)
    for n, fam in enumerate(families):
        for i in fam.members:
            pred[i] = n
    ari = adjusted_rand_score(gold, pred)
    nmi = normalized_mutual_info_score(gold, pred)
    print(f"{name:<34} ARI {ari:.3f}  NMI {nmi:.3f}  families {len(families):>3} (gold {len(set(gold))})  {took:6.2f} s")


def load_alternate(limit: int) -> tuple[list[str], list[str]]:
    titles, gold = [], []
    path = DATA.with_name("Alternate Titles.txt")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            titles.append(row["Alternate Title"].strip())
            gold.append(row["O*NET-SOC Code"])
    step = max(1, len(titles) // limit)
    return titles[::step][:limit], gold[::step][:limit]


def scale() -> None:
    import tracemalloc

    titles, gold = load_alternate(4000)
    print(f"\nScale: {len(titles)} alternate titles, TF-IDF")
    results = {}
    for name, max_full in (("full average linkage (baseline)", len(titles) + 1), ("sampled 2,000 + nearest centroid", 2000)):
        tracemalloc.start()
        started = time.perf_counter()
        fams = cluster_roles(titles, [""] * len(titles), max_full=max_full)
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        pred = [0] * len(titles)
        for n, fam in enumerate(fams):
            for i in fam.members:
                pred[i] = n
        results[name] = pred
        print(f"{name:<34} {took:6.2f} s  peak {peak:7.1f} MiB  families {len(fams):>4}  "
              f"ARI vs O*NET {adjusted_rand_score(gold, pred):.3f}")
    full, sampled = results.values()
    print(f"agreement sampled vs full: ARI {adjusted_rand_score(full, sampled):.3f}")


def main() -> None:
    if not DATA.exists():
        sys.exit(f"{DATA}: not found (O*NET data from /work/shared)")
    titles, gold = load_titles()
    print(f"{len(titles)} reported titles from {len(set(gold))} O*NET occupations ({', '.join(PREFIXES)})")
    run("baseline TF-IDF (threshold 0.7)", titles, gold)
    from ranking.encoders import build_encoder

    started = time.perf_counter()
    encoder = build_encoder("default")
    encoder.encode(["warm-up"])
    print(f"(model load {time.perf_counter() - started:.1f} s)")
    run("MiniLM, threshold 0.4 (default)", titles, gold, encoder=encoder)
    run("MiniLM, threshold 0.5", titles, gold, encoder=encoder, distance_threshold=0.5)
    run("MiniLM, threshold 0.3", titles, gold, encoder=encoder, distance_threshold=0.3)
    scale()


if __name__ == "__main__":
    main()
