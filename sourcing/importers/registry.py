"""Provides format dispatch: which importer reads which file, and `parse_file`.

The format is chosen by suffix; the importers then check the content (a `.pdf`
that is not a PDF, a `.docx` that is not a ZIP) so a renamed file is refused
with a reason instead of producing garbage.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sourcing.errors import ImportFailed
from sourcing.importers import csvfile, docx, jsonresume, pdf, text
from sourcing.importers.common import DEFAULT_MAX_BYTES, Parsed, read_bytes

Parser = Callable[[Path, bytes], Parsed]

FORMATS: dict[str, Parser] = {
    ".json": jsonresume.parse,
    ".csv": csvfile.parse,
    ".tsv": csvfile.parse,
    ".txt": text.parse,
    ".text": text.parse,
    ".md": text.parse,
    ".markdown": text.parse,
    ".pdf": pdf.parse,
    ".docx": docx.parse,
}
SUPPORTED_SUFFIXES = frozenset(FORMATS)


def parse_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Parsed:
    """Read one file into profile records (no store needed).

    Args:
        path: a `.json` (JSON Resume), `.csv`/`.tsv`, `.txt`/`.md`, `.pdf` or `.docx` file.
        max_bytes: size limit; bigger files are refused before being read.

    Returns:
        `Parsed`: the records (with where each came from) and per-row failures.

    Raises:
        ImportFailed: the whole file cannot be imported; `reason` says why.
    """
    path = Path(path)
    if not path.exists():  # said first: "unsupported file type '(none)'" misleads about a typo
        raise ImportFailed(str(path), "cannot read the file: it does not exist")
    parser = FORMATS.get(path.suffix.lower())
    if parser is None:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ImportFailed(str(path), f"unsupported file type '{path.suffix or '(none)'}' (supported: {kinds})")
    if path.is_dir():
        raise ImportFailed(str(path), "is a directory")
    data = read_bytes(path, max_bytes)
    try:
        return parser(path, data)
    except ImportFailed:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError, EOFError) as exc:
        # Third-party readers (pypdf, python-docx, zipfile) raise plain errors on odd files;
        # one odd file must not stop a batch, so it is reported with the error's type.
        raise ImportFailed(str(path), f"could not be read ({type(exc).__name__}: {exc})") from exc
