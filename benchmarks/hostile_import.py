"""Provides the hostile-import benchmark: peak memory and time per hostile file, against a good file in the same run.

Builds the full-size hostile corpus (tests/hostile/hostile_corpus.py: the 400 MB-of-XML
DOCX bomb, a 1 GB text node, a PDF stream bomb, a 300,000-character CSV cell, …) in a
temporary folder, then imports each file alone with the real `sourcing candidates import`
in a child process and reads the child's peak RSS and wall time (os.wait4). The baseline
is a good résumé (tests/fixtures/core/ada.md) imported the same way in the same run: the
process start-up and store opening every import pays. Last, the whole corpus and the good
files are imported in one batch.

Targets (issue 18): every file under 500 MB peak RSS and under 10 s of its own (its time
minus the baseline's, so the machine's load and the process start-up are not counted).
Exit status 1 if one misses.

Run: .venv/bin/python benchmarks/hostile_import.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
from hostile_corpus import FIXTURES, write_bombs  # noqa: E402

SOURCING = str(Path(sys.executable).with_name("sourcing"))
GOOD = [ROOT / "tests" / "fixtures" / "core" / n for n in ("ada.md", "sample.resume.json", "people.csv")]
MAX_RSS_MB, MAX_SECONDS = 500, 10.0


def run_one(args: list[str], db: Path) -> tuple[int, float, float, str]:
    """Run `sourcing --db DB ARGS`; return (exit code, seconds, peak RSS MB, last stderr line)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([SOURCING, "--db", str(db), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, HF_HUB_OFFLINE="1"))
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [ln for ln in err.strip().splitlines() if ln]
    reason = next((ln for ln in lines if not ln[0].isdigit() and not ln.startswith("Error:")), lines[-1] if lines else "")
    return proc.returncode, seconds, usage.ru_maxrss / 1024, reason


def main() -> int:
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        t0 = time.perf_counter()
        write_bombs(corpus, full=True)
        print(f"built the full-size bombs in {time.perf_counter() - t0:.1f} s")
        for f in FIXTURES.iterdir():
            shutil.copy(f, corpus / f.name)
        db = Path(tmp) / "bench.db"
        code, base_s, base_mb, _ = run_one(["candidates", "import", str(GOOD[0])], db)
        assert code == 0, "the baseline import failed"
        print(f"baseline (good file {GOOD[0].name}): {base_s:.2f} s, {base_mb:.0f} MB peak RSS\n")
        print(f"{'file':<24} {'size':>10} {'exit':>4} {'secs':>6} {'RSS MB':>7}  reason")
        worst_s = worst_mb = 0.0
        for f in sorted(corpus.iterdir()):
            code, secs, mb, reason = run_one(["candidates", "import", "-q", str(f)], db)
            worst_s, worst_mb = max(worst_s, secs), max(worst_mb, mb)
            print(f"{f.name:<24} {f.stat().st_size:>10,} {code:>4} {secs:>6.2f} {mb:>7.0f}  {reason[len(str(f)) + 2:][:90]}")
        for g in GOOD:
            shutil.copy(g, corpus / g.name)
        code, secs, mb, _ = run_one(["candidates", "import", "-q", str(corpus)], Path(tmp) / "batch.db")
        print(f"\none batch of {len(list(corpus.iterdir()))} files (hostile + good): exit {code}, {secs:.2f} s, {mb:.0f} MB peak RSS")
    print(f"worst single file: {worst_s:.2f} s ({worst_s - base_s:+.2f} s over the baseline), {worst_mb:.0f} MB "
          f"({worst_mb - base_mb:+.0f} MB over the baseline); targets < {MAX_SECONDS:g} s over the baseline and < {MAX_RSS_MB} MB")
    return 0 if worst_s - base_s < MAX_SECONDS and worst_mb < MAX_RSS_MB and mb < MAX_RSS_MB else 1


if __name__ == "__main__":
    sys.exit(main())
