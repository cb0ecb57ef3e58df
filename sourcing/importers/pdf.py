"""Provides the PDF résumé importer (pypdf): text layer only, then the free-text rules.

Refused with a reason: a file that is not a PDF, a damaged PDF, a password-protected
PDF (one that opens with an empty password, i.e. only owner-restricted, is read),
and a PDF with no text layer (a scan: OCR it first).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from sourcing.errors import ImportFailed
from sourcing.importers.common import Parsed
from sourcing.importers.limits import MAX_STREAM_BYTES, MAX_TEXT_CHARS, cap_text, short
from sourcing.importers.text import from_text

SOURCE_KEY = "import:pdf"
MAX_PAGES = 50  # a résumé is a few pages; a 500-page PDF is not one


def extract_text(path: Path, data: bytes) -> str:
    """Return the text of a PDF's pages.

    Raises:
        ImportFailed: not a PDF, damaged, encrypted, or too many pages.
    """
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

    if b"%PDF-" not in data[:1024]:
        raise ImportFailed(str(path), "not a PDF: the file has no %PDF- header (binary junk or a renamed file?)")
    # pypdf logs warnings about sloppy-but-readable PDFs; they are not the user's problem.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # pypdf's own bounds (75 MB per stream) are far above any résumé: a PDF stream bomb stops
    # at MAX_STREAM_BYTES per stream instead.
    limits = {name: MAX_STREAM_BYTES for name in (
        "maximum_declared_stream_length", "array_based_stream_maximum_output_length", "jbig2_maximum_output_length",
        "lzw_maximum_output_length", "run_length_maximum_output_length", "zlib_maximum_output_length",
        "brotli_maximum_output_length", "image_maximum_buffer_size")}
    try:
        with apply_configuration(**limits, stream_decoding_work_maximum_length=4 * MAX_STREAM_BYTES):
            return _read(path, data, PdfReader)
    except ImportFailed:
        raise
    except LimitReachedError as exc:
        raise ImportFailed(str(path), f"refused: a PDF stream expands beyond the {MAX_STREAM_BYTES // (1024 * 1024)} MB limit, a PDF bomb? ({short(exc, 120)})") from exc
    except FileNotDecryptedError as exc:
        raise ImportFailed(str(path), "encrypted PDF (password-protected): save an unprotected copy and import that") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        # pypdf raises plain Python errors on some damaged files; all mean "cannot read it".
        raise ImportFailed(str(path), f"damaged PDF ({type(exc).__name__}: {short(exc)})") from exc
    except Exception as exc:  # noqa: BLE001 - zlib.error and other C-level errors on a damaged stream
        raise ImportFailed(str(path), f"damaged PDF ({type(exc).__name__}: {short(exc)})") from exc


def _read(path: Path, data: bytes, reader_cls: Any) -> str:
    from pypdf.errors import DependencyError, FileNotDecryptedError

    reader = reader_cls(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (FileNotDecryptedError, NotImplementedError, DependencyError) as exc:
            raise ImportFailed(str(path), f"encrypted PDF that cannot be opened ({short(exc)})") from exc
        if not opened:
            raise ImportFailed(str(path), "encrypted PDF (password-protected): save an unprotected copy and import that")
    if len(reader.pages) > MAX_PAGES:
        raise ImportFailed(str(path), f"PDF has {len(reader.pages)} pages, more than a résumé's {MAX_PAGES}")
    texts: list[str] = []
    size = 0
    for page in reader.pages:
        texts.append(page.extract_text() or "")
        size += len(texts[-1])
        if size > MAX_TEXT_CHARS:
            break  # cap_text refuses it; the remaining pages are not worth extracting
    return cap_text(path, "\n".join(texts))


def parse(path: Path, data: bytes) -> Parsed:
    """Turn a PDF résumé into one `ProfileRecord`.

    Raises:
        ImportFailed: see `extract_text`, or no text (a scanned image).
    """
    text = extract_text(path, data)
    if not text.strip():
        raise ImportFailed(str(path), "no text in this PDF (a scanned image? run OCR on it first)")
    out = Parsed()
    out.add(from_text(path, text, source_key=SOURCE_KEY), str(path))
    return out
