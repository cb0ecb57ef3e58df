"""Provides what the data-file builders share: where the taxonomy is, and how a file is written."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()


def taxonomy_dir(argv: list[str] | None = None) -> Path:
    """The taxonomy folder given on the command line, else ../shared/data/taxonomy."""
    argv = sys.argv[1:] if argv is None else argv
    return Path(argv[0]) if argv else HERE.parents[3] / "shared" / "data" / "taxonomy"


def write_data_file(data: dict[str, Any], name: str) -> Path:
    """Write `ranking/data/<name>` as compact, sorted, gzipped JSON; the same input gives the same bytes."""
    out = HERE.parents[1] / "data" / name
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with gzip.GzipFile(out, "wb", mtime=0) as fh:  # mtime=0: no timestamp in the header
        fh.write(raw)
    return out
