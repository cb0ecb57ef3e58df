"""Provides the coverage summary `make test` and `make coverage` print: per package, the total, the floor check.

Reads the combined coverage data (`.coverage-data/coverage`, see `[tool.coverage]` in
pyproject.toml), counts statements and branches per top-level package, and prints
a table. With `--check`, exits 1 when the total is more than 1 point below the floor
recorded in `tools/coverage_floor.txt`; with `--record`, writes the total there.

Usage:
    python tools/coverage_summary.py [--check] [--record]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
FLOOR_FILE = ROOT / "tools" / "coverage_floor.txt"
PACKAGES = ("sourcing", "ranking", "spiders", "tui")
SLACK = 1.0  # points the total may drop below the floor before `--check` fails


def per_package(cov: coverage.Coverage) -> dict[str, list[int]]:
    """Return {package: [statements, missed statements, branches, missed branches]}."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    data = cov.get_data()
    for filename in sorted(data.measured_files()):
        rel = Path(filename).resolve()
        try:
            rel = rel.relative_to(ROOT)
        except ValueError:
            continue
        if rel.parts[0] not in PACKAGES:
            continue
        analysis = cov._analyze(filename)  # the public report API prints; this returns the numbers
        nums = analysis.numbers
        row = totals[rel.parts[0]]
        row[0] += nums.n_statements
        row[1] += nums.n_missing
        row[2] += nums.n_branches
        row[3] += nums.n_missing_branches
    return dict(totals)


def percent(row: list[int]) -> float:
    """Coverage.py's total: (covered statements + covered branches) / (statements + branches)."""
    total = row[0] + row[2]
    return 100.0 * (total - row[1] - row[3]) / total if total else 100.0


def main(argv: list[str]) -> int:
    cov = coverage.Coverage(config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    rows = per_package(cov)
    if not rows:
        print("no coverage data: run `make coverage`", file=sys.stderr)
        return 1
    overall = [sum(r[i] for r in rows.values()) for i in range(4)]
    print(f"{'package':<10} {'stmts':>7} {'miss':>6} {'branch':>7} {'brpart':>7} {'cover':>7}")
    for name in PACKAGES:
        if name in rows:
            r = rows[name]
            print(f"{name:<10} {r[0]:>7} {r[1]:>6} {r[2]:>7} {r[3]:>7} {percent(r):>6.1f}%")
    total = percent(overall)
    print(f"{'TOTAL':<10} {overall[0]:>7} {overall[1]:>6} {overall[2]:>7} {overall[3]:>7} {total:>6.1f}%")
    if "--record" in argv:
        FLOOR_FILE.write_text(f"{total:.1f}\n", encoding="utf-8")
        print(f"recorded floor {total:.1f}% in {FLOOR_FILE.relative_to(ROOT)}")
    if "--check" in argv and not FLOOR_FILE.exists():
        print(f"no floor recorded yet ({FLOOR_FILE.relative_to(ROOT)}): run `make coverage COVERAGE_ARGS=--record`",
              file=sys.stderr)
    elif "--check" in argv:
        floor = float(FLOOR_FILE.read_text(encoding="utf-8").strip())
        if total < floor - SLACK:
            print(f"coverage {total:.1f}% is more than {SLACK:g} point below the recorded floor {floor:.1f}% "
                  f"({FLOOR_FILE.relative_to(ROOT)})", file=sys.stderr)
            return 1
        print(f"coverage {total:.1f}% (floor {floor:.1f}%, may drop {SLACK:g} point)")
    elif "--record" not in argv:
        print("floor not checked: a subset of the suite ran (PYTEST_ARGS); FLOOR_CHECK=--check checks it anyway")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
