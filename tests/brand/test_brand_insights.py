"""Tests brand insights on the fixture market in a real SQLite store: shares, evidence, families, hard-to-fill."""

from __future__ import annotations

import pytest

from ranking.brand.families import cluster_roles
from ranking.brand.insights import compute_insights, is_own
from ranking.brand.report import insights_to_dict, render_insights
from ranking.brand.service import build_insights
from ranking.encoders import FakeEncoder
from sourcing.config import load_config
from sourcing.errors import UsageError

from brand_market import market_postings


def _stat(stats, key):
    return next(s for s in stats if s.key == key)


def test_differentiator_found_with_right_shares(market_store, brand_config, now):
    ins = build_insights(market_store, brand_config, now=now)
    diff = _stat(ins.overall.differentiators, "four_day_week")
    assert (diff.ours, diff.ours_total, diff.market, diff.market_total) == (3, 3, 0, 8)
    assert diff.ours_share == 1.0 and diff.market_share == 0.0
    assert ins.overall.differentiators[0].key == "four_day_week"  # a benefit leads, before culture words
    acme_links = {e["url"] for e in diff.examples}
    assert acme_links and all(u.startswith("https://jobs.example.org/acme/") for u in acme_links)
    assert all("4-day week" in e["quote"] for e in diff.examples)


def test_gaps_found_with_right_shares(market_store, brand_config, now):
    ins = build_insights(market_store, brand_config, now=now)
    gaps = {s.key: s for s in ins.overall.gaps}
    assert set(gaps) == {"remote", "learning_budget"}
    assert (gaps["remote"].market, gaps["remote"].market_total, gaps["remote"].ours) == (6, 8, 0)
    assert gaps["remote"].market_share == pytest.approx(0.75)
    assert (gaps["learning_budget"].market, gaps["learning_budget"].market_total) == (5, 8)
    assert gaps["learning_budget"].market_share == pytest.approx(0.625)
    # evidence: competitor postings, each with the sentence that says it
    for ex in gaps["remote"].examples:
        assert ex["company"] != "Acme" and ex["url"].startswith("https://jobs.example.org/")
    assert any("remote" in ex["quote"].lower() or "home" in ex["quote"].lower() for ex in gaps["remote"].examples)
    # the French posting ("Présence au bureau 5 jours par semaine") is not read as a 4-day week
    assert _stat(ins.overall.themes, "four_day_week").market == 0


def test_role_families_split_backend_and_data(market_store, brand_config, now):
    ins = build_insights(market_store, brand_config, now=now)
    fams = {f.label: f for f in ins.families}
    assert set(fams) == {"backend engineer", "data engineer"}
    assert (len(fams["backend engineer"].ours), len(fams["backend engineer"].market)) == (2, 5)
    assert (len(fams["data engineer"].ours), len(fams["data engineer"].market)) == (1, 3)
    assert "Hooli" in {p.company for p in fams["data engineer"].market}  # the French posting joins its family
    assert fams["backend engineer"].skills[0][0] == "Python"
    assert _stat(fams["backend engineer"].gaps, "learning_budget").market == 4


def test_salary_ranges_from_text(market_store, brand_config, now):
    ins = build_insights(market_store, brand_config, now=now)
    sal = ins.overall.salary
    assert (sal["ours"]["stated"], sal["ours"]["min"], sal["ours"]["max"], sal["ours"]["currency"]) == (1, 65000, 80000, "EUR")
    assert (sal["market"]["stated"], sal["market"]["total"], sal["market"]["min"], sal["market"]["max"]) == (2, 8, 60000, 85000)


def test_hard_to_fill_from_pool_and_age(market_store, brand_config, now):
    ins = build_insights(market_store, brand_config, now=now)
    by_id = {h.job_id: h for h in ins.hard_to_fill}
    ids = market_store.market_ids
    assert set(by_id) == {ids["4001"], ids["4002"]}
    assert by_id[ids["4002"]].strong_matches == 1 and by_id[ids["4002"]].ranked == 12
    assert "only 1 of 12 ranked candidates" in by_id[ids["4002"]].reasons[0]
    assert by_id[ids["4001"]].days_open == 70
    assert ins.hard_to_fill[0].job_id == ids["4002"]  # fewest strong matches first


def test_role_filter(market_store, brand_config, now):
    ins = build_insights(market_store, brand_config, role="data", now=now)
    assert [f.label for f in ins.families] == ["data engineer"]
    assert ins.overall.total == 4
    with pytest.raises(UsageError, match="no role family matches --role 'nurse'"):
        build_insights(market_store, brand_config, role="nurse", now=now)


def test_own_by_company_name_only(market_store, tmp_path, db_path, now):
    cfg_path = tmp_path / "by-name.toml"
    cfg_path.write_text(f'db = "{db_path}"\n[brand]\ncompany = "ACME"\n', encoding="utf-8")
    ins = build_insights(market_store, load_config(cfg_path, env={}), now=now)
    assert len(ins.overall.ours) == 3


def test_no_company_configured_is_a_clear_error(market_store, tmp_path, db_path):
    cfg_path = tmp_path / "none.toml"
    cfg_path.write_text(f'db = "{db_path}"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"\[brand\] company"):
        build_insights(market_store, load_config(cfg_path, env={}))


def test_empty_store_is_a_clear_error(store, brand_config):
    with pytest.raises(UsageError, match="no open job postings"):
        build_insights(store, brand_config)


def test_is_own():
    assert is_own({"company": "Acme SAS"}, "Acme") is True  # legal forms do not tell employers apart
    assert is_own({"company": "brightwave"}, "Brightwave Labs") is True  # a board's slug for the same employer
    assert is_own({"company": "Acme Health"}, "Acme") is False  # another word is another employer
    assert is_own({"company": "acme"}, "Acme") is True
    assert is_own({"company": "Other", "source_key": "greenhouse:acme"}, "Acme", ["greenhouse:acme"]) is True
    assert is_own({"company": None, "own": True}, "") is True


def test_clusters_with_an_encoder():
    posts = market_postings()
    fams = cluster_roles([p.title for p in posts], [p.description for p in posts], encoder=FakeEncoder(256),
                         distance_threshold=0.25)
    groups = sorted(sorted(posts[i].external_id for i in f.members) for f in fams)
    data = sorted(["4003", "u-8", "g-20", "h-3"])
    assert data in groups
    assert fams[0].label == "backend engineer"


def test_report_and_json(market_store, brand_config, now):
    ins = build_insights(market_store, brand_config, now=now)
    text = render_insights(ins)
    assert "+ 4-day week: Acme 3/3 (100%), competitors 0/8 (0%)" in text
    assert "- remote work: competitors 6/8 (75%), Acme 0/3 (0%)" in text
    assert "<https://jobs.example.org/" in text
    data = insights_to_dict(ins)
    assert data["overall"]["gaps"][0]["market_share"] == 0.75
    assert {h["job_id"] for h in data["hard_to_fill"]} == {market_store.market_ids["4001"], market_store.market_ids["4002"]}


def test_compute_insights_on_plain_dicts_without_store(now):
    jobs = [{"id": 1, "title": "Backend Engineer", "company": "Acme", "description": "4-day week."},
            {"id": 2, "title": "Backend Engineer", "company": "B", "description": "Remote."},
            {"id": 3, "title": "Backend Engineer", "company": "C", "description": "Remote."},
            {"id": 4, "title": "Backend Engineer", "company": "D", "description": "Remote, learning budget."}]
    ins = compute_insights(jobs, company="Acme", now=now, skills_fn=lambda text: [])
    assert _stat(ins.overall.gaps, "remote").market_share == 1.0
    assert _stat(ins.overall.differentiators, "four_day_week").ours_share == 1.0


def test_hard_to_fill_thresholds_come_from_config(market_store, tmp_path, db_path, now):
    cfg = tmp_path / "lenient.toml"
    cfg.write_text(f'db = "{db_path}"\n[brand]\ncompany = "Acme"\nstrong_score = 0.25\nmax_days_open = 90\n', encoding="utf-8")
    ins = build_insights(market_store, load_config(cfg, env={}), now=now)
    # at least 3 of the 12 candidates score >= 0.25 for the Python role, and 70 days open is under 90
    assert ins.hard_to_fill == []


def test_a_malformed_posting_is_reported_and_the_rest_goes_on(now):
    jobs = [{"id": 1, "title": "Backend Engineer", "company": "Acme", "description": "4-day week."},
            {"id": 2, "title": "Backend Engineer", "company": "B", "description": "Remote.", "salary_min": "n/a",
             "url": "https://jobs.example.org/b/2"},
            {"id": 3, "title": "Backend Engineer", "company": "C", "description": "Remote."}]
    ins = compute_insights(jobs, company="Acme", now=now, skills_fn=lambda text: [])
    assert ins.skipped == ["job 2 (https://jobs.example.org/b/2): skipped, ValueError: could not convert string to float: 'n/a'"]
    assert ins.overall.total == 2


def test_remote_sensing_is_not_remote_work():
    from ranking.brand.lexicon import find_themes

    assert "remote" not in find_themes("You will build remote sensing pipelines and remote monitoring dashboards.")
    assert "remote" in find_themes("The role is remote, with a yearly offsite.")


def test_large_markets_cluster_a_sample_and_assign_the_rest():
    roles = {
        "backend": (["Backend Engineer", "Senior Backend Engineer", "Backend Developer (Python)", "Backend Engineer II"],
                    "Build APIs and services in Python and Go on PostgreSQL."),
        "data": (["Data Engineer", "Senior Data Engineer", "Data Engineer (Spark)", "Data Engineer II"],
                 "Build data pipelines with Airflow, Spark and dbt."),
        "design": (["Product Designer", "Senior Product Designer", "Product Designer (Mobile)", "Product Designer II"],
                   "Design user flows in Figma and run user research."),
    }
    titles, descs, gold = [], [], []
    for n in range(120):
        role = ("backend", "data", "design")[n % 3]
        variants, desc = roles[role]
        titles.append(variants[(n // 3) % 4])
        descs.append(f"{desc} Team {n % 7}.")
        gold.append(role)
    full = cluster_roles(titles, descs)
    sampled = cluster_roles(titles, descs, max_full=30)  # 30 spread postings clustered, 90 assigned
    assert sorted(i for f in sampled for i in f.members) == list(range(120))
    as_sets = lambda fams: sorted(sorted(f.members) for f in fams)  # noqa: E731
    assert as_sets(sampled) == as_sets(full)
    assert sorted({gold[i] for i in f.members} for f in full) == [{"backend"}, {"data"}, {"design"}]
