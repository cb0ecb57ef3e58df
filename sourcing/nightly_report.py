"""Provides the nightly report's files: JSON for tools, Markdown for the people reading it.

Reports go to `nightly.reports_dir` (default `<user data dir>/reports`) as
`nightly-<UTC time>-run<id>.json` and `.md`, plus `latest.json` / `latest.md`
copies so a bookmark or a mail script always finds the newest. They name candidates
by id and pseudonym only: a report file outlives an erasure, so it must not hold a
name, an e-mail or a profile URL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sourcing.nightly_notices import render_section as render_notices


def default_reports_dir(config: Any) -> Path:
    """`nightly.reports_dir` when set, else `<user data dir>/reports`."""
    configured = config.get("nightly.reports_dir")
    if configured:
        return Path(configured).expanduser()
    from sourcing.config import data_dir

    return data_dir() / "reports"


def _cell(value: Any) -> str:
    """A Markdown table cell: scraped text must not break the table or inject markup."""
    text = " ".join(str(value if value is not None else "").split())
    for ch in "\\|*_`[]<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_markdown(report: dict[str, Any]) -> str:
    """Render a report as Markdown (what `sourcing nightly` prints and HR reads in the morning)."""
    totals = report.get("totals", {})
    when = (report.get("started_at") or "")[:16].replace("T", " ")
    lines = [
        f"# Nightly report — {when} UTC (run {report.get('run_id')})",
        "",
        f"Status: **{report.get('status')}** (exit {report.get('exit_code')}) · {report.get('duration_s', 0)} s · "
        f"{totals.get('new', 0)} new and {totals.get('updated', 0)} updated items · "
        f"{_plural(totals.get('embedded', 0), 'text')} embedded · "
        f"{_plural(totals.get('entered_top', 0), 'candidate')} entered a top {report.get('top', '')} · "
        f"{totals.get('purged', 0)} erased by retention · {_plural(totals.get('notices_due', 0), 'notice')} due",
        "",
    ]
    if report.get("recovered_crashed_runs"):
        lines += [f"The previous run(s) {report['recovered_crashed_runs']} did not finish (crash or kill); "
                  "interrupted crawls were resumed.", ""]
    lines += ["## Sources", ""]
    if report.get("sources"):
        lines += ["| source | status | new | updated | unchanged | errors | note |", "|---|---|---:|---:|---:|---:|---|"]
        for s in report["sources"]:
            note = s.get("reason") or ("resumed" if s.get("resumed") else "")
            lines.append(f"| {_cell(s['key'])} | {s['status']} | {s['new']} | {s['updated']} | {s['unchanged']} | "
                         f"{s['errors']} | {_cell(note)} |")
    else:
        lines.append("No sources configured (add one with `sourcing sources add greenhouse:acme`).")
    lines += ["", f"## New in each job's top {report.get('top', '')}", ""]
    jobs = report.get("jobs", [])
    if not jobs:
        lines.append("No open jobs.")
    # Only jobs with news or a failure get a section: crawled market postings are open jobs too,
    # and a morning report listing hundreds of "nothing new" would hide what matters.
    quiet = [j for j in jobs if not j.get("entered") and not j.get("failed")]
    for job in jobs:
        if job in quiet:
            continue
        lines.append(f"### Job {job['job_id']} — {_cell(job['title'])}")
        lines.append("")
        if job.get("failed"):
            lines.append("Ranking failed (see Failures); the previous ranking is kept.")
        else:
            lines += ["| rank | candidate | score |", "|---:|---|---:|"]
            for e in job["entered"]:
                lines.append(f"| {e['rank']} | {_cell(e.get('pseudonym'))} (#{e['candidate_id']}) | {e['score']:.3f} |")
            lines += ["", f"Review them with `sourcing review {job['job_id']}`."]
        lines.append("")
    if quiet:
        reranked = sum(1 for j in quiet if j.get("reranked"))
        lines += [f"{_plural(len(quiet), 'other open job')}: nobody new in the top "
                  f"({reranked} re-ranked, {len(quiet) - reranked} unchanged since the last run).", ""]
    purge = report.get("purge") or {}
    if purge:
        counts = purge.get("counts", {})
        lines += ["## Retention", "",
                  f"Erased {_plural(purge.get('erased', 0), 'person')}"
                  f" ({counts.get('rejected', 0)} rejected more than {purge.get('rejected_days')} days ago, "
                  f"{counts.get('pool', 0)} inactive for more than {purge.get('pool_days')} days); "
                  "they are on the do-not-collect list.", ""]
    lines += render_notices(report.get("notices") or {})
    lines += ["## Failures", ""]
    if report.get("failures"):
        lines += [f"- {f['step']} · {_cell(f['target'])}: {_cell(f['reason'])}" for f in report["failures"]]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def write_report(report: dict[str, Any], reports_dir: Path) -> list[Path]:
    """Write the report as JSON and Markdown (and the `latest.*` copies).

    Returns:
        [json path, markdown path].
    """
    reports_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = (report.get("started_at") or "")[:19].replace(":", "").replace("-", "")
    base = reports_dir / f"nightly-{stamp}-run{report.get('run_id')}"
    as_json = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    as_md = render_markdown(report)
    paths = [base.with_suffix(".json"), base.with_suffix(".md")]
    for path, text in zip(paths, (as_json, as_md)):
        _write_private(path, text)
        _write_private(reports_dir / f"latest{path.suffix}", text)
    return paths
