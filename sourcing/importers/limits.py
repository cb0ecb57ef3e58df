"""Provides the bounds one imported file must stay within: expansion, text, nesting, time.

A résumé is a few pages. A file that expands to hundreds of megabytes (a ZIP or
PDF "bomb"), that holds a million characters of text, nests JSON hundreds of
levels deep or takes longer than `FILE_SECONDS` to read is refused with a reason,
so one hostile file costs little memory and time and the rest of the batch goes on.

- DOCX: the ZIP directory is checked before anything is unpacked: at most
  `MAX_UNPACKED_BYTES` in all, `MAX_XML_BYTES` of XML, and no member over 1 MB
  expanding more than `MAX_RATIO` times. Python's zipfile stops a member at its
  declared size, so a directory that lies fails its CRC check instead of expanding.
- PDF: every stream decodes to at most `MAX_STREAM_BYTES` (pypdf's own limits, lowered).
- Text pulled from any format: at most `MAX_TEXT_CHARS` characters.
- Time: `time_budget` interrupts a file that takes longer than its budget (main thread only:
  POSIX timers signal the main thread; elsewhere the size bounds alone apply).
"""

from __future__ import annotations

import signal
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sourcing.errors import ImportFailed

MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a DOCX with photos is a few MB; 40 MB unpacked is generous
MAX_XML_BYTES = 16 * 1024 * 1024  # the XML of a 10-page résumé is well under 1 MB
MAX_RATIO = 100  # text XML deflates 5-20x; a bomb is hundreds or thousands of times
MAX_STREAM_BYTES = 16 * 1024 * 1024  # one decoded PDF stream
MAX_TEXT_CHARS = 1_000_000  # about 300 pages of text
MAX_JSON_DEPTH = 32  # JSON Resume nests 4 levels
FILE_SECONDS = 10.0
MAX_REASON_CHARS = 200  # third-party error messages can quote whole values


def short(text: object, limit: int = MAX_REASON_CHARS) -> str:
    """Return `text` on one line, clipped to `limit` characters (with an ellipsis)."""
    one_line = " ".join(str(text).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP package whose directory says it expands too much (nothing is unpacked).

    Raises:
        ImportFailed: over `MAX_UNPACKED_BYTES` in all, over `MAX_XML_BYTES` of XML, or a
            member over 1 MB with a compression ratio above `MAX_RATIO`.
    """
    total = xml = 0
    for info in archive.infolist():
        total += info.file_size
        if info.filename.lower().endswith((".xml", ".rels")):
            xml += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ImportFailed(str(path), f"refused: '{short(info.filename, 60)}' expands {ratio}x "
                               f"({_size(info.compress_size)} to {_size(info.file_size)}), a ZIP bomb?")
    if total > MAX_UNPACKED_BYTES:
        raise ImportFailed(str(path), f"refused: unpacks to {_size(total)}, over the {_size(MAX_UNPACKED_BYTES)} limit for a document")
    if xml > MAX_XML_BYTES:
        raise ImportFailed(str(path), f"refused: {_size(xml)} of XML, over the {_size(MAX_XML_BYTES)} limit for a document")


def cap_text(path: Path, text: str) -> str:
    """Refuse text longer than `MAX_TEXT_CHARS` (no résumé is that long).

    Raises:
        ImportFailed: the text is too long.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFailed(str(path), f"refused: {len(text):,} characters of text, over the {MAX_TEXT_CHARS:,} limit for a résumé")
    return text


def json_depth_ok(value: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `value` nests at most `limit` arrays/objects deep (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


class OutOfTime(Exception):
    """Raised inside a file's parsing when its time budget is spent."""


REFIRE_SECONDS = 0.05  # once the budget is spent, the signal repeats this often until the block ends


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise `OutOfTime` in the main thread if the block runs longer than `seconds`.

    Python delivers the signal between bytecodes, so a long C call (bounded by the
    size limits above) finishes first. An exception raised while a finaliser
    (`__del__`, a weakref callback) runs is printed and dropped by Python, so one
    signal is not enough: once the budget is spent it repeats every `REFIRE_SECONDS`
    until the block has ended. Outside the main thread this does nothing.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    done = False

    def _expired(_signum, _frame) -> None:
        if done:
            return  # a signal already on its way when the block ended
        signal.setitimer(signal.ITIMER_REAL, REFIRE_SECONDS)
        raise OutOfTime()

    previous = signal.signal(signal.SIGALRM, _expired)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)  # inside the try: a tiny budget may fire at once
        yield
    finally:
        while True:  # an OutOfTime landing in here must not leave the timer armed or the handler installed
            try:
                done = True
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except OutOfTime:
                continue
