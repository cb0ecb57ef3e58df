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
from sourcing.importers.limits import FILE_SECONDS, OutOfTime, short, time_budget

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


def parse_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, seconds: float = FILE_SECONDS) -> Parsed:
    """Read one file into profile records (no store needed).

    Args:
        path: a `.json` (JSON Resume), `.csv`/`.tsv`, `.txt`/`.md`, `.pdf` or `.docx` file.
        max_bytes: size limit; bigger files are refused before being read.
        seconds: time budget for reading the file (main thread only; 0 = none).

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
        with time_budget(seconds):
            return parser(path, data)
    except ImportFailed:
        raise
    except OutOfTime:
        raise ImportFailed(str(path), f"refused: reading it took more than {seconds:g} s (a hostile or broken file?)") from None
    except MemoryError:
        raise ImportFailed(str(path), "refused: reading it needed more memory than is available") from None
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop a batch
        # Third-party readers (pypdf, python-docx, zipfile, lxml, zlib) raise their own errors
        # on odd files: each becomes this file's one-line failure, with the error's type.
        raise ImportFailed(str(path), f"could not be read ({type(exc).__name__}: {short(exc)})") from exc
