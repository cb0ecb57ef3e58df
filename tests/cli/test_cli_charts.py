"""Tests the CLI's pictures: crawl-history sparklines in `sources list`, ours-vs-market bars in `brand insights`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from cli_helpers import add_job
from cli_helpers import run_sourcing as sourcing


def test_sources_list_shows_each_sources_crawl_history(tmp_path, workspace):
    cfg = str(workspace("acme", "broken"))
    before = json.loads(sourcing("--config", cfg, "sources", "list", "--json").stdout)
    assert [r["items_per_night"] for r in before] == [[], []]  # no database yet: none is created
    assert not (tmp_path / "sourcing.db").exists()
    assert sourcing("--config", cfg, "crawl", "--all").returncode == 3
    rows = {r["key"]: r for r in json.loads(sourcing("--config", cfg, "sources", "list", "--json").stdout)}
    acme, broken = rows["greenhouse:acme"], rows["greenhouse:broken"]
    assert len(acme["items_per_night"]) == 14 and acme["items_per_night"][-1] == 2 and sum(acme["items_per_night"]) == 2
    assert acme["history"] == "▁" * 13 + "█" and acme["last_status"] == "ok"
    assert broken["errors_per_night"][-1] == 1 and broken["last_status"] == "failed"
    table = sourcing("--config", cfg, "sources", "list").stdout.splitlines()
    assert table[0].split() == ["KEY", "KIND", "YIELDS", "BASE_URL", "HISTORY", "ERROR_HISTORY", "LAST_STATUS"]
    by_key = {ln.split()[0]: ln.split()[-3:] for ln in table[1:]}
    assert by_key["greenhouse:acme"] == ["▁" * 13 + "█", "▁" * 14, "ok"]  # items last night, no errors
    assert by_key["greenhouse:broken"] == ["▁" * 14, "▁" * 13 + "█", "failed"]  # no items, an error last night
    assert broken["error_history"] == "▁" * 13 + "█" and acme["error_history"] == "▁" * 14


def test_brand_insights_draws_ours_vs_market_and_writes_the_svg(tmp_path, workspace):
    cfg = str(workspace("acme"))
    assert sourcing("--config", cfg, "crawl", "--all").returncode == 0
    add_job(tmp_path / "sourcing.db", "Backend engineer", "Remote work possible. Salary 50k-60k EUR. Python, Django.")
    chart = tmp_path / "themes.svg"
    r = sourcing("--config", cfg, "brand", "insights", "--tfidf", "--chart", str(chart),
                 env={"SOURCING_BRAND__COMPANY": "Acme"})
    assert r.returncode == 0, r.stderr
    headline, chart_block = r.stdout.split("\n\n")[:2]
    assert headline.startswith("Employer-brand insights for Acme: ")  # the headline stays first, the picture right under it
    head = chart_block.splitlines()
    assert head[0] == "Share of postings stating each theme (all roles)"
    assert head[1].split() == ["Acme", "competitors"] and len(head) >= 3 and all("%" in ln for ln in head[2:])
    assert f"Wrote {chart}" in r.stderr
    root = ET.fromstring(chart.read_text())
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and "Acme (1 postings)" in [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_brand_insights_report_file_carries_the_chart(tmp_path, workspace):
    cfg = str(workspace("acme"))
    assert sourcing("--config", cfg, "crawl", "--all").returncode == 0
    add_job(tmp_path / "sourcing.db", "Backend engineer", "Remote work possible. Salary 50k-60k EUR. Python, Django.")
    env = {"SOURCING_BRAND__COMPANY": "Acme"}
    page = tmp_path / "report.html"
    r = sourcing("--config", cfg, "brand", "insights", "--tfidf", "--out", str(page), env=env)
    assert r.returncode == 0 and f"Wrote {page}" in r.stderr, r.stderr
    html = page.read_text()
    svg = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + 6])
    assert "Acme (1 postings)" in [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "<pre>Employer-brand insights for Acme: " in html
    md = tmp_path / "report.md"
    r = sourcing("--config", cfg, "brand", "insights", "--tfidf", "--out", str(md), env=env)
    assert r.returncode == 0, r.stderr
    assert "](report.svg)" in md.read_text() and ET.parse(tmp_path / "report.svg").getroot().tag.endswith("svg")
    bad = sourcing("--config", cfg, "brand", "insights", "--tfidf", "--out", str(tmp_path / "report.pdf"), env=env)
    assert bad.returncode == 2 and "written as .html" in bad.stderr

