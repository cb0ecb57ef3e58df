"""Provides builders for import/export test files: real PDFs (pypdf) and DOCX (python-docx).

Binary fixtures are generated here rather than committed, so each test shows what
its file contains.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def make_pdf(path: Path, lines: list[str], *, password: str | None = None, owner_only: bool = False) -> Path:
    """Write a one-page PDF whose text layer holds `lines` (Helvetica, WinAnsi).

    `password` encrypts it with AES-256 (a user password unless `owner_only`, in
    which case anyone can open it with an empty password).
    """
    w = PdfWriter()
    page = w.add_blank_page(width=612, height=792)
    if lines:
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        })
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})}
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 720 Td"]
        for ln in lines:
            ops.append("(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = w._add_object(stream)
    if password:
        w.encrypt(user_password="" if owner_only else password, owner_password="owner-" + password, algorithm="AES-256")
    buf = io.BytesIO()
    w.write(buf)
    path.write_bytes(buf.getvalue())
    return path


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None, header: str | None = None) -> Path:
    """Write a DOCX with these paragraphs (a leading `# ` makes a heading), an optional table and page header."""
    import docx

    d = docx.Document()
    if header:
        d.sections[0].header.paragraphs[0].text = header
    for p in paragraphs:
        if p.startswith("# "):
            d.add_heading(p[2:], level=1)
        else:
            d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    d.save(str(path))
    return path
