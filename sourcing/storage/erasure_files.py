"""Provides erasure on disk: a forgotten person's URLs and ids removed from crawl folders.

A resumable crawl keeps `done.txt` (the detail pages already stored, often résumé
URLs) and `crawl.log` (every URL fetched) in its folder. When a person is erased,
every line naming them is removed from `done.txt` and every mention in `crawl.log`
is replaced with `[erased]`; a per-source folder left empty (its name is the source
key, which may be the person's URL) is removed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

_SCRUBBED = ("done.txt", "crawl.log")


def remove_if_empty(folder: Path) -> bool:
    """Remove `folder` when it exists and is empty; True when removed."""
    try:
        folder.rmdir()
    except OSError:  # not empty, missing, or not ours to remove
        return False
    return True


def scrub_crawl_files(jobdirs: Iterable[str], needles: list[str]) -> int:
    """Remove `needles` (a person's URLs and ids, longest first) from the crawl files in `jobdirs`; return files changed."""
    if not needles:
        return 0
    changed = 0
    for jobdir in jobdirs:
        for name in _SCRUBBED:
            path = Path(jobdir) / name
            try:
                text = path.read_text(encoding="utf-8", errors="surrogateescape")
            except OSError:
                continue
            if not any(n in text for n in needles):
                continue
            if name == "done.txt":
                out = "".join(ln for ln in text.splitlines(keepends=True) if not any(n in ln for n in needles))
            else:
                out = text
                for n in needles:
                    out = out.replace(n, "[erased]")
            tmp = path.with_name(path.name + ".erasing")
            tmp.write_text(out, encoding="utf-8", errors="surrogateescape")
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)  # atomic: a reader sees the old or the scrubbed file, never half
            changed += 1
    return changed
