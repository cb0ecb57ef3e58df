"""Provides calendar exports: Hootsuite and Sprout Social bulk CSV, iCalendar (.ics), Markdown.

- Hootsuite bulk composer: columns `date time` (MM/DD/YYYY HH:MM, five-minute marks),
  `message`, `link`; at most 350 rows a file, so larger calendars are split.
- Sprout Social bulk upload: `date` (MM/DD/YYYY), `time_24hr` (HH:MM), `message_text`;
  posts at least 10 minutes apart.
- Both tools post every row of a file to the profiles picked at upload, so a calendar
  that spans several platforms is written as one file per platform (`out.linkedin.csv`, …).
- `.ics` (via the `icalendar` package): one event per post, its draft and evidence in the
  description, for teams that plan in their calendar.
- Markdown: the calendar week by week, with drafts and evidence; also what the CLI prints.

Post text is built from other companies' postings (untrusted), so every text cell of the
CSV files goes through `sourcing.exports.neutralise`, as the shortlist exports do: a cell
beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a leading single quote and
no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from ranking.brand.calendar import MIN_GAP, spread_times
from ranking.brand.ideas import Idea
from ranking.brand.templates import ANGLE_LABELS
from sourcing.exports import neutralise

HOOTSUITE_MAX_ROWS = 350
HOOTSUITE_COLUMNS = ("date time", "message", "link")
SPROUT_COLUMNS = ("date", "time_24hr", "message_text")
FORMATS = ("hootsuite", "sprout", "ics", "md")
PLATFORM_NAMES = {"linkedin": "LinkedIn", "x": "X", "instagram": "Instagram"}


def _dated(ideas: list[Idea]) -> list[Idea]:
    missing = [i for i in ideas if i.suggested_for is None]
    if missing:
        raise ValueError(f"{len(missing)} idea(s) have no date (first: {missing[0].angle} for {missing[0].role}); plan a calendar first")
    return sorted(ideas, key=lambda i: i.suggested_for)


def _per_platform(ideas: list[Idea], path: Path) -> dict[Path, list[Idea]]:
    groups: dict[str, list[Idea]] = defaultdict(list)
    for idea in ideas:
        groups[idea.platform].append(idea)
    if len(groups) <= 1:
        return {path: ideas}
    return {path.with_name(f"{path.stem}.{p}{path.suffix}"): g for p, g in sorted(groups.items())}


def export_hootsuite(ideas: list[Idea], path: str | Path) -> list[Path]:
    """Write Hootsuite bulk-composer CSV file(s); returns the paths written.

    The link column is filled only when the message does not already contain the link.
    """
    written = []
    for target, group in _per_platform(_dated(ideas), Path(path)).items():
        chunks = [group[i : i + HOOTSUITE_MAX_ROWS] for i in range(0, len(group), HOOTSUITE_MAX_ROWS)] or [[]]
        for n, chunk in enumerate(chunks, start=1):
            out = target if n == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}")
            with out.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(HOOTSUITE_COLUMNS)
                for idea in chunk:
                    link = idea.link if idea.link and idea.link not in idea.text else ""
                    writer.writerow((idea.suggested_for.strftime("%m/%d/%Y %H:%M"), neutralise(idea.text), neutralise(link)))
            written.append(out)
    return written


def export_sprout(ideas: list[Idea], path: str | Path) -> list[Path]:
    """Write Sprout Social bulk-upload CSV file(s), posts >= 10 minutes apart; returns the paths."""
    written = []
    for target, group in _per_platform(_dated(ideas), Path(path)).items():
        spread_times(group, MIN_GAP)
        with target.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(SPROUT_COLUMNS)
            for idea in group:
                writer.writerow((idea.suggested_for.strftime("%m/%d/%Y"), idea.suggested_for.strftime("%H:%M"), neutralise(idea.text)))
        written.append(target)
    return written


def _evidence_lines(idea: Idea) -> list[str]:
    lines = []
    for ev in idea.evidence:
        links = ev.get("links") or []
        lines.append(f"- {ev['claim']}" + (f" ({', '.join(links)})" if links else ""))
    return lines


def export_ics(ideas: list[Idea], path: str | Path, *, company: str = "") -> list[Path]:
    """Write an iCalendar file with one 15-minute event per post; returns [path]."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//sourcing//employer-brand calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{company} employer-brand posts".strip())
    for idea in _dated(ideas):
        event = Event()
        event.add("uid", f"{idea.key}@sourcing")
        event.add("dtstamp", idea.suggested_for)
        event.add("dtstart", idea.suggested_for)
        event.add("dtend", idea.suggested_for + timedelta(minutes=15))
        angle = ANGLE_LABELS["en"][idea.angle]
        event.add("summary", f"[{PLATFORM_NAMES[idea.platform]}] {angle}: {idea.role}")
        event.add("description", "\n".join([idea.text, "", "Evidence:", *_evidence_lines(idea)]))
        event.add("categories", [idea.angle, idea.platform])
        if idea.link:
            event.add("url", idea.link)
        cal.add_component(event)
    target = Path(path)
    target.write_bytes(cal.to_ical())
    return [target]


def render_markdown(ideas: list[Idea], *, company: str = "", lang: str = "en") -> str:
    """The calendar as Markdown: one section per week, each post with its draft and evidence."""
    title = f"# {company} employer-brand calendar".replace("#  ", "# ") if company else "# Employer-brand calendar"
    out = [title, ""]
    week = None
    for idea in _dated(ideas):
        monday = (idea.suggested_for - timedelta(days=idea.suggested_for.weekday())).date()
        if monday != week:
            week = monday
            out += [f"## Week of {monday:%Y-%m-%d}", ""]
        angle = ANGLE_LABELS.get(idea.lang, ANGLE_LABELS["en"])[idea.angle]
        status = "" if idea.status == "proposed" else f" — {idea.status}"
        out += [f"### {idea.suggested_for:%a %d %b %H:%M} · {PLATFORM_NAMES[idea.platform]} · {angle} · {idea.role}{status}", ""]
        out += ["> " + line if line else ">" for line in idea.text.splitlines()]
        out += ["", f"*{len(idea.text)} characters*", "", "Evidence:", *_evidence_lines(idea), ""]
    if len(out) == 2:
        out.append("No ideas to show.")
    return "\n".join(out).rstrip() + "\n"


def export_markdown(ideas: list[Idea], path: str | Path, *, company: str = "") -> list[Path]:
    """Write the Markdown calendar; returns [path]."""
    target = Path(path)
    target.write_text(render_markdown(ideas, company=company), encoding="utf-8")
    return [target]


def export_ideas(ideas: list[Idea], fmt: str, path: str | Path, *, company: str = "") -> list[Path]:
    """Export in one of FORMATS (hootsuite, sprout, ics, md); returns the files written.

    Raises:
        ValueError: unknown format, or an idea without a date.
    """
    if fmt == "hootsuite":
        return export_hootsuite(ideas, path)
    if fmt == "sprout":
        return export_sprout(ideas, path)
    if fmt == "ics":
        return export_ics(ideas, path, company=company)
    if fmt == "md":
        return export_markdown(ideas, path, company=company)
    raise ValueError(f"export format must be one of {', '.join(FORMATS)}, not {fmt!r}")
