"""Provides the shortlist's row model: rows built from the store's shortlist, filtering and sorting.

Pure functions on plain data, so filtering 10,000 rows is tested without a UI.

Filter syntax (the `/` box), terms combined with AND:
    word            appears in name/pseudonym, headline, location or matched skills
    status:VALUE    shortlisted | maybe | rejected | contacted | none (undecided)
    loc:TEXT        location contains TEXT (alias location:)
    remote          open to remote (remote:no for not remote)
    score>=0.6      minimum score (also min:0.6): the 0-1 score shown, an estimated match probability
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sourcing.exports import explanation_items
from sourcing.textsafe import for_terminal

STATUSES = ("shortlisted", "maybe", "rejected", "contacted")
SORT_KEYS = ("rank", "name", "status", "location")


@dataclass(slots=True)
class ShortlistRow:
    """One ranked candidate as the shortlist shows it.

    The ranker's explanation and score components may be given as JSON text: they are
    decoded the first time they are read (when the person is opened), so listing
    10,000 people neither decodes 10,000 explanations nor keeps ~40 small objects per
    row for the garbage collector to walk.
    """

    candidate_id: int
    rank: int
    score: float
    name: str
    pseudonym: str
    headline: str
    location: str
    remote: bool | None
    matched: list[str] = field(default_factory=list)
    missing_must: list[str] = field(default_factory=list)
    status: str | None = None
    note: str | None = None
    reason: str | None = None
    explanation_data: dict[str, Any] | str | None = field(default=None, repr=False)
    components_data: dict[str, Any] | str | None = field(default=None, repr=False)
    email: str | None = None
    notice: str | None = None  # GDPR notice state (sourcing.notices): due, overdue, impossible, sent, not_required
    notice_days: int | None = None  # days to the notice deadline (negative once passed)

    @property
    def explanation(self) -> dict[str, Any]:
        """The ranker's explanation (requirements, evidence…), decoded on first use."""
        if isinstance(self.explanation_data, str):
            self.explanation_data = json.loads(self.explanation_data)
        return self.explanation_data or {}

    @property
    def components(self) -> dict[str, Any]:
        """The score's components (dense, lexical, skills…), decoded on first use."""
        if isinstance(self.components_data, str):
            self.components_data = json.loads(self.components_data)
        return self.components_data or {}

    def display_name(self, blind: bool) -> str:
        """The name to show: the pseudonym in blind mode (or when the name is unknown)."""
        return self.pseudonym if blind or not self.name else self.name

    @property
    def shown_score(self) -> float:
        """The score as displayed (3 decimals): what the audit log records as 'score shown'."""
        return round(self.score, 3)


def build_rows(shortlist: list[dict[str, Any]], remote: dict[int, bool | None] | None = None) -> list[ShortlistRow]:
    """Build rows from `sourcing.storage.review.shortlist_page` (or `store.get_shortlist`) dicts, best first.

    `shortlist_page` dicts carry `remote`, `matched_skills`, `missing_must` and the
    explanation as JSON text; `get_shortlist` dicts carry the decoded explanation, and
    their remote flags come from `remote` (candidate id -> flag).
    """
    remote = remote or {}
    rows = []
    for item in shortlist:
        cid = item["candidate_id"]
        if "explanation_json" in item:
            explanation, components = item["explanation_json"], item.get("components_json")
            matched, missing, is_remote = item.get("matched_skills"), item.get("missing_must"), item.get("remote")
        else:
            explanation, components = item.get("explanation") or {}, item.get("components") or {}
            matched, missing, is_remote = explanation.get("matched_skills"), explanation.get("missing_must"), remote.get(cid)
        rows.append(ShortlistRow(
            candidate_id=cid,
            rank=item["rank"],
            score=float(item["score"]),
            # Shown in a terminal: any control code left in stored text is escaped, never sent.
            name=for_terminal(item.get("name") or "", multiline=False),
            pseudonym=item.get("pseudonym") or f"Candidate {cid}",
            headline=for_terminal(item.get("headline") or "", multiline=False),
            location=for_terminal(item.get("location") or "", multiline=False),
            remote=is_remote,
            matched=explanation_items(matched),
            missing_must=explanation_items(missing),
            status=item.get("status"),
            note=for_terminal(item["note"]) if item.get("note") else item.get("note"),
            reason=for_terminal(item["reason"]) if item.get("reason") else item.get("reason"),
            explanation_data=explanation,
            components_data=components,
            email=item.get("email"),
        ))
    return rows


@dataclass
class RowFilter:
    """A parsed filter; `matches(row)` applies it."""

    words: list[str] = field(default_factory=list)
    status: str | None = None  # a status, or "none" for undecided
    location: str | None = None
    remote: bool | None = None
    min_score: float | None = None

    _TERM = re.compile(r'(\w+)(:|>=|>)("[^"]*"|\S+)')

    @classmethod
    def parse(cls, text: str) -> "RowFilter":
        """Parse the filter box's text.

        Raises:
            ValueError: a term is malformed (e.g. `score>=abc`, `status:hired`); the message says which.
        """
        f = cls()
        for token in re.findall(r'\S+:"[^"]*"|\S+', text.strip()):
            m = cls._TERM.fullmatch(token)
            key = m.group(1).lower() if m else ""
            value = m.group(3).strip('"') if m else ""
            if m and key == "status":
                value = value.lower()
                if value not in (*STATUSES, "none"):
                    raise ValueError(f"status:{value} — use one of {', '.join(STATUSES)}, none")
                f.status = value
            elif m and key in ("loc", "location"):
                f.location = value.lower()
            elif m and key == "remote":
                f.remote = value.lower() not in ("no", "false", "0", "n")
            elif m and key in ("score", "min"):
                try:
                    f.min_score = float(value)
                except ValueError:
                    raise ValueError(f"{token} — the minimum score must be a number, e.g. score>=0.6") from None
            elif token.lower() == "remote":
                f.remote = True
            else:
                f.words.append(token.lower())
        return f

    def matches(self, row: ShortlistRow, blind: bool = False) -> bool:
        """True when the row passes every term (names are not searchable in blind mode)."""
        if self.status is not None:
            if (row.status or "none") != self.status:
                return False
        if self.location is not None and self.location not in row.location.lower():
            return False
        if self.remote is not None and bool(row.remote) != self.remote:
            return False
        if self.min_score is not None and row.score < self.min_score:
            return False
        if self.words:
            hay = " ".join([row.display_name(blind), row.headline, row.location, *row.matched]).lower()
            if not all(w in hay for w in self.words):
                return False
        return True


def apply_view(rows: list[ShortlistRow], flt: RowFilter, sort_key: str = "rank", blind: bool = False) -> list[ShortlistRow]:
    """Return the rows passing `flt`, ordered by `sort_key` (one of SORT_KEYS)."""
    out = [r for r in rows if flt.matches(r, blind)]
    if sort_key == "name":
        out.sort(key=lambda r: (r.display_name(blind).lower(), r.rank))
    elif sort_key == "status":
        order = {s: i for i, s in enumerate(STATUSES)}
        out.sort(key=lambda r: (order.get(r.status or "", len(STATUSES)), r.rank))
    elif sort_key == "location":
        out.sort(key=lambda r: (r.location.lower() or "~", r.rank))
    else:
        out.sort(key=lambda r: r.rank)
    return out
