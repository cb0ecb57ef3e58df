"""Provides the demo site: a tiny HTTP server on 127.0.0.1 imitating public job and profile APIs.

Everything it serves is built from the fictional data in `data/jobs.json` and
`data/people.json`, in the shapes of the real public endpoints the spiders read:

- `/robots.txt` — allows every crawler (the spiders obey robots.txt);
- `/v1/boards/{token}/jobs?content=true` — a Greenhouse job board;
- `/v0/postings/{site}?mode=json&skip=&limit=` — a Lever job board (paginated);
- `/careers/` and `/careers/{slug}` — a career page whose postings carry schema.org
  `JobPosting` JSON-LD;
- `/search/users?q=…`, `/users/{login}`, `/users/{login}/repos` — a GitHub-REST-style API
  (only users with a GitHub login appear; `hireable` as each person set it);
- `/resumes/` (HTML list and `index.json`) and `/resumes/{slug}.json` — JSON Resume files;
- competitors' boards (`competitors.py`): `/posting-api/job-board/{name}` (Ashby) and more
  Greenhouse boards under `/v1/boards/{token}/jobs`.

Usage::

    with DemoSite() as site:        # random free port
        print(site.base_url)         # http://127.0.0.1:PORT
"""

from __future__ import annotations

import html
import json
import re
import threading
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

DATA_PACKAGE = "sourcing.demo_site"


@lru_cache(maxsize=None)
def load_data(name: str) -> dict[str, Any]:
    """Return a parsed data file of the demo site (`"jobs"`, `"people"` or `"competitors"`)."""
    text = (resources.files(DATA_PACKAGE) / "data" / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8")


def _sections_html(intro: str, sections: dict[str, list[str]], extra: str) -> str:
    parts = [f"<p>{html.escape(intro)}</p>"]
    for heading, items in sections.items():
        parts.append(f"<h3>{html.escape(heading)}</h3><ul>")
        parts.extend(f"<li>{html.escape(i)}</li>" for i in items)
        parts.append("</ul>")
    if extra:
        parts.append(f"<p>{html.escape(extra)}</p>")
    return "".join(parts)


def greenhouse_jobs(base_url: str, token: str) -> dict[str, Any] | None:
    """Return the Greenhouse `jobs?content=true` payload for `token`, or None if unknown."""
    data = load_data("jobs")
    if token != data["greenhouse_token"]:
        return None
    jobs = []
    for j in data["greenhouse"]:
        content = _sections_html(j["intro"], j["sections"], j["perks"])
        jobs.append({
            "absolute_url": f"{base_url}/boards/{token}/jobs/{j['id']}",
            "data_compliance": [{"type": "gdpr", "requires_consent": False, "requires_processing_consent": False,
                                 "requires_retention_consent": False, "retention_period": None,
                                 "demographic_data_consent_applies": False}],
            "internal_job_id": j["id"] - 1000000,
            "location": {"name": j["location"]},
            "metadata": None,
            "id": j["id"],
            "updated_at": j["published"],
            "requisition_id": str(j["id"] % 1000),
            "title": j["title"],
            "company_name": data["company"],
            "first_published": j["published"],
            "language": "en",
            "application_deadline": None,
            # Greenhouse entity-escapes the HTML of `content`; keep that quirk.
            "content": html.escape(content),
            "departments": [{"id": 4000 + i, "name": j["department"], "child_ids": [], "parent_id": None}
                            for i in range(1)],
            "offices": [{"id": 5000, "name": j["location"], "location": None, "child_ids": [], "parent_id": None}],
        })
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def lever_postings(base_url: str, site: str, skip: int, limit: int) -> list[dict[str, Any]] | None:
    """Return one page of the Lever `postings?mode=json` payload for `site`, or None if unknown."""
    data = load_data("jobs")
    if site != data["lever_site"]:
        return None
    out = []
    for p in data["lever"]:
        lists = [{"text": lst["text"], "content": "".join(f"<li>{html.escape(i)}</li>" for i in lst["items"])}
                 for lst in p["lists"]]
        out.append({
            "additionalPlain": p["additionalPlain"],
            "additional": f"<div>{html.escape(p['additionalPlain'])}</div>",
            "categories": {"commitment": p["commitment"], "location": p["location"], "team": p["team"],
                           "allLocations": [p["location"]]},
            "createdAt": p["createdAt"],
            "descriptionPlain": p["descriptionPlain"],
            "description": f"<div>{html.escape(p['descriptionPlain'])}</div>",
            "id": p["id"],
            "lists": lists,
            "text": p["text"],
            "country": "FR",
            "workplaceType": p["workplaceType"],
            "hostedUrl": f"{base_url}/jobs/{site}/{p['id']}",
            "applyUrl": f"{base_url}/jobs/{site}/{p['id']}/apply",
        })
    return out[skip: skip + limit]


def careers_index(base_url: str) -> str:
    """Return the career page: links to every posting, and their JobPosting JSON-LD in one block.

    Listing pages often carry their postings' JSON-LD too; it also lets a crawler that
    reads only the start page find every posting.
    """
    data = load_data("jobs")
    links = "".join(f'<li><a href="/careers/{c["slug"]}">{html.escape(c["title"])}</a></li>' for c in data["careers"])
    blob = _ld_script([_posting_ld(base_url, c) for c in data["careers"]])
    return (f"<!doctype html><html><head><title>Careers at {html.escape(data['company'])}</title>{blob}</head>"
            f"<body><h1>Join {html.escape(data['company'])}</h1><p>{html.escape(data['about'])}</p>"
            f"<ul>{links}</ul></body></html>")


def _ld_script(obj: Any) -> str:
    # `</` inside a script element would end it early; JSON allows the escaped form.
    blob = json.dumps(obj, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{blob}</script>'


def _posting_ld(base_url: str, post: dict[str, Any]) -> dict[str, Any]:
    company = load_data("jobs")["company"]
    slug = post["slug"]
    ld: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": post["title"],
        "description": post["description"],
        "identifier": {"@type": "PropertyValue", "name": company, "value": slug},
        "datePosted": post["datePosted"],
        "employmentType": post["employmentType"],
        "hiringOrganization": {"@type": "Organization", "name": company, "sameAs": base_url},
        "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": post["location"],
                                                      "addressCountry": post["country"]}},
        "url": f"{base_url}/careers/{slug}",
    }
    if post["remote"]:
        ld["jobLocationType"] = "TELECOMMUTE"
    if post["salary"]:
        s = post["salary"]
        ld["baseSalary"] = {"@type": "MonetaryAmount", "currency": s["currency"],
                            "value": {"@type": "QuantitativeValue", "minValue": s["min"], "maxValue": s["max"],
                                      "unitText": s["unit"]}}
    return ld


def careers_posting(base_url: str, slug: str) -> str | None:
    """Return one career posting page with its schema.org JobPosting JSON-LD, or None."""
    post = next((c for c in load_data("jobs")["careers"] if c["slug"] == slug), None)
    if post is None:
        return None
    return (f"<!doctype html><html><head><title>{html.escape(post['title'])}</title>"
            f"{_ld_script(_posting_ld(base_url, post))}</head>"
            f"<body><h1>{html.escape(post['title'])}</h1>{post['description']}"
            f'<p><a href="/careers/">All openings</a></p></body></html>')


def _github_people() -> list[dict[str, Any]]:
    return [p for p in load_data("people")["people"] if p.get("login")]


def github_user(base_url: str, person: dict[str, Any]) -> dict[str, Any]:
    """Return a GitHub `/users/{login}` payload for a demo person."""
    login = person["login"]
    uid = 90000 + sum(ord(c) for c in login)
    return {
        "login": login, "id": uid, "node_id": f"U_demo{uid}",
        "avatar_url": "", "url": f"{base_url}/users/{login}", "html_url": f"https://github.com/{login}",
        "repos_url": f"{base_url}/users/{login}/repos", "type": "User", "site_admin": False,
        "name": person["name"], "company": person["work"][0]["org"] if person["work"] else None,
        "blog": f"{base_url}/resumes/{person['slug']}.json" if person.get("resume") else "",
        "location": person["location"], "email": person["email"], "hireable": person["hireable"],
        "bio": _bio(person),
        "twitter_username": None, "public_repos": len(person["repo_langs"]), "public_gists": 0,
        "followers": 3 + uid % 40, "following": uid % 11,
        "created_at": "2016-04-02T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z",
    }


def _bio(person: dict[str, Any]) -> str:
    """A GitHub-style bio: the person's label, plus their first sentence when it fits in 160 characters."""
    first = person["summary"].split(". ")[0].rstrip(".") + "."
    both = f"{person['label']}. {first}"
    return both if len(both) <= 160 else person["label"][:160]


def github_repos(base_url: str, person: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a GitHub `/users/{login}/repos` payload (names derived from the languages)."""
    login = person["login"]
    repos = []
    for i, lang in enumerate(person["repo_langs"]):
        name = f"{(lang or 'misc').lower().replace(' ', '-')}-project-{i + 1}"
        repos.append({
            "id": 700000 + i, "name": name, "full_name": f"{login}/{name}", "private": False, "fork": False,
            "owner": {"login": login, "url": f"{base_url}/users/{login}"},
            "html_url": f"https://github.com/{login}/{name}", "url": f"{base_url}/repos/{login}/{name}",
            "description": f"A {lang} side project", "language": lang, "stargazers_count": (i * 7) % 23,
            "forks_count": i % 3, "created_at": "2023-01-01T00:00:00Z", "pushed_at": "2026-09-01T00:00:00Z",
        })
    return repos


_QUALIFIER = re.compile(r"(\w+):(\"[^\"]*\"|\S+)")


def github_search(base_url: str, query: str, page: int, per_page: int) -> dict[str, Any]:
    """Return a GitHub `/search/users` payload; understands `location:` and `language:` qualifiers."""
    quals = {k.lower(): v.strip('"').lower() for k, v in _QUALIFIER.findall(query)}
    hits = []
    for p in _github_people():
        if "location" in quals and quals["location"] not in p["location"].lower():
            continue
        if "language" in quals and quals["language"] not in [lang.lower() for lang in p["repo_langs"]]:
            continue
        hits.append(p)
    start = (page - 1) * per_page
    items = [{"login": p["login"], "id": github_user(base_url, p)["id"], "url": f"{base_url}/users/{p['login']}",
              "html_url": f"https://github.com/{p['login']}", "type": "User", "score": 1.0}
             for p in hits[start: start + per_page]]
    return {"total_count": len(hits), "incomplete_results": False, "items": items}


def json_resume(base_url: str, person: dict[str, Any]) -> dict[str, Any]:
    """Return a JSON Resume document (jsonresume.org schema) for a demo person."""
    basics: dict[str, Any] = {
        "name": person["name"], "label": person["label"], "email": person["email"],
        "url": f"{base_url}/resumes/{person['slug']}.json", "summary": person["summary"],
        "location": {"city": person["location"].split(",")[0], "countryCode": _country_code(person["location"])},
        "profiles": [],
    }
    if person.get("login"):
        basics["profiles"].append({"network": "GitHub", "username": person["login"],
                                   "url": f"https://github.com/{person['login']}"})
    return {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": basics,
        "work": [{"name": w["org"], "position": w["title"], "startDate": w["start"],
                  **({"endDate": w["end"]} if w["end"] else {}), "summary": w["summary"]} for w in person["work"]],
        "education": [{"institution": e["institution"], "area": e["area"], "studyType": e["studyType"]}
                      for e in person["education"]],
        "skills": [{"name": s} for s in person["skills"]],
        "languages": [{"language": lang} for lang in person["languages"]],
        "meta": {"lastModified": "2026-10-01T10:00:00", "version": "v1.0.0"},
    }


_COUNTRIES = {"france": "FR", "ireland": "IE", "portugal": "PT", "germany": "DE", "united kingdom": "GB",
              "netherlands": "NL", "sweden": "SE"}


def _country_code(location: str) -> str:
    return _COUNTRIES.get(location.rsplit(",", 1)[-1].strip().lower(), "")


def resume_index(base_url: str) -> list[str]:
    """Return the URLs of every JSON Resume file on the site."""
    return [f"{base_url}/resumes/{p['slug']}.json" for p in load_data("people")["people"] if p.get("resume")]


ROBOTS_TXT = "User-agent: *\nAllow: /\n"


class _Handler(BaseHTTPRequestHandler):
    server_version = "BrightwaveDemo/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        # Quiet by default: the demo prints its own progress; requests are counted instead.
        self.server.request_log.append(self.path)  # type: ignore[attr-defined]

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        qs = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        base = self.server.base_url  # type: ignore[attr-defined]
        result = route(base, parts.path, qs)
        if result is None:
            self._send(404, _json({"message": "Not Found"}), "application/json")
        else:
            body, ctype = result
            self._send(200, body, ctype)


def _int(qs: dict[str, str], key: str, default: int) -> int:
    try:
        return max(0, int(qs.get(key, default)))
    except ValueError:
        return default


def route(base: str, path: str, qs: dict[str, str]) -> tuple[bytes, str] | None:
    """Return `(body, content type)` for a request path, or None for 404."""
    people = {p["login"]: p for p in _github_people()}
    if path == "/robots.txt":
        return ROBOTS_TXT.encode(), "text/plain"
    if m := re.fullmatch(r"/v1/boards/([\w-]+)/jobs/?", path):
        from sourcing.demo_site import competitors  # it builds on this module

        payload = greenhouse_jobs(base, m.group(1)) or competitors.greenhouse_board(base, m.group(1))
        return None if payload is None else (_json(payload), "application/json")
    if m := re.fullmatch(r"/posting-api/job-board/([\w-]+)/?", path):
        from sourcing.demo_site import competitors

        payload = competitors.ashby_board(base, m.group(1))
        return None if payload is None else (_json(payload), "application/json")
    if m := re.fullmatch(r"/v0/postings/([\w-]+)/?", path):
        payload = lever_postings(base, m.group(1), _int(qs, "skip", 0), _int(qs, "limit", 100) or 100)
        return None if payload is None else (_json(payload), "application/json")
    if path in ("/careers", "/careers/"):
        return careers_index(base).encode("utf-8"), "text/html; charset=utf-8"
    if m := re.fullmatch(r"/careers/([\w-]+)", path):
        page = careers_posting(base, m.group(1))
        return None if page is None else (page.encode("utf-8"), "text/html; charset=utf-8")
    if path == "/search/users":
        per_page = min(_int(qs, "per_page", 30) or 30, 100)
        return _json(github_search(base, qs.get("q", ""), _int(qs, "page", 1) or 1, per_page)), "application/json"
    if m := re.fullmatch(r"/users/([\w-]+)", path):
        p = people.get(m.group(1))
        return None if p is None else (_json(github_user(base, p)), "application/json")
    if m := re.fullmatch(r"/users/([\w-]+)/repos", path):
        p = people.get(m.group(1))
        return None if p is None else (_json(github_repos(base, p)), "application/json")
    if path == "/resumes/index.json":
        return _json(resume_index(base)), "application/json"
    if path in ("/resumes", "/resumes/"):
        links = "".join(f'<li><a href="{u}">{u.rsplit("/", 1)[-1]}</a></li>' for u in resume_index(base))
        return f"<!doctype html><html><body><ul>{links}</ul></body></html>".encode(), "text/html; charset=utf-8"
    if m := re.fullmatch(r"/resumes/([\w-]+)\.json", path):
        person = next((p for p in load_data("people")["people"] if p["slug"] == m.group(1) and p.get("resume")), None)
        return None if person is None else (_json(json_resume(base, person)), "application/json")
    return None


class DemoSite:
    """The demo site served from a background thread on 127.0.0.1 (port 0 = a free one)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.request_log = []  # type: ignore[attr-defined]
        self.base_url = f"http://{host}:{self._server.server_address[1]}"
        self._server.base_url = self.base_url  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-site", daemon=True)

    @property
    def requests(self) -> list[str]:
        """Paths requested so far (for tests and the demo's summary)."""
        return list(self._server.request_log)  # type: ignore[attr-defined]

    def start(self) -> "DemoSite":
        """Start serving; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "DemoSite":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
