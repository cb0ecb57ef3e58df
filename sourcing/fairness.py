"""Provides impact ratios by the NYC Local Law 144 method, from voluntary self-reported categories only.

`import_csv` stores what applicants chose to report (sex, race/ethnicity), keyed by
candidate id or e-mail, apart from profiles: never shown in the review app, never
read by the ranker, erased by `forget`. Nothing is ever inferred from names, photos
or text — a person who reported nothing is "unknown".

`report` computes, for each category and the sex × race/ethnicity intersection:

- **scoring rate**: share of the group scoring above the pool's median score (LL144's
  method for tools that score); the median is taken per job, over everyone ranked;
- **selection rate**: share of the group shortlisted or contacted for the job;
- **impact ratio**: a group's rate divided by the highest rate among the groups that
  count (known groups at or above 2 % of the pool: LL144 lets an auditor exclude smaller
  ones, which are flagged); "unknown" is counted and shown but has no ratio;
- a warning when a ratio is below 0.8 (the EEOC four-fifths rule of thumb).

With several jobs (`--all`) each (job, person) pair is one observation.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sourcing.errors import ImportFailed, NotFoundError
from sourcing.models import utcnow
from sourcing.storage import fairness as rows

UNKNOWN = "unknown"
CATEGORIES = ("sex", "race_ethnicity", "intersection")
SELECTED = ("shortlisted", "contacted")
EXCLUDABLE_SHARE = 0.02
FOUR_FIFTHS = 0.8
_EMPTY = {"", "unknown", "not reported", "prefer not to say", "decline", "declined", "n/a", "na"}
_RACE_HEADERS = ("race_ethnicity", "race/ethnicity", "race", "ethnicity")


@dataclass
class ImportReport:
    """What `import_csv` stored, and the rows it could not use (the rest went through)."""

    new: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return None if text.lower() in _EMPTY else text


def import_csv(store: Any, path: str | Path) -> ImportReport:
    """Import self-reports from a CSV with a `candidate_id` or `email` column, and `sex` and/or
    `race_ethnicity` (also `race`, `ethnicity`). A later row for the same person wins.

    Raises:
        ImportFailed: the file cannot be read or lacks the needed columns.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(str(path), f"cannot read it ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    headers = {h.strip().lower(): h for h in reader.fieldnames or []}
    key_col = headers.get("candidate_id") or headers.get("id") or headers.get("email") or headers.get("e-mail")
    race_col = next((headers[h] for h in _RACE_HEADERS if h in headers), None)
    sex_col = headers.get("sex") or headers.get("gender")
    if key_col is None or (sex_col is None and race_col is None):
        raise ImportFailed(str(path), "needs a candidate_id or email column and a sex and/or race_ethnicity column")
    by_email = key_col.strip().lower() in ("email", "e-mail")
    found: dict[int, tuple[str | None, str | None]] = {}
    report = ImportReport()
    for line, row in enumerate(reader, start=2):
        raw = (row.get(key_col) or "").strip()
        if by_email:
            cid = rows.candidate_by_email(store, raw) if raw else None
        else:
            cid = int(raw) if raw.isdigit() and rows.candidate_exists(store, int(raw)) else None
        if cid is None:
            # The value itself is not repeated: it may be someone's e-mail.
            report.errors.append(f"{path}:{line}: no candidate with that {'e-mail' if by_email else 'id'}")
            continue
        found[cid] = (_clean(row.get(sex_col)) if sex_col else None, _clean(row.get(race_col)) if race_col else None)
    counts = rows.save_reports(store, found, utcnow())
    report.new, report.updated = counts["new"], counts["updated"]
    return report


@dataclass
class GroupStat:
    """One group's numbers in one category."""

    category: str
    group: str
    n: int
    share: float
    above_median: int
    scoring_rate: float
    selected: int
    selection_rate: float
    scoring_impact: float | None = None
    selection_impact: float | None = None
    excludable: bool = False  # under 2 % of the pool (LL144: may be left out of the ratios)
    warnings: list[str] = field(default_factory=list)


@dataclass
class FairnessReport:
    """Impact ratios for one job or for every job (`job_id` None)."""

    job_id: int | None
    observations: int
    medians: dict[int, float]
    groups: list[GroupStat]

    @property
    def warnings(self) -> list[str]:
        """Every four-fifths warning, one line each."""
        return [w for g in self.groups for w in g.warnings]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {"job_id": self.job_id, "observations": self.observations,
                "medians": {str(k): v for k, v in self.medians.items()},
                "groups": [asdict(g) for g in self.groups], "warnings": self.warnings}


def _group_of(category: str, report: tuple[str | None, str | None] | None) -> str:
    sex, race = report or (None, None)
    if category == "sex":
        return sex or UNKNOWN
    if category == "race_ethnicity":
        return race or UNKNOWN
    return f"{sex} · {race}" if sex and race else UNKNOWN


def compute(observations: list[dict[str, Any]], reports: dict[int, tuple[str | None, str | None]],
            job_id: int | None = None) -> FairnessReport:
    """The report from ranked observations ({job_id, candidate_id, score, status}) and self-reports."""
    medians = {}
    for jid in sorted({o["job_id"] for o in observations}):
        medians[jid] = float(statistics.median(o["score"] for o in observations if o["job_id"] == jid))
    total = len(observations)
    groups: list[GroupStat] = []
    for category in CATEGORIES:
        tally: dict[str, list[int]] = {}
        for o in observations:
            g = tally.setdefault(_group_of(category, reports.get(o["candidate_id"])), [0, 0, 0])
            g[0] += 1
            g[1] += o["score"] > medians[o["job_id"]]
            g[2] += o["status"] in SELECTED
        stats = [GroupStat(category, name, n, n / total, above, above / n, sel, sel / n)
                 for name, (n, above, sel) in tally.items()]
        for s in stats:
            s.excludable = s.group != UNKNOWN and s.share < EXCLUDABLE_SHARE
        counted = [s for s in stats if s.group != UNKNOWN and not s.excludable]
        best_score = max((s.scoring_rate for s in counted), default=0.0)
        best_sel = max((s.selection_rate for s in counted), default=0.0)
        for s in stats:
            if s.group == UNKNOWN:
                continue
            s.scoring_impact = s.scoring_rate / best_score if best_score else None
            s.selection_impact = s.selection_rate / best_sel if best_sel else None
            if s.excludable:
                continue
            for label, ratio in (("scoring", s.scoring_impact), ("selection", s.selection_impact)):
                if ratio is not None and ratio < FOUR_FIFTHS:
                    s.warnings.append(f"{category} {s.group}: {label} impact ratio {ratio:.2f} is below 0.8 (four-fifths rule)")
        groups += sorted(stats, key=lambda s: (s.group == UNKNOWN, -s.n, s.group))
    return FairnessReport(job_id, total, medians, groups)


def report(store: Any, job_id: int | None = None) -> FairnessReport:
    """Impact ratios for one job (its stored ranking and decisions) or, with None, every ranked job.

    Raises:
        NotFoundError: the job does not exist or has no stored ranking.
    """
    if job_id is not None:
        store.get_job(job_id)
    obs = rows.observations(store, None if job_id is None else [job_id])
    if not obs:
        where = f"job {job_id}" if job_id is not None else "any job"
        raise NotFoundError(f"no stored ranking for {where}: rank first (`sourcing rank JOB`)", "Nothing to report")
    return compute(obs, rows.reports(store), job_id)
