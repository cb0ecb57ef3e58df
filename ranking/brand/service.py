"""Provides the employer-brand use cases the CLI and the review app share.

`build_insights(store, config)` reads the open jobs and the pool's rankings and
analyses them; `plan_ideas(insights, …)` writes and schedules post ideas;
`replan(store, insights, …)` does it around the decisions already stored;
`save_calendar` / `load_ideas` keep them in the store (the `brand_idea` table),
where accept / edit / discard decisions live.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ranking.brand.calendar import plan_calendar
from ranking.brand.families import Encoder
from ranking.brand.ideas import Idea, generate_ideas
from ranking.brand.insights import BrandInsights, compute_insights
from sourcing.errors import UsageError
from sourcing.storage.brand import list_ideas, ranking_scores, save_ideas


class CachedEncoder:
    """An encoder behind the store's embedding cache: postings already embedded are not encoded again."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache

    def encode(self, texts: list[str]) -> Any:
        return self.cache.embed(texts)


def load_brand_encoder(config: Any, store: Any = None) -> Encoder:
    """The sentence encoder that groups postings into role families (the configured English model).

    Args:
        config: the resolved Config (`ranking.model`, `ranking.device`).
        store: when given, vectors go through the store's embedding cache (keyed by model and text hash),
            so a posting is embedded once, ever.
    """
    from ranking.service import load_encoder

    encoder = load_encoder(config, "en")
    if store is None:
        return encoder
    from ranking.cache import EmbeddingCache

    return CachedEncoder(EmbeddingCache(store, encoder))


def build_insights(store: Any, config: Any, *, encoder: Encoder | None = None, role: str | None = None,
                   now: datetime | None = None) -> BrandInsights:
    """Analyse the store's open postings for `brand.company`.

    Args:
        store: an open Store.
        config: the resolved Config (`brand.company`, `brand.own_sources`).
        encoder: encoder for role families; None = TF-IDF vectors (no model load).
        role: keep only the families matching this text.
        now: reference time (tests).

    Raises:
        UsageError: no company configured and no posting flagged as ours, or no open posting at all.
    """
    company = (config.get("brand.company") or "").strip()
    own_sources = list(config.get("brand.own_sources") or [])
    jobs = store.list_jobs(open_only=True)
    if not jobs:
        raise UsageError("no open job postings in the store: crawl some sources first (`sourcing crawl`) "
                         "or add your jobs with `sourcing jobs add`.", "No postings")
    if not company and not own_sources and not any(j.get("own") for j in jobs):
        raise UsageError("which postings are yours? Set [brand] company = \"…\" (and optionally own_sources) in "
                         "your config, e.g. `SOURCING_BRAND__COMPANY=Acme`.", "No company")
    insights = compute_insights(jobs, company=company, own_sources=own_sources, encoder=encoder,
                                rankings=ranking_scores(store), role=role, now=now,
                                strong_score=float(config.get("brand.strong_score")),
                                max_days_open=int(config.get("brand.max_days_open")))
    if role and not insights.families:
        raise UsageError(f"no role family matches --role {role!r}; run `sourcing brand insights` to see the families.",
                         "Unknown role")
    return insights


def plan_ideas(insights: BrandInsights, *, lang: str = "en", platforms: tuple[str, ...] = ("linkedin", "x", "instagram"),
               weeks: int = 4, per_week: int = 3, start: date | None = None, decided: list[Idea] = ()) -> list[Idea]:
    """Write ideas from the insights and schedule them over `weeks` weeks (best ideas first).

    Args:
        decided: ideas someone already accepted or discarded; they are not proposed again, and an
            accepted idea's day stays taken on its platform.
    """
    if not any(f.ours for f in insights.families):
        company = insights.company or "your company"
        raise UsageError(f"none of the open postings is {company}'s, so there is nothing of ours to promote. "
                         "Check [brand] company / own_sources in your config.", "No own postings")
    done = {i.key for i in decided}
    reserved = {(i.suggested_for.date(), i.platform) for i in decided if i.status == "accepted" and i.suggested_for}
    fresh = [i for i in generate_ideas(insights, lang=lang, platforms=platforms) if i.key not in done]
    return plan_calendar(fresh, weeks=weeks, start=start, per_week=per_week, reserved=reserved)


def replan(store: Any, insights: BrandInsights, **options: Any) -> list[Idea]:
    """Plan a new calendar around the decisions already taken, store it, and return the calendar to show.

    Accepted ideas keep their slot and text; discarded ones are not proposed again; undecided
    ideas of earlier runs are replaced. Returns the accepted and the new ideas in date order.

    Args:
        store: an open Store.
        insights: from `build_insights`.
        **options: `plan_ideas` options (lang, platforms, weeks, per_week, start).
    """
    decided = [i for i in load_ideas(store) if i.status != "proposed"]
    planned = save_calendar(store, plan_ideas(insights, decided=decided, **options))
    accepted = [i for i in decided if i.status == "accepted" and i.suggested_for is not None]
    return sorted(accepted + planned, key=lambda i: i.suggested_for)


def idea_row(idea: Idea) -> dict[str, Any]:
    """The `brand_idea` columns for an idea (the post's own link is kept as a first, `kind: link` evidence entry)."""
    evidence = ([{"kind": "link", "claim": "The post links to", "links": [idea.link]}] if idea.link else []) + idea.evidence
    return {"idea_key": idea.key, "angle": idea.angle, "role": idea.role, "platform": idea.platform, "lang": idea.lang,
            "draft": idea.draft, "hashtags": idea.hashtags, "suggested_for": idea.suggested_for, "evidence": evidence}


def idea_from_row(row: dict[str, Any]) -> Idea:
    """An Idea from a stored row (dates back to wall-clock time, as planned)."""
    when = row.get("suggested_for")
    if when is not None and when.tzinfo is not None:
        when = when.replace(tzinfo=None)
    evidence = list(row.get("evidence") or [])
    link_entries = [ev for ev in evidence if ev.get("kind") == "link"]
    link = (link_entries[0].get("links") or [None])[0] if link_entries else None
    return Idea(angle=row["angle"], role=row.get("role") or "", platform=row["platform"], lang=row["lang"],
                draft=row["draft"], hashtags=list(row.get("hashtags") or []),
                evidence=[ev for ev in evidence if ev.get("kind") != "link"],
                subject=row["idea_key"], priority=0.0, link=link, suggested_for=when,
                key=row["idea_key"], id=row["id"], status=row["status"], edited_text=row.get("edited_text"))


def save_calendar(store: Any, ideas: list[Idea]) -> list[Idea]:
    """Store a freshly planned calendar (replacing undecided ideas of earlier runs); sets each idea's id and status.

    Ideas someone already accepted or discarded keep their decision and edited text.
    """
    ids = save_ideas(store, [idea_row(i) for i in ideas], replace_proposed=True)
    stored = {row["id"]: row for row in list_ideas(store)}
    for idea, idea_id in zip(ideas, ids):
        idea.id = idea_id
        idea.status = stored[idea_id]["status"]
        idea.edited_text = stored[idea_id]["edited_text"]
    return ideas


def load_ideas(store: Any, *, status: str | None = None) -> list[Idea]:
    """Stored ideas in calendar order, optionally only one status (e.g. "accepted")."""
    return [idea_from_row(r) for r in list_ideas(store, status=status)]
