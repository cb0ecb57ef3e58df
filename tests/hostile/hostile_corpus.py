"""Provides the hostile-input corpus: damaged, oversized and malicious résumé files.

`write_small(folder)` writes the small files committed in `tests/fixtures/hostile/`;
`write_bombs(folder)` builds the big ones (ZIP and PDF bombs, a 300,000-character
CSV cell, a 1 GB text node) at test time, so nothing large is committed. Each file's
expected failure is in `EXPECTED` (a fragment of its one-line reason).

Run `python tests/hostile/hostile_corpus.py [FOLDER]` to (re)write the small files
(default: tests/fixtures/hostile/) and, with `--bombs`, the big ones too.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
import zlib
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# file name -> fragment of the reason it must be refused with
EXPECTED = {
    "corrupt_deflate.docx": "damaged Word document (error",
    "bad_xml.docx": "damaged Word document (XMLSyntaxError",
    "truncated.docx": "not a readable Word document",
    "no_document.docx": "not a readable Word document",
    "deep.json": "nested more than 32 levels deep",
    "huge_value.json": "not a valid JSON Resume: field basics.name",
    "nul_junk.txt": "binary content",
    "garbage.pdf": "damaged PDF",
    "lying_size.docx": "Bad CRC-32",  # zipfile stops at the declared size
    "escapes.md": "binary content: control characters",  # a text file with ESC is not a text file
    # built at test time
    "bomb_400mb.docx": "refused:",
    "bomb_small.docx": "refused:",
    "text_node_1gb.docx": "refused:",
    "stream_bomb.pdf": "refused: a PDF stream expands beyond",
    "huge_cell.csv": "a cell is longer than 131,072 characters",
    "many_chars.txt": "refused: 1,200,000 characters of text",
}
# Files that import (one candidate each), with terminal escape sequences in their fields.
ESCAPES_NAME = "Eve \x1b[2J\x1b]0;pwned\x07Mallory"


def _base_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Base Person")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _rewrite(base: bytes, out: Path, replace: dict[str, bytes | None], *, chunks: dict[str, tuple[bytes, int]] | None = None,
             level: int = 6) -> Path:
    """Copy a DOCX's members, replacing some (`None` drops one); `chunks` streams `piece * count` as a member."""
    chunks = chunks or {}
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            name = info.filename
            if name in chunks:
                head, piece, count, tail = _split(chunks[name])
                member = zipfile.ZipInfo(name)
                member.compress_type = zipfile.ZIP_DEFLATED
                member._compresslevel = level  # what ZipFile.open honours for a new member
                with dst.open(member, "w", force_zip64=True) as fh:
                    fh.write(head)
                    for _ in range(count):
                        fh.write(piece)
                    fh.write(tail)
                continue
            data = replace.get(name, src.read(name))
            if data is not None:
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out


def _split(spec: tuple[bytes, int]) -> tuple[bytes, bytes, int, bytes]:
    piece, count = spec
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'.encode()
    return head, piece, count, b"</w:body></w:document>"


def corrupt_deflate(out: Path) -> Path:
    """A DOCX whose document.xml deflate stream is damaged (zlib.error while reading it)."""
    body = f'<?xml version="1.0"?><w:document {_W}><w:body>'.encode() + b"<w:p><w:r><w:t>Hello there</w:t></w:r></w:p>" * 400 + b"</w:body></w:document>"
    _rewrite(_base_docx(), out, {"word/document.xml": body})
    data = bytearray(out.read_bytes())
    at = data.find(b"word/document.xml") + len(b"word/document.xml")  # local header's name, then the data
    for i in range(at + 20, at + 60):
        data[i] = 0xFF  # invalid deflate block types
    out.write_bytes(bytes(data))
    return out


def lying_size(out: Path) -> Path:
    """A DOCX whose ZIP directory claims document.xml is 1 KB while it inflates to 8 MB."""
    body = _split((b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaa</w:t></w:r></w:p>", 160_000))
    xml = body[0] + body[1] * body[2] + body[3]
    _rewrite(_base_docx(), out, {"word/document.xml": xml}, level=9)
    data = bytearray(out.read_bytes())
    name = b"word/document.xml"
    pos = 0
    while (pos := data.find(name, pos + 1)) != -1:
        if data[pos - 30:pos - 26] == b"PK\x03\x04":  # local header: size at +22
            struct.pack_into("<I", data, pos - 30 + 22, 1024)
        elif data[pos - 46:pos - 42] == b"PK\x01\x02":  # central directory: size at +24
            struct.pack_into("<I", data, pos - 46 + 24, 1024)
    out.write_bytes(bytes(data))
    return out


def write_small(folder: Path = FIXTURES) -> list[Path]:
    """Write the small hostile files (and two good ones carrying escape sequences) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    base = _base_docx()
    made = [corrupt_deflate(folder / "corrupt_deflate.docx")]
    made.append(_rewrite(base, folder / "bad_xml.docx", {"word/document.xml": f"<w:document {_W}><w:body><w:p>".encode()}))
    (folder / "truncated.docx").write_bytes(base[: len(base) // 2])
    made.append(folder / "truncated.docx")
    made.append(_rewrite(base, folder / "no_document.docx", {"word/document.xml": None}))
    made.append(lying_size(folder / "lying_size.docx"))
    deep: object = "x"
    for _ in range(900):
        deep = [deep]
    (folder / "deep.json").write_text(json.dumps({"basics": {"name": "Deep Person"}, "work": deep}), encoding="utf-8")
    (folder / "huge_value.json").write_text(json.dumps({"basics": {"name": {"k" * 40: ["v" * 60] * 30}}}), encoding="utf-8")
    (folder / "nul_junk.txt").write_bytes(b"Name\x00\x00\x00" * 100)
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    made += [folder / n for n in ("deep.json", "huge_value.json", "nul_junk.txt", "garbage.pdf")]
    # JSON carries escape sequences as \\u001b: it imports, and they are stripped on the way in.
    (folder / "escapes.resume.json").write_text(json.dumps({"basics": {
        "name": ESCAPES_NAME, "label": "Red\x9b31m team\x1b[0m", "email": "eve@example.org",
        "summary": "Line one\nLine\ttwo\x1b[5m blink"}}), encoding="utf-8")
    (folder / "escapes.md").write_text("Oscar \x1b[31mRed\x1b[0m Trudy\nSecurity tester\noscar@example.org\n", encoding="utf-8")
    made += [folder / "escapes.resume.json", folder / "escapes.md"]  # the .md is refused: text files carry no ESC
    return made


def _stream_pdf(out: Path, payload_mb: int) -> Path:
    """A one-page PDF whose content stream inflates to `payload_mb` MB of text operators."""
    comp = zlib.compressobj(9)
    piece = b"BT /F1 12 Tf 72 720 Td (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa) Tj ET\n" * 13_000  # ~1 MB
    stream = b"".join(comp.compress(piece) for _ in range(payload_mb)) + comp.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    buf = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(buf))
        buf += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(buf)
    buf += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    buf += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    buf += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    out.write_bytes(bytes(buf))
    return out


def write_bombs(folder: Path, *, full: bool = True) -> list[Path]:
    """Build the big hostile files in `folder` (a temporary folder: never commit these).

    `full` builds them at the sizes of the issue's report (400 MB of XML, a 1 GB text
    node); `full=False` builds quarter-size ones, still far past every limit, for tests.
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = _base_docx()
    para = b"<w:p><w:r><w:t>bomb bomb bomb bomb bomb bomb bomb bomb</w:t></w:r></w:p>"
    scale = 1 if full else 4
    made = [
        # 400 MB of XML paragraphs (the 1.2 MB file)
        _rewrite(base, folder / "bomb_400mb.docx", {}, chunks={"word/document.xml": (para * 7_000, 1_000 // scale)}, level=9),
        # ~120 MB of XML in a ~0.5 MB file (the "small" bomb)
        _rewrite(base, folder / "bomb_small.docx", {}, chunks={"word/document.xml": (para * 20_000, 100 // scale)}, level=9),
        # one text node of 1 GB
        _rewrite(base, folder / "text_node_1gb.docx", {},
                 chunks={"word/document.xml": (b"a" * (1024 * 1024), 1024 // scale)}, level=9),
        _stream_pdf(folder / "stream_bomb.pdf", 200 // scale),
    ]
    cell = "x" * 300_000
    (folder / "huge_cell.csv").write_text(f"name,summary\nAlan Turing,\"{cell}\"\nGrace Hopper,fine\n", encoding="utf-8")
    (folder / "many_chars.txt").write_text("Mallory Many\n" + ("word " * 240_000)[: 1_200_000 - 13], encoding="utf-8")
    made += [folder / "huge_cell.csv", folder / "many_chars.txt"]
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else FIXTURES
    for p in write_small(target) + (write_bombs(target) if "--bombs" in sys.argv else []):
        print(f"{p.stat().st_size:>12,}  {p}")
