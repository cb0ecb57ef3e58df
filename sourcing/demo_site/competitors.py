"""Provides the demo's competitor boards: fictional companies hiring for Brightwave's role families.

The employer-brand feature compares our postings with the market's; these boards are
that market in the demo. Built from `data/competitors.json`, in the shapes the real
spiders read:

- an Ashby job board, `GET /posting-api/job-board/{name}?includeCompensation=true`
  (the API carries no company name: the demo's source entry sets `company = "…"`);
- a second Greenhouse board, `GET /v1/boards/{token}/jobs?content=true`.
"""

from __future__ import annotations

import html
from typing import Any

from sourcing.demo_site.server import _sections_html, load_data

ASHBY_PERIOD = "1 YEAR"


def companies(kind: str | None = None) -> list[dict[str, Any]]:
    """Return the competitor companies (optionally only those on boards of one `kind`)."""
    return [c for c in load_data("competitors")["companies"] if kind is None or c["kind"] == kind]


def _find(kind: str, board: str) -> dict[str, Any] | None:
    return next((c for c in companies(kind) if c["board"] == board), None)


def _plain(post: dict[str, Any]) -> str:
    """The posting as plain text: intro, headed bullet lists, perks (what Ashby's descriptionPlain holds)."""
    parts = [post["intro"]]
    for heading, items in post["sections"].items():
        parts.append(heading + "\n" + "\n".join(f"- {i}" for i in items))
    parts.append(post["perks"])
    return "\n\n".join(parts)


def _compensation(salary: dict[str, Any] | None) -> dict[str, Any]:
    if not salary:
        return {"compensationTierSummary": None, "scrapeableCompensationSalarySummary": None,
                "compensationTiers": [], "summaryComponents": []}
    summary = f"€{salary['min'] // 1000}K – €{salary['max'] // 1000}K"
    return {
        "compensationTierSummary": summary,
        "scrapeableCompensationSalarySummary": summary,
        "compensationTiers": [],
        "summaryComponents": [{"compensationType": "Salary", "interval": ASHBY_PERIOD, "currencyCode": salary["currency"],
                               "minValue": salary["min"], "maxValue": salary["max"]}],
    }


def ashby_board(base_url: str, name: str) -> dict[str, Any] | None:
    """Return the Ashby posting-API payload of board `name`, or None if unknown."""
    company = _find("ashby", name)
    if company is None:
        return None
    jobs = []
    for p in company["postings"]:
        content = _sections_html(p["intro"], p["sections"], p["perks"])
        jobs.append({
            "id": p["id"],
            "title": p["title"],
            "department": p["department"],
            "team": p["department"],
            "employmentType": "FullTime",
            "location": p["location"],
            "shouldDisplayCompensationOnJobPostings": bool(p.get("salary")),
            "secondaryLocations": [{"location": loc, "address": None} for loc in p["secondary"]],
            "publishedAt": p["published"],
            "isListed": True,
            "isRemote": p["workplace"] == "Remote",
            "workplaceType": p["workplace"],
            "address": None,
            "jobUrl": f"{base_url}/ashby/{name}/{p['id']}",
            "applyUrl": f"{base_url}/ashby/{name}/{p['id']}/application",
            "descriptionHtml": content,
            "descriptionPlain": _plain(p),
            "compensation": _compensation(p.get("salary")),
        })
    return {"apiVersion": "1", "jobs": jobs}


def greenhouse_board(base_url: str, token: str) -> dict[str, Any] | None:
    """Return the Greenhouse `jobs?content=true` payload of a competitor board `token`, or None."""
    company = _find("greenhouse", token)
    if company is None:
        return None
    jobs = []
    for p in company["postings"]:
        jobs.append({
            "absolute_url": f"{base_url}/boards/{token}/jobs/{p['id']}",
            "internal_job_id": p["id"] - 1000000,
            "location": {"name": p["location"]},
            "metadata": None,
            "id": p["id"],
            "updated_at": p["published"],
            "requisition_id": str(p["id"] % 1000),
            "title": p["title"],
            "company_name": company["name"],
            "first_published": p["published"],
            "language": "fr",
            # Greenhouse entity-escapes the HTML of `content`; keep that quirk.
            "content": html.escape(_sections_html(p["intro"], p["sections"], p["perks"])),
            "departments": [{"id": 6000, "name": p["department"], "child_ids": [], "parent_id": None}],
            "offices": [{"id": 6100, "name": p["location"], "location": None, "child_ids": [], "parent_id": None}],
        })
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def competitor_sources(base_url: str) -> list[dict[str, Any]]:
    """The `[[sources]]` entries for the competitor boards, each naming its company."""
    params = {"ashby": "name", "greenhouse": "board"}
    return [{"kind": c["kind"], params[c["kind"]]: c["board"], "company": c["name"], "base_url": base_url}
            for c in companies()]
