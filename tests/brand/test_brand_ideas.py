"""Tests post ideas and the calendar on the fixture market: evidence, limits, French, no repeats."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from ranking.brand.calendar import plan_calendar, spread_times
from ranking.brand.drafting import LIMITS, similarity
from ranking.brand.ideas import SIMILARITY_MAX, generate_ideas
from ranking.brand.insights import compute_insights
from ranking.brand.lexicon import normalise
from ranking.brand.service import build_insights, plan_ideas
from ranking.brand.templates import template_words

from brand_market import market_postings

MONDAY = date(2026, 11, 30)


@pytest.fixture
def insights(market_store, brand_config, now):
    return build_insights(market_store, brand_config, now=now)


def test_ideas_cite_the_differentiator(insights):
    ideas = generate_ideas(insights)
    diff = next(i for i in ideas if i.subject == "differentiator:four_day_week")
    assert "4-day week" in diff.draft
    assert "none of" in diff.draft  # 0 of the comparable competitor postings
    ours, market = diff.evidence
    assert (ours["count"], ours["total"], ours["share"]) == (2, 2, 1.0)  # within the backend family
    assert (market["count"], market["total"], market["share"]) == (0, 5, 0.0)
    assert ours["links"] and all("/acme/" in u for u in ours["links"])
    assert market["links"] and not any("/acme/" in u for u in market["links"])


def test_salary_idea_quotes_the_stated_range_and_market_share(insights):
    idea = next(i for i in generate_ideas(insights) if i.angle == "salary")
    assert "€65k–80k" in idea.draft
    assert idea.evidence[1]["count"] == 1 and idea.evidence[1]["total"] == 5


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("platform", ["x", "linkedin", "instagram"])
def test_length_limits_hold_per_platform(insights, lang, platform):
    ideas = generate_ideas(insights, lang=lang, platforms=(platform,))
    assert len(ideas) >= 6
    for idea in ideas:
        assert idea.platform == platform
        assert 40 < len(idea.draft) <= LIMITS[platform], idea.draft
        if platform == "instagram":
            assert "http" not in idea.draft  # links are not clickable in captions
        else:
            assert idea.link is None or idea.link in idea.draft


def test_no_two_ideas_say_the_same_thing(insights):
    ideas = generate_ideas(insights)
    assert len({i.subject for i in ideas}) == len(ideas)
    assert len({i.key for i in ideas}) == len(ideas)
    ignore = template_words("en") | {"acme"}
    for a in ideas:
        for b in ideas:
            if a is b or a.angle != b.angle:
                continue
            if a.angle in ("role", "story"):  # one job each: never two for the same job
                assert a.link != b.link
            else:
                assert similarity(a.draft, b.draft, ignore) < SIMILARITY_MAX, (a.draft, b.draft)


def test_hard_to_fill_roles_get_more_ideas(market_store, brand_config, now):
    jobs = market_store.list_jobs()
    # the same market, seen before the senior role grew old and without the pool's ranking: nothing is hard to fill
    calm = compute_insights(jobs, company="Acme", own_sources=["greenhouse:acme"], rankings={}, now=now - timedelta(days=60))
    assert calm.hard_to_fill == []
    hard = build_insights(market_store, brand_config, now=now)
    assert len(hard.hard_to_fill) == 2

    def backend(ins):
        return [i for i in generate_ideas(ins) if i.role == "backend engineer"]

    assert len(backend(hard)) > len(backend(calm))
    ideas = generate_ideas(hard)
    hard_urls = {f"https://jobs.example.org/acme/{ext}" for ext in ("4001", "4002")}
    for url in hard_urls:
        assert {"role", "story"} <= {i.angle for i in ideas if i.link == url}
    assert ideas[0].link in hard_urls  # and they come first


def test_hashtags_come_from_the_market_vocabulary(insights):
    corpus = normalise(" ".join(f"{p.title} {p.description}" for p in market_postings()))
    corpus_words = set(re.findall(r"\w+", corpus.replace("-", " ")))
    skills = {normalise(s) for f in insights.families for s, _ in f.skills}
    generic = {"#Hiring", "#SalaryTransparency"}
    for idea in generate_ideas(insights):
        for tag in idea.hashtags:
            if tag in generic:
                continue
            words = [w.lower() for w in re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|\d+|[a-z]+", tag[1:])]
            words = [w for w in words if w != "community"]  # "#PythonCommunity": the skill's community
            assert all(w in corpus_words or any(w in s for s in skills) for w in words), (tag, idea.draft)


def test_french_ideas(insights):
    ideas = generate_ideas(insights, lang="fr")
    assert ideas and all(i.lang == "fr" for i in ideas)
    text = "\n".join(i.draft for i in ideas)
    assert "Semaine de 4 jours" in text
    assert "On recrute" in text
    assert "#Recrutement" in text and "#SemaineDe4Jours" in text
    for english in ("We're hiring", "Behind the scenes", "Open roles", "link in bio"):
        assert english not in text


def test_calendar_spreads_posts_and_never_doubles_a_platform_day(insights):
    planned = plan_ideas(insights, weeks=4, per_week=3, start=MONDAY)
    assert 8 <= len(planned) <= 12
    assert {i.suggested_for.weekday() for i in planned} <= {0, 2, 4}
    days = [(i.suggested_for.date(), i.platform) for i in planned]
    assert len(days) == len(set(days))
    assert all(MONDAY <= i.suggested_for.date() < MONDAY + timedelta(weeks=4) for i in planned)
    assert planned == sorted(planned, key=lambda i: i.suggested_for)
    # consecutive posts vary their angle when they can
    angles = [i.angle for i in planned]
    assert sum(a == b for a, b in zip(angles, angles[1:])) <= 1


def test_many_posts_a_week_still_one_per_platform_a_day(insights):
    ideas = generate_ideas(insights)
    planned = plan_calendar(ideas, weeks=1, per_week=9, start=MONDAY)
    pairs = [(i.suggested_for.date(), i.platform) for i in planned]
    assert len(pairs) == len(set(pairs))
    assert len(planned) >= 8


def test_calendar_rejects_bad_ranges(insights):
    ideas = generate_ideas(insights)
    with pytest.raises(ValueError, match="weeks must be between 1 and 52"):
        plan_calendar(ideas, weeks=0)
    with pytest.raises(ValueError, match="posts per week"):
        plan_calendar(ideas, per_week=40)
    with pytest.raises(ValueError, match="lang must be"):
        generate_ideas(insights, lang="de")
    with pytest.raises(ValueError, match="platforms must be among"):
        generate_ideas(insights, platforms=("tiktok",))


def test_spread_times_ten_minutes_and_five_minute_marks(insights):
    ideas = generate_ideas(insights)[:4]
    from datetime import datetime

    for idea in ideas:
        idea.suggested_for = datetime(2026, 12, 1, 9, 2)
    spread_times(ideas)
    times = sorted(i.suggested_for for i in ideas)
    assert all(b - a >= timedelta(minutes=10) for a, b in zip(times, times[1:]))
    assert all(t.minute % 5 == 0 for t in times)


def test_no_own_postings_is_a_clear_error(market_store, tmp_path, db_path, now):
    from sourcing.config import load_config
    from sourcing.errors import UsageError

    cfg = tmp_path / "other.toml"
    cfg.write_text(f'db = "{db_path}"\n[brand]\ncompany = "Nobody Ltd"\n', encoding="utf-8")
    ins = build_insights(market_store, load_config(cfg, env={}), now=now)
    with pytest.raises(UsageError, match="none of the open postings is Nobody Ltd's"):
        plan_ideas(ins)


def test_calendar_skips_christmas_and_new_year(insights):
    planned = plan_calendar(generate_ideas(insights), weeks=2, per_week=5, start=date(2026, 12, 21))
    assert planned
    assert all((i.suggested_for.month, i.suggested_for.day) not in ((12, 25), (1, 1)) for i in planned)


def test_calendar_mixes_angles(insights):
    planned = plan_ideas(insights, weeks=3, per_week=3, start=MONDAY)
    first_week = {i.angle for i in planned[:3]}
    assert len(first_week) == 3
    assert len({i.angle for i in planned}) >= 5


def test_our_toolkit_lists_only_skills_from_our_postings(insights):
    ours = {s.lower() for f in insights.families for p in f.ours for s in p.skills}
    competitors_only = {s.lower() for f in insights.families for p in f.market for s in p.skills} - ours
    assert {"java", "kafka"} <= competitors_only  # the fixture has them, only at competitors
    for idea in generate_ideas(insights):
        if idea.angle in ("tech", "community"):
            first_line = idea.draft.splitlines()[0].lower()
            assert not any(f" {skill}" in first_line for skill in competitors_only), idea.draft


def test_french_posts_quote_nothing_in_english_and_write_salaries_the_french_way(insights):
    ideas = generate_ideas(insights, lang="fr")
    assert not any("What we offer" in i.draft for i in ideas)
    salary = next(i for i in ideas if i.angle == "salary")
    assert "65–80 k€" in salary.draft


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "Of the 5 comparable job postings we read, 1 (20%) states a salary range."),
    ("fr", "Sur les 5 offres comparables que nous avons lues, 1 (20 %) affiche une fourchette de salaire."),
])
def test_salary_post_long_form(insights, lang, line):
    idea = next(i for i in generate_ideas(insights, lang=lang, platforms=("linkedin",)) if i.angle == "salary")
    assert line in idea.draft


def test_count_slots_leaves_out_holidays():
    from ranking.brand.calendar import count_slots

    assert count_slots(MONDAY, 4, 3) == 11  # Fri 25 Dec 2026 is Christmas
    assert count_slots(date(2027, 1, 4), 2, 3) == 6
