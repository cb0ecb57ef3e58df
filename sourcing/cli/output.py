"""Provides the output formats of every read command: a table by default, `--json`, `--csv`, `--nl`.

The convention is sqlite-utils': a readable table for people, and three formats
for scripts with the same field names (documented per command in docs/cli.md):

- `--json`: one JSON array of objects (`[]` when empty);
- `--nl`: newline-delimited JSON, one object per line (nothing when empty);
- `--csv`: a header line and one row per record; list values are joined with "; ",
  and text cells a spreadsheet would run as a formula get a leading ' (as exports do).

Records go to stdout; "nothing yet" hints go to stderr, so `--json` on an empty
list prints exactly `[]`. Stored control characters never reach the terminal: the
table and CSV show them as `\\xNN` (sourcing.textsafe), JSON as `\\u00NN`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

import click

from sourcing.textsafe import for_terminal, json_for_terminal

FORMATS = ("table", "json", "csv", "nl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_options(func: Callable[..., Any] | None = None, *, json_help: str = "Print a JSON array of objects.") -> Any:
    """Add `--json`, `--csv`, `--nl` (and the default `--table`) to a command, as its `fmt` argument.

    Use bare (`@format_options`) or with the --json help of a command printing one
    object or document (`@format_options(json_help="Print the report as one JSON object.")`).
    """
    def add(f: Callable[..., Any]) -> Callable[..., Any]:
        for flag, value, text in reversed((
            ("--table", "table", "Print a readable table (the default)."),
            ("--json", "json", json_help),
            ("--csv", "csv", "Print CSV with a header line."),
            ("--nl", "nl", "Print newline-delimited JSON: one object per line."),
        )):
            # Only --table carries the default: a False/None default on the others would win over it.
            extra = {"default": "table"} if value == "table" else {}
            f = click.option(flag, "fmt", flag_value=value, help=text, **extra)(f)
        return f

    return add(func) if func is not None else add


def _plain(value: Any) -> Any:
    """A JSON-ready value: datetimes as ISO 8601 text, tuples as lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(_plain(value), ensure_ascii=False)
    return for_terminal(" ".join(str(value).split()), multiline=False)  # one line per row; controls as \xNN


def _csv_cell(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    text = _cell(value) if not isinstance(value, str) else for_terminal(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_table(rows: Sequence[dict[str, Any]], fields: Sequence[str], *, max_width: int = 60) -> str:
    """Return `rows` as aligned columns under an upper-case header (long cells clipped with …).

    No rule line under the header, so `tail -n +2` gives the rows alone.
    """
    header = [f.upper() for f in fields]
    body = []
    for row in rows:
        cells = []
        for f in fields:
            text = _cell(row.get(f))
            cells.append(text if len(text) <= max_width else text[: max_width - 1] + "…")
        body.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(header)]
    numeric = [bool(body) and all(_is_number(row.get(f)) for row in rows if row.get(f) is not None) for f in fields]
    lines = []
    for cells in [header, *body]:
        parts = [c.rjust(w) if num and cells is not header else c.ljust(w) for c, w, num in zip(cells, widths, numeric)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def render(rows: Iterable[dict[str, Any]], fields: Sequence[str], fmt: str, *, max_width: int = 60) -> str:
    """Return `rows` (only `fields`, in that order) in format `fmt` ("table", "json", "csv", "nl")."""
    if fmt == "table":
        return render_table(list(rows), fields, max_width=max_width)
    picked = [{f: _plain(r.get(f)) for f in fields} for r in rows]
    if fmt == "json":
        return json_for_terminal(json.dumps(picked, ensure_ascii=False, indent=2)) + "\n"
    if fmt == "nl":
        return "".join(json_for_terminal(json.dumps(r, ensure_ascii=False)) + "\n" for r in picked)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(fields)
        for r in picked:
            writer.writerow([_csv_cell(r[f]) for f in fields])
        return buf.getvalue()
    raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")


def emit(rows: Sequence[dict[str, Any]], fields: Sequence[str], fmt: str, *, empty_hint: str = "",
         max_width: int = 60) -> None:
    """Print `rows` to stdout in `fmt`; with no rows, a table prints `empty_hint` on stderr instead.

    `max_width` clips the table's cells (never the other formats').
    """
    if not rows and fmt == "table":
        if empty_hint:
            click.echo(empty_hint, err=True)
        return
    click.echo(render(rows, fields, fmt, max_width=max_width), nl=False)


def emit_record(record: dict[str, Any], fmt: str, *, fields: Sequence[str] | None = None) -> bool:
    """Print one record as JSON, NDJSON or CSV and return True; return False for "table" (caller prints text)."""
    if fmt == "table":
        return False
    fields = list(fields or record)
    if fmt == "json":
        click.echo(json_for_terminal(json.dumps({f: _plain(record.get(f)) for f in fields}, ensure_ascii=False, indent=2)))
    else:
        click.echo(render([record], fields, fmt), nl=False)
    return True


__all__ = ["FORMATS", "format_options", "render", "render_table", "emit", "emit_record"]
