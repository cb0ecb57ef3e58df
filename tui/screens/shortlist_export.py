"""Provides `ShortlistExport`: the shortlist screen's export of the rows shown (CSV, XLSX, JSON).

`e` asks for a file name, then a worker writes the rows in view order through
`sourcing.exports` (formula-safe, pseudonyms in blind mode, no score when ranking is off).
A mixin of `tui.screens.shortlist.ShortlistScreen`.
"""

from __future__ import annotations

from pathlib import Path

from textual import work

from tui.messages import ExportFailed, ExportWritten
from tui.screens.prompt import TextPromptModal


class ShortlistExport:
    """Export of `ShortlistScreen`'s view (expects its `job_id` and `view`)."""

    def action_export(self) -> None:
        """e: write the rows shown to a file."""
        if not self.view:
            self.notify("Nothing to export: no row is shown.", severity="warning")
            return
        default = Path(self.app.export_dir) / f"shortlist-job{self.job_id}.csv"

        def done(path: str | None) -> None:
            if path and path.strip():
                self.export_view(Path(path.strip()).expanduser(), [r.candidate_id for r in self.view], self.app.blind)

        self.app.push_screen(TextPromptModal(
            f"Export {len(self.view):,} rows — file (.csv, .xlsx or .json)", value=str(default),
            hint="enter to write · escape to cancel · blind mode exports pseudonyms"), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export_view(self, path: Path, candidate_ids: list[int], blind: bool) -> None:
        from sourcing.exports import resolve_columns, shortlist_rows, write_export

        try:
            fmt = path.suffix.lower().lstrip(".")
            if fmt not in ("csv", "xlsx", "json"):
                raise ValueError(f"{path}: the file name must end in .csv, .xlsx or .json")
            columns = resolve_columns(self.app.config.get("export.columns"))
            rows = shortlist_rows(self.app.store, self.job_id, blind=blind, columns=[*columns, "candidate_id"],
                                  ranked=self.app.ranking_on)
            by_id = {r["candidate_id"]: r for r in rows}
            keep_id = "candidate_id" in columns
            ordered = [by_id[c] for c in candidate_ids if c in by_id]
            out = [r if keep_id else {k: v for k, v in r.items() if k != "candidate_id"} for r in ordered]
            written = write_export(out, fmt, path, columns=columns)
        except Exception as exc:  # shown to the user, never swallowed
            self.post_message(ExportFailed(f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"))
            return
        self.post_message(ExportWritten(Path(written or path), len(out)))

    def on_export_written(self, message: ExportWritten) -> None:
        self.notify(f"{message.count:,} rows → {message.path}", title="Exported", markup=False)

    def on_export_failed(self, message: ExportFailed) -> None:
        self.notify(message.error, title="Export failed", severity="error", markup=False, timeout=10)
