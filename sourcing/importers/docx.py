"""Provides the DOCX résumé importer (python-docx): paragraphs and tables, then the free-text rules.

Refused with a reason: a file that is not a ZIP package (binary junk, an old .doc,
or a password-protected document, which Word stores as an encrypted OLE file),
a ZIP that is not a Word document, a damaged one (bad deflate data, bad XML), one
that expands too much (see `sourcing.importers.limits`), and a document with no text.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sourcing.errors import ImportFailed
from sourcing.importers.common import Parsed
from sourcing.importers.limits import cap_text, check_zip, short
from sourcing.importers.text import from_text

SOURCE_KEY = "import:docx"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extract_text(path: Path, data: bytes) -> str:
    """Return the text of a DOCX document: paragraphs, table cells row by row, then page headers.

    Raises:
        ImportFailed: not a DOCX, encrypted, or damaged.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        raise ImportFailed(str(path), "password-protected or legacy Word (.doc) file: save it as an unprotected .docx")
    if not data.startswith(b"PK"):
        raise ImportFailed(str(path), "not a DOCX: the file is not a ZIP package (binary junk or a renamed file?)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(path, archive)
        document = docx.Document(io.BytesIO(data))
    except ImportFailed:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFailed(str(path), f"not a readable Word document ({type(exc).__name__}: {short(exc)})") from exc
    except Exception as exc:  # noqa: BLE001 - zlib.error, lxml's XMLSyntaxError, ...: a damaged package
        raise ImportFailed(str(path), f"damaged Word document ({type(exc).__name__}: {short(exc)})") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
            parts.append(" | ".join(cells))
    # Contact details often sit in the page header: read it last, so the body's first line
    # still comes first (the name rule looks there).
    headers: list[str] = []
    for section in document.sections:
        for block in (section.header, section.first_page_header):
            if not block.is_linked_to_previous:
                headers += [p.text for p in block.paragraphs if p.text.strip() and p.text not in headers]
    return cap_text(path, "\n".join(parts + headers))


def parse(path: Path, data: bytes) -> Parsed:
    """Turn a DOCX résumé into one `ProfileRecord`.

    Raises:
        ImportFailed: see `extract_text`, or no text.
    """
    text = extract_text(path, data)
    if not text.strip():
        raise ImportFailed(str(path), "no text in this Word document")
    out = Parsed()
    out.add(from_text(path, text, source_key=SOURCE_KEY), str(path))
    return out
