"""Provides shortlist exports: rows for a job (`shortlist_rows`) and CSV/XLSX/JSON files (`write_export`).

The CLI (`sourcing export`) and the review app's export key call the same two
functions. Spreadsheet safety (OWASP "CSV injection"): in CSV and XLSX every
text cell beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a
leading single quote, so no spreadsheet evaluates it as a formula; in XLSX every
text cell is also written with the string type, never as a formula. JSON is data
for programs and is written as is.

Exports contain personal data: files are created with mode 0600 and written
atomically (a temporary file renamed into place), so a failed export leaves no
half-written file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sourcing.errors import NotFoundError, UsageError
from sourcing.masking import masker_for
from sourcing.oversight import ordered
from sourcing.storage.exports import profile_sources

if TYPE_CHECKING:
    from sourcing.storage import Store

COLUMNS = ("rank", "score", "name", "headline", "location", "email", "status", "note",
           "matched", "missing", "sources", "candidate_id")
DEFAULT_COLUMNS = ("rank", "score", "name", "headline", "location", "email", "status", "matched", "missing", "sources")
ALIASES = {
    "matched skills": "matched", "matched_skills": "matched", "missing must-haves": "missing",
    "missing_must_haves": "missing", "missing_must": "missing", "id": "candidate_id", "url": "sources",
    "urls": "sources",
}
FORMATS = ("csv", "xlsx", "json")
STATUSES = ("shortlisted", "maybe", "rejected", "contacted", "undecided")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def resolve_columns(columns: Iterable[str] | str | None) -> list[str]:
    """Normalise a column list (names, aliases, or one comma-separated string); empty = defaults.

    Raises:
        UsageError: an unknown column (the message lists the known ones).
    """
    if isinstance(columns, str):
        columns = columns.split(",")
    wanted = [c.strip().lower() for c in columns or () if c.strip()]
    if not wanted:
        return list(DEFAULT_COLUMNS)
    out = []
    for c in wanted:
        key = ALIASES.get(c, c).replace("-", "_")
        if key not in COLUMNS:
            raise UsageError(f"unknown export column '{c}'; known columns: {', '.join(COLUMNS)} (setting export.columns)")
        if key not in out:
            out.append(key)
    return out


def explanation_items(value: Any) -> list[str]:
    """Explanation items (matched skills, missing must-haves) as text: they may be strings or dicts ({"text"|"name"|"skill": …})."""
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    out = []
    for v in value:
        if isinstance(v, dict):
            v = v.get("text") or v.get("name") or v.get("skill") or ""
        if v:
            out.append(str(v))
    return out


def partly_met_musts(explanation: dict[str, Any]) -> list[str]:
    """Must-haves the ranker found only in part, as "text (partly: note)", so a hiring manager sees them."""
    return [
        f"{r.get('text')} (partly: {r['note']})" if r.get("note") else f"{r.get('text')} (partly)"
        for r in explanation.get("requirements") or ()
        if isinstance(r, dict) and r.get("kind") == "must" and r.get("partial") and r.get("text")
    ]


def shortlist_rows(store: "Store", job_id: int, *, status: str | Sequence[str] | None = None,
                   blind: bool = False, columns: Iterable[str] | str | None = None,
                   ranked: bool = True) -> list[dict[str, Any]]:
    """Build export rows for a job: ranked candidates best first, then decided-but-unranked ones.

    Args:
        store: an open `Store`.
        job_id: the job.
        status: keep only these decision statuses (one or several; "undecided" = no decision).
        blind: show the pseudonym instead of the name, blank the e-mail, and give source
            kinds instead of profile URLs (which would identify the person).
        columns: column names (see `COLUMNS`); None or empty = `DEFAULT_COLUMNS`.
        ranked: False when human oversight turned automated ordering off (`ranking.enabled`):
            rows come in the job's neutral order, with no rank or score, and `matched`
            lists the must-haves met (the checklist) instead of matched skills.

    Returns:
        One dict per candidate with exactly `columns` as keys, in that order. `matched`,
        `missing` and `sources` are lists; `rank` and `score` are None when unranked.

    Raises:
        NotFoundError: no such job. UsageError: unknown column or status.
    """
    cols = resolve_columns(columns)
    wanted = _statuses(status)
    store.get_job(job_id)  # raises NotFoundError with a clear message
    decisions = store.get_decisions(job_id)
    # One query for ranking + person + decision; decided-but-unranked people are read one by one (few).
    entries = [(r, r) for r in store.get_shortlist(job_id)]
    ranked_ids = {r["candidate_id"] for r, _ in entries}
    for cid in sorted(decisions):
        if cid not in ranked_ids:
            try:
                entries.append((None, store.get_candidate(cid)))
            except NotFoundError:
                continue  # erased meanwhile; nothing of them may be exported
    if not ranked:
        entries = ordered(job_id, entries, enabled=False, key=lambda e: _cid(e[1]))
    entries = [(r, c) for r, c in entries if not wanted or ((decisions.get(_cid(c)) or {}).get("status") or "undecided") in wanted]
    sources_by_id = profile_sources(store, [_cid(c) for _, c in entries]) if "sources" in cols else {}
    rows = []
    for rank_row, cand in entries:
        cid = _cid(cand)
        decision = decisions.get(cid) or {}
        exp = (rank_row or {}).get("explanation") or {}
        profiles = sources_by_id.get(cid, [])
        if blind:
            sources = list(dict.fromkeys(p.get("source_kind") or "" for p in profiles))
        else:
            sources = list(dict.fromkeys(p.get("url") or p.get("source_key") or p.get("source_kind") or "" for p in profiles))
        # Blind exports mask free text with the same masker as the ranker and the review app
        # (names, contacts, gendered words and job titles such as "Développeuse").
        mask = masker_for(cand).mask if blind else (lambda t: t)
        full = {
            "rank": rank_row["rank"] if rank_row and ranked else None,
            "score": round(float(rank_row["score"]), 4) if rank_row and ranked else None,
            "name": cand.get("pseudonym") if blind else (cand.get("name") or cand.get("pseudonym")),
            "headline": mask(cand.get("headline") or ""),
            "location": mask(cand.get("location") or ""),
            "email": "" if blind else (cand.get("email") or ""),
            "status": decision.get("status") or "",
            "note": mask(decision.get("note") or ""),
            "matched": explanation_items(exp.get("matched_skills") or exp.get("matched")) if ranked
            else [q.get("text") for q in exp.get("requirements") or [] if q.get("kind") == "must" and q.get("matched")],
            "missing": explanation_items(exp.get("missing_must") or exp.get("missing_must_haves") or exp.get("missing"))
            + partly_met_musts(exp),
            "sources": [s for s in sources if s],
            "candidate_id": cid,
        }
        rows.append({c: full[c] for c in cols})
    return rows


def _cid(entry: dict[str, Any]) -> int:
    """Shortlist rows carry `candidate_id`; `get_candidate` dicts carry `id`."""
    return entry["candidate_id"] if "candidate_id" in entry else entry["id"]


def _statuses(status: str | Sequence[str] | None) -> set[str]:
    if not status:
        return set()
    items = [status] if isinstance(status, str) else list(status)
    out = {s.strip().lower() for item in items for s in item.split(",") if s.strip()}
    out = {"undecided" if s in ("none", "new") else s for s in out}
    bad = out - set(STATUSES)
    if bad:
        raise UsageError(f"unknown status '{sorted(bad)[0]}'; use one of {', '.join(STATUSES)}")
    return out


def neutralise(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would read as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell_text(value: Any) -> str | int | float:
    """A cell for CSV/XLSX: lists joined with "; ", None blank, numbers kept, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return neutralise(str(value))


def write_export(rows: list[dict[str, Any]], fmt: str, out: str | os.PathLike[str] | None = None,
                 columns: Iterable[str] | str | None = None) -> Path | None:
    """Write rows as CSV, XLSX or JSON.

    Args:
        rows: from `shortlist_rows`.
        fmt: "csv", "xlsx" or "json".
        out: a file path, or None / "-" for standard output (XLSX to stdout only when it is
            not a terminal).
        columns: the columns to write, in order; None = the keys of the first row (or the defaults).

    Returns:
        The path written, or None when written to standard output.

    Raises:
        UsageError: unknown format or column, or XLSX to a terminal.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
    cols = resolve_columns(columns) if columns else (list(rows[0]) if rows else list(DEFAULT_COLUMNS))
    to_stdout = out is None or str(out) == "-"
    if fmt == "xlsx":
        if to_stdout and sys.stdout.isatty():
            raise UsageError("an XLSX file cannot go to the terminal; give --out FILE.xlsx")
        data = _xlsx_bytes(rows, cols)
    elif fmt == "csv":
        buf = io.StringIO(newline="")
        _write_csv(buf, rows, cols)
        # A BOM lets Excel read the file as UTF-8 (accents intact); stdout stays plain UTF-8.
        data = buf.getvalue().encode("utf-8" if to_stdout else "utf-8-sig")
    else:
        data = (json.dumps([{c: r.get(c) for c in cols} for r in rows], ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
    if to_stdout:
        stream: IO[bytes] = sys.stdout.buffer
        stream.write(data)
        stream.flush()
        return None
    return _atomic_write(Path(out), data)  # type: ignore[arg-type]


def _write_csv(fh: IO[str], rows: list[dict[str, Any]], cols: list[str]) -> None:
    # QUOTE_ALL: OWASP also recommends quoting every field, so no separator inside a cell splits it.
    writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(cols)
    for r in rows:
        writer.writerow([_cell_text(r.get(c)) for c in cols])


def _xlsx_bytes(rows: list[dict[str, Any]], cols: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "shortlist"
    widths = [len(c) for c in cols]
    for j, name in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=name)
        cell.font = Font(bold=True)
    for i, r in enumerate(rows, start=2):
        for j, c in enumerate(cols, start=1):
            value = _cell_text(r.get(c))
            cell = ws.cell(row=i, column=j)
            if isinstance(value, str):
                # XML cannot hold most control characters; openpyxl would refuse the whole file.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.value = value
                cell.data_type = "s"  # never "f" (formula), whatever the text looks like
            else:
                cell.value = value
            widths[j - 1] = max(widths[j - 1], min(60, len(str(value))))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w + 2
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _atomic_write(path: Path, data: bytes) -> Path:
    path = path.expanduser()
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give a file name for the export")
    if not path.parent.exists():
        raise UsageError(f"{path.parent}: no such directory for the export")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
