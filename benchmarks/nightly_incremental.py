"""Benchmark: a nightly run with nothing changed vs the first full run, same process.

Setup (not timed): a temporary SQLite store with N synthetic candidates (default
20,000) whose texts are already embedded (`embed_pending`), and 10 open jobs.

Timed, in the same process and on the same store:

1. the first full nightly run (`run_nightly`, no sources): de-duplication check,
   embedding of what is pending (the jobs' texts), ranking of the 10 jobs, purge, report;
2. a second nightly run with no change in between.

Target: the unchanged run embeds 0 texts and costs < 2% of the full one.
For transparency it also times a forced re-rank of one job (what every job would
cost again without the incremental checks).

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/nightly_incremental.py [--candidates 20000] [--encoder fake|muse|default]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("python django postgresql kubernetes react typescript rust golang spark airflow terraform aws gcp "
         "docker kafka redis graphql fastapi flask pandas numpy pytorch scikit-learn java spring kotlin swift "
         "android ios figma sql linux ansible prometheus grafana elasticsearch celery rabbitmq").split()
TITLES = ("Backend engineer", "Data engineer", "Frontend developer", "DevOps engineer", "Data scientist",
          "Mobile developer", "Site reliability engineer", "Machine learning engineer", "Full-stack developer",
          "Platform engineer", "QA engineer", "Product designer")
CITIES = ("Paris", "Lyon", "Berlin", "London", "Lisbon", "Remote", "Madrid", "Amsterdam")


def build_pool(store, n: int, seed: int = 7) -> None:
    """Insert n synthetic self-published profiles (one source view each)."""
    from sourcing.models import ProfileRecord

    rnd = random.Random(seed)
    for start in range(0, n, 1000):
        with store.batch():
            for i in range(start, min(n, start + 1000)):
                skills = rnd.sample(WORDS, 6)
                title = rnd.choice(TITLES)
                store.upsert_profile(ProfileRecord(
                    source_kind="bench", source_key="bench", external_id=str(i), name=f"Person {i}",
                    url=f"https://example.org/people/{i}", headline=f"{title} ({rnd.randint(1, 15)} years)",
                    location=rnd.choice(CITIES), skills=skills, titles=[title],
                    summary=f"{title} working with {', '.join(skills[:3])}. Built {rnd.choice(WORDS)} services "
                            f"for {rnd.randint(2, 90)} teams; mentors on {rnd.choice(WORDS)} and {rnd.choice(WORDS)}.",
                ))


def add_jobs(store, k: int = 10) -> None:
    for j in range(k):
        title = TITLES[j % len(TITLES)]
        must = ", ".join(WORDS[j * 3: j * 3 + 4])
        store.add_job(title, f"{title}\n\nRequirements:\n- {must}\n- 3+ years\n\nNice to have:\n- {WORDS[-j - 1]}\n",
                      company="Acme", location=CITIES[j % len(CITIES)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=10)
    parser.add_argument("--encoder", default="fake", help="fake (hashing, fast), muse or default (MiniLM)")
    args = parser.parse_args()

    from ranking.encoders import build_encoder
    from ranking.service import embed_pending, rank_job

    from sourcing.config import load_config
    from sourcing.nightly import run_nightly
    from sourcing.storage import Store

    encoder = build_encoder(args.encoder)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cfg_path = work / "config.toml"
        cfg_path.write_text(f'db = "{work / "bench.db"}"\n[nightly]\nreports_dir = "{work / "reports"}"\n')
        config = load_config(cfg_path, env={})
        store = Store.open(config.db_url)
        t0 = time.perf_counter()
        build_pool(store, args.candidates)
        add_jobs(store, args.jobs)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        pre = embed_pending(store, config=config, encoder=encoder)
        t_embed = time.perf_counter() - t0
        print(f"setup: {args.candidates} candidates + {args.jobs} open jobs stored in {t_build:.1f} s; "
              f"{pre} texts embedded beforehand with {encoder.name} in {t_embed:.1f} s")

        kwargs = dict(store=store, encoder=encoder, lock_path=work / "nightly.lock", log_path=work / "nightly.log")
        t0 = time.perf_counter()
        full = run_nightly(config, **kwargs)
        t_full = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = run_nightly(config, **kwargs)
        t_again = time.perf_counter() - t0
        job_id = store.list_jobs()[0]["id"]
        t0 = time.perf_counter()
        rank_job(store, job_id, config=config, encoder=encoder)
        t_one = time.perf_counter() - t0
        store.close()

    ratio = t_again / t_full if t_full else float("inf")
    reranked = sum(1 for j in full.report["jobs"] if j.get("reranked"))
    print(f"first full run:  {t_full:8.3f} s  (exit {full.exit_code}, {reranked} jobs ranked, "
          f"{full.report['embedding'].get('embedded', 0)} texts embedded; steps {full.report['timings']})")
    print(f"unchanged run:   {t_again:8.3f} s  (exit {again.exit_code}, "
          f"{sum(1 for j in again.report['jobs'] if j.get('reranked'))} jobs re-ranked, "
          f"{again.report['embedding'].get('embedded', 0)} texts embedded; steps {again.report['timings']})")
    print(f"ratio unchanged/full: {ratio:.2%} (target < 2%)")
    print(f"for reference, a forced re-rank of one job: {t_one:.3f} s")
    ok = ratio < 0.02 and again.report["embedding"].get("embedded", 0) == 0 and full.exit_code == 0 and again.exit_code == 0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
