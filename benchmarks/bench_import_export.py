"""Provides the import/export benchmark: throughput against same-run baselines.

Import: a 2,000-row CSV through `import_paths` (one transaction per file) against the
baseline of the same parsed records upserted one transaction each; then a re-import
(every row unchanged). Export: `shortlist_rows` for a 2,000-candidate ranking against
the store's one-query `get_shortlist` (the floor: no profiles, no sources), then
writing CSV, XLSX and JSON.

Run: .venv/bin/python benchmarks/bench_import_export.py [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sourcing.exports import COLUMNS, shortlist_rows, write_export
from sourcing.importers import import_paths, parse_file
from sourcing.models import RankedCandidate
from sourcing.storage import Store


def make_csv(path: Path, n: int) -> None:
    lines = ["name,email,headline,location,skills,summary,url"]
    for i in range(n):
        lines.append(f'Person {i:05d},p{i}@example.org,Engineer {i % 7},City {i % 50},"Python; SQL; Skill{i % 30}",'
                     f'"Built things number {i}, shipped them.",https://p{i}.example.org')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(n: int = 2000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        csv_path = d / "people.csv"
        make_csv(csv_path, n)

        base = Store.open(str(d / "baseline.db"))
        records = parse_file(csv_path).records
        _, t_base = timed(lambda: [base.upsert_profile(r) for r in records])
        base.close()

        store = Store.open(str(d / "bench.db"))
        report, t_imp = timed(lambda: import_paths(store, [csv_path]))
        assert report.new == n, report.summary()
        report2, t_re = timed(lambda: import_paths(store, [csv_path]))
        assert report2.unchanged == n, report2.summary()
        print(f"import {n} CSV rows: import_paths {t_imp:.2f}s ({n / t_imp:.0f} rows/s) | "
              f"baseline one transaction per record {t_base:.2f}s ({n / t_base:.0f} rows/s) | "
              f"speed-up x{t_base / t_imp:.1f}")
        print(f"re-import (all unchanged): {t_re:.2f}s ({n / t_re:.0f} rows/s)")

        job = store.add_job("Engineer", "Python SQL")
        ids = [c["id"] for c in store.list_candidates()]
        store.save_ranking(job, "bench", [RankedCandidate(cid, 1 - i / len(ids), explanation={"matched_skills": ["Python"]})
                                          for i, cid in enumerate(ids)])
        _, t_floor = timed(lambda: store.get_shortlist(job))
        rows, t_rows = timed(lambda: shortlist_rows(store, job, columns=list(COLUMNS)))
        print(f"shortlist_rows {len(rows)} rows: {t_rows:.2f}s | floor get_shortlist (one query, no sources) {t_floor:.3f}s")
        for fmt in ("csv", "xlsx", "json"):
            out, t = timed(lambda fmt=fmt: write_export(rows, fmt, d / f"s.{fmt}", list(COLUMNS)))
            print(f"write {fmt}: {t:.2f}s, {out.stat().st_size / 1024:.0f} KB")
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
