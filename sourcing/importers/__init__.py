"""Provides résumé importers: JSON Resume, CSV, plain text/Markdown, PDF and DOCX to `ProfileRecord`.

Public API:

- `parse_file(path, *, max_bytes)` -> `Parsed` (records + per-row failures), no store needed;
- `import_paths(store, paths, *, on_result=None, max_bytes=...)` -> `ImportReport`;
- `expand_paths(paths)`, `SUPPORTED_SUFFIXES`, `max_bytes_from_config(config)`.

Every failure is a `sourcing.errors.ImportFailed(path, reason)`.
"""

from __future__ import annotations

from typing import Any

from sourcing.importers.batch import ImportOutcome, ImportReport, expand_paths, import_paths
from sourcing.importers.common import DEFAULT_MAX_BYTES, Parsed
from sourcing.importers.registry import SUPPORTED_SUFFIXES, parse_file


def max_bytes_from_config(config: Any) -> int:
    """The size limit in bytes from the `import.max_file_mb` setting."""
    return int(float(config.get("import.max_file_mb")) * 1024 * 1024)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "ImportOutcome",
    "ImportReport",
    "Parsed",
    "SUPPORTED_SUFFIXES",
    "expand_paths",
    "import_paths",
    "max_bytes_from_config",
    "parse_file",
]
