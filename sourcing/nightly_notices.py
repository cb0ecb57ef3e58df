"""Provides the nightly run's notice step: list the GDPR notices due, and erase at the deadline
when `[privacy] no_notice_action = "erase"`.

CNIL's reading of Art. 14: what you cannot (or did not) inform someone about, you should
not keep. With "erase", a person whose one-month deadline passed with no notice sent and
no exemption recorded is erased (`store.forget_candidate`, so they also go on the
do-not-collect list). The default, "keep", only lists them. Ids only in the report.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sourcing.errors import ConfigError
from sourcing.models import utcnow
from sourcing.notices import pending

log = logging.getLogger(__name__)
ACTIONS = ("keep", "erase")
REPORT_WITHIN_DAYS = 7


def no_notice_action(config: Any) -> str:
    """`privacy.no_notice_action`, checked.

    Raises:
        ConfigError: not "keep" or "erase".
    """
    action = config.get("privacy.no_notice_action")
    if action not in ACTIONS:
        raise ConfigError(f"'privacy.no_notice_action' must be \"keep\" or \"erase\", got {action!r}", "Invalid config")
    return action


def notices_step(store: Any, config: Any, *, actor: str, now: datetime | None = None) -> dict[str, Any]:
    """List notices due within 7 days or overdue; erase the overdue ones when the config says so.

    Returns:
        {"action", "due": [{candidate_id, state, deadline, days_left}], "erased": [ids],
         "failures": [{candidate_id, reason}]}; one failed erasure does not stop the others.
    """
    action = no_notice_action(config)
    now = now or utcnow()
    due = pending(store, within_days=REPORT_WITHIN_DAYS, now=now)
    out: dict[str, Any] = {"action": action, "due": [], "erased": [], "failures": []}
    for s in due:
        if action == "erase" and s.deadline < now:
            try:
                store.forget_candidate(s.candidate_id, actor=f"{actor} (no notice by the deadline)")
                out["erased"].append(s.candidate_id)
                continue
            except Exception as exc:  # the others must still go
                log.error("notices: could not erase candidate %s: %s", s.candidate_id, exc)
                out["failures"].append({"candidate_id": s.candidate_id, "reason": f"{type(exc).__name__}: {exc}"})
        out["due"].append({"candidate_id": s.candidate_id, "state": "overdue" if s.deadline < now else s.state,
                           "deadline": s.deadline.date().isoformat(), "days_left": s.days_left})
    return out


def render_section(notices: dict[str, Any]) -> list[str]:
    """The nightly report's Markdown lines for the notice step."""
    if not notices:
        return []
    lines = ["## GDPR notices", ""]
    if notices.get("erased"):
        lines += [f"Erased {len(notices['erased'])} people whose notice deadline passed with no notice sent or "
                  f"exemption recorded (`no_notice_action = \"erase\"`): "
                  + ", ".join(f"#{c}" for c in notices["erased"]) + ".", ""]
    due = notices.get("due") or []
    if not due:
        lines += ["No notice due in the next 7 days.", ""]
        return lines
    lines += ["| candidate | state | deadline | days left |", "|---:|---|---|---:|"]
    lines += [f"| #{d['candidate_id']} | {d['state']} | {d['deadline']} | {d['days_left']} |" for d in due]
    ids = " ".join(str(d["candidate_id"]) for d in due[:20])
    lines += ["", f"Draft them with `sourcing notices draft {ids}`, then `sourcing notices mark-sent … --channel email`.", ""]
    return lines
