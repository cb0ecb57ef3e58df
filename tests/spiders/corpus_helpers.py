"""Provides what the conformance-corpus tests share: loading a real recording, the fields compared, clean text."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REAL = Path(__file__).parents[1] / "fixtures" / "real"
FIELDS = ("external_id", "title", "company", "location", "workplace", "remote", "url", "department", "employment_type",
          "seniority", "salary_min", "salary_max", "salary_currency", "salary_period", "salary_text", "posted_at", "tags")
# Markup, entities, NBSP and mojibake (UTF-8 read as Latin-1) must never reach stored text.
NOT_CLEAN = ("<", "&lt;", "&nbsp;", "&amp;", "\xa0", "â\x80", "Ã")


def load(kind: str, name: str) -> Any:
    """The recording `tests/fixtures/real/<kind>/<name>`, decoded."""
    return json.loads((REAL / kind / name).read_text(encoding="utf-8"))


def utc(*a: int) -> datetime:
    """A UTC datetime."""
    return datetime(*a, tzinfo=timezone.utc)


def fields(job: Any) -> dict[str, Any]:
    """The posting's compared fields, by name."""
    return {k: getattr(job, k) for k in FIELDS}


def clean(text: str) -> bool:
    """True when `text` holds no markup, entity, NBSP or mojibake."""
    return not any(s in text for s in NOT_CLEAN)
