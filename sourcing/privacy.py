"""Provides the retention purge (`sourcing purge`, and the nightly run's purge step).

Following the French CNIL's guidance for recruitment, personal data is not kept
longer than needed:

- a candidate rejected for every job they were considered for is erased
  `privacy.rejected_retention_days` (default 90) after the last decision;
- anyone in the talent pool is erased `privacy.pool_retention_days` (default 730,
  two years) after their last activity (a changed profile on a source, or a decision).

Ranking-run logs (AI Act Art. 12/26) are kept `privacy.run_log_days` (default and
minimum 183, six months) and only then removed; erasing a person blanks their place
in those logs but keeps the fact of the run.

Erasure goes through `store.forget_candidate`, which removes the person everywhere,
keeps one audit row saying that an erasure happened, and puts their source ids and
URLs on the do-not-collect list (as hashes) so the next crawl does not bring them back.
Reports carry candidate ids and reasons only: never names, e-mails or URLs.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sourcing.errors import ConfigError
from sourcing.models import utcnow
from sourcing.storage import retention, runlog

log = logging.getLogger(__name__)


@dataclass
class PurgeItem:
    """One person past retention: why, and since when."""

    candidate_id: int
    reason: str  # "rejected" | "pool"
    last_activity_at: str


@dataclass
class PurgeReport:
    """What a purge found and (unless `dry_run`) erased."""

    dry_run: bool
    rejected_days: int
    pool_days: int
    items: list[PurgeItem] = field(default_factory=list)
    erased: int = 0
    run_log_days: int = 183
    runs_removed: int = 0  # ranking-run logs past `run_log_days` (counted, not removed, on a dry run)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of people per reason."""
        out = {"rejected": 0, "pool": 0}
        for item in self.items:
            out[item.reason] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, for the nightly report."""
        data = asdict(self)
        data["counts"] = self.counts()
        return data


def retention_days(config: Any) -> tuple[int, int]:
    """Return (rejected days, pool days) from the config.

    Raises:
        ConfigError: a value is not a positive number of days.
    """
    out = []
    for key in ("privacy.rejected_retention_days", "privacy.pool_retention_days"):
        days = config.get(key)
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ConfigError(f"'{key}' must be a positive number of days, got {days!r}", "Invalid config")
        out.append(days)
    return out[0], out[1]


RUN_LOG_MIN_DAYS = 183  # AI Act Art. 26(6): logs kept at least six months


def run_log_days(config: Any) -> int:
    """Days ranking-run logs are kept (`privacy.run_log_days`).

    Raises:
        ConfigError: fewer than 183 days (six months, the AI Act's minimum) or not a number.
    """
    days = config.get("privacy.run_log_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < RUN_LOG_MIN_DAYS:
        raise ConfigError(f"'privacy.run_log_days' must be at least {RUN_LOG_MIN_DAYS} days (six months: AI Act "
                          f"Art. 26(6)), got {days!r}", "Invalid config")
    return days


def find_expired(store: Any, config: Any, *, now: datetime | None = None) -> list[PurgeItem]:
    """List the people past their retention period (each once; "rejected" wins over "pool")."""
    rejected_days, pool_days = retention_days(config)
    now = now or utcnow()
    items: dict[int, PurgeItem] = {}
    for row in retention.rejected_before(store, now - timedelta(days=rejected_days)):
        items[row["candidate_id"]] = PurgeItem(row["candidate_id"], "rejected", row["last_decision_at"].isoformat())
    for row in retention.inactive_before(store, now - timedelta(days=pool_days)):
        items.setdefault(row["candidate_id"], PurgeItem(row["candidate_id"], "pool", row["last_activity_at"].isoformat()))
    return [items[k] for k in sorted(items)]


def purge(store: Any, config: Any, *, actor: str, dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Erase everyone past retention (or only list them with `dry_run`).

    One person failing to erase is recorded in `failures` and the others go on.

    Args:
        store: an open Store.
        config: the resolved Config (reads the `privacy.*` days).
        actor: who is purging, for the audit log (e.g. "nightly" or the user's name).
        dry_run: change nothing; report what would be erased.
        now: the current time (tests pass a fixed one).
    """
    rejected_days, pool_days = retention_days(config)
    log_days = run_log_days(config)
    now = now or utcnow()
    report = PurgeReport(dry_run=dry_run, rejected_days=rejected_days, pool_days=pool_days, run_log_days=log_days)
    report.items = find_expired(store, config, now=now)
    log_cutoff = now - timedelta(days=log_days)
    if dry_run:
        report.runs_removed = runlog.count_runs_before(store, log_cutoff)
        return report
    report.runs_removed = runlog.delete_runs_before(store, log_cutoff)
    for item in report.items:
        try:
            # compact=False: the disk space of everyone erased is rewritten once, below.
            store.forget_candidate(item.candidate_id, actor=f"{actor} (retention: {item.reason})", compact=False)
            report.erased += 1
        except Exception as exc:  # one person's failure must not keep the others' data past retention
            log.error("purge: could not erase candidate %s: %s", item.candidate_id, exc)
            report.failures.append({"candidate_id": item.candidate_id, "reason": f"{type(exc).__name__}: {exc}"})
    if report.erased:
        from sourcing.storage.erasure import compact_after_erasure

        try:
            compact_after_erasure(store)
        except Exception as exc:  # the rows are deleted; say that their old bytes may still be on disk
            log.error("purge: the erased rows are deleted but their disk space was not rewritten: %s", exc)
            report.failures.append({"candidate_id": None, "reason": f"disk space not rewritten: {type(exc).__name__}: {exc}"})
    log.info("purge: erased %d of %d candidates past retention", report.erased, len(report.items))
    return report
