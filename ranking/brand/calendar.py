"""Provides the content calendar: ideas spread over N weeks, never two the same day on one platform.

Posting days are spread across the working week (3 a week: Monday, Wednesday,
Friday); each platform has its own usual hour (LinkedIn mornings, X lunchtime,
Instagram early evening). The best idea goes first, but each use of an angle
lowers that angle's next ideas, and an angle never runs twice in a row when
another is available, so a week mixes a role, a differentiator and a team post
rather than three job ads. New Year's Day and Christmas Day are skipped. Times
are wall-clock times in the scheduling tool's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ranking.brand.ideas import Idea

# Weekdays (Monday = 0) to use for a number of posts per week: spread out, mid-week first.
SPREAD = {1: (1,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}
POST_TIME = {"linkedin": time(9, 0), "x": time(12, 30), "instagram": time(18, 0)}
MIN_GAP = timedelta(minutes=10)
ANGLE_PENALTY = 3.0


def next_monday(today: date) -> date:
    """The Monday after `today` (a calendar never starts on a day already under way)."""
    return today + timedelta(days=7 - today.weekday())


def _no_post(day: date) -> bool:
    """Days nobody reads recruiting posts: New Year's Day and Christmas Day."""
    return (day.month, day.day) in ((1, 1), (12, 25))


def _days(start: date, weeks: int, per_week: int) -> list[date]:
    if per_week <= 5:
        pattern = SPREAD[per_week]
        return [start + timedelta(weeks=w, days=d) for w in range(weeks) for d in pattern]
    # More than one post a day: repeat the working days, each day's posts on different platforms.
    rounds = -(-per_week // 5)
    days = []
    for w in range(weeks):
        week = [start + timedelta(weeks=w, days=d) for r in range(rounds) for d in range(5)][:per_week]
        days += sorted(week)
    return days


def count_slots(start: date, weeks: int, per_week: int) -> int:
    """How many posting slots a calendar has (holidays left out)."""
    start = start - timedelta(days=start.weekday())
    return sum(not _no_post(day) for day in _days(start, weeks, per_week))


def plan_calendar(ideas: list[Idea], *, weeks: int = 4, start: date | None = None, per_week: int = 3,
                  reserved: set[tuple[date, str]] | frozenset = frozenset()) -> list[Idea]:
    """Give ideas dates: at most `per_week` posts a week, never two on one platform the same day.

    Args:
        ideas: candidate ideas, best first (as `generate_ideas` returns them).
        weeks: number of weeks to plan.
        start: first Monday (default: next Monday).
        per_week: posts per week across platforms (1-15).
        reserved: (day, platform) slots already taken (accepted ideas of an earlier calendar).

    Returns:
        the scheduled ideas in date order, `suggested_for` set; ideas that did not fit are left out.

    Raises:
        ValueError: weeks or per_week out of range.
    """
    if not 1 <= weeks <= 52:
        raise ValueError(f"weeks must be between 1 and 52, not {weeks}")
    if not 1 <= per_week <= 15:
        raise ValueError(f"posts per week must be between 1 and 15, not {per_week}")
    start = start or next_monday(date.today())
    start = start - timedelta(days=start.weekday())
    remaining = list(ideas)
    used: dict[date, set[str]] = {}
    for day, platform in reserved:
        used.setdefault(day, set()).add(platform)
    planned: list[Idea] = []
    angle_count: dict[str, int] = {}
    last_angle = None
    for day in _days(start, weeks, per_week):
        free = [i for i in remaining if i.platform not in used.get(day, set())]
        if not free or _no_post(day):
            continue
        # Best idea first, but an angle already used loses ANGLE_PENALTY per use and never runs twice
        # in a row when another is free: the calendar mixes roles, differentiators, team and tech posts.
        pick = max(free, key=lambda i: (i.angle != last_angle, i.priority - ANGLE_PENALTY * angle_count.get(i.angle, 0)))
        remaining.remove(pick)
        used.setdefault(day, set()).add(pick.platform)
        pick.suggested_for = datetime.combine(day, POST_TIME[pick.platform])
        planned.append(pick)
        angle_count[pick.angle] = angle_count.get(pick.angle, 0) + 1
        last_angle = pick.angle
        if not remaining:
            break
    planned.sort(key=lambda i: i.suggested_for)
    return spread_times(planned)


def spread_times(ideas: list[Idea], gap: timedelta = MIN_GAP) -> list[Idea]:
    """Move posts so any two are at least `gap` apart (Sprout Social refuses closer ones).

    Times stay on five-minute marks (Hootsuite only accepts those).
    """
    previous: datetime | None = None
    for idea in sorted((i for i in ideas if i.suggested_for), key=lambda i: i.suggested_for):
        when = idea.suggested_for
        when = when.replace(second=0, microsecond=0) + timedelta(minutes=(-when.minute) % 5)
        if previous is not None and when - previous < gap:
            when = previous + gap
        idea.suggested_for = when
        previous = when
    return ideas
