"""Provides the registry of source kinds, the refusal policy and source-spec parsing.

A *source kind* is a family of sites one spider knows how to read (Greenhouse
boards, Lever sites, GitHub's API, …). A *configured source* is a `[[sources]]`
table in the config file naming a kind and its parameters, e.g.::

    [[sources]]
    kind = "greenhouse"
    board = "acme"
    base_url = "http://127.0.0.1:8000"   # optional: overrides the API host
    company = "Acme Corp"                # optional: the employer's name on its postings

`company` (on single-employer boards: greenhouse, lever, ashby, workable, personio,
careers) names the employer on every posting of the source; without it a posting
keeps the name the API gives, or the board's slug when the API has none (Lever,
Ashby). For smartrecruiters and recruitee, `company` is the board's identifier
itself, and their APIs carry the employer's name.

Specs typed on the command line (`greenhouse:acme`, `github:location=Lyon,language=python`,
or a URL such as `https://jobs.lever.co/acme`) become such entries through
`parse_spec`. Sites that forbid automated access are refused by `check_allowed`
with a one-line reason, before anything is fetched. No HTTP happens here: the
robots.txt check for a generic page URL takes the robots.txt text as input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sourcing.errors import SourceRefusedError, UsageError


@dataclass(frozen=True)
class SourceKind:
    """One family of sources and the spider that reads it."""

    kind: str
    spider: str
    yields: str  # "jobs" | "profiles"
    reads: str  # what is fetched, in one line
    terms: str  # the provider's terms we follow, in one line
    param: str | None = None  # the main parameter (`greenhouse:acme` -> board = "acme")
    optional: tuple[str, ...] = ()  # other accepted parameters
    required: bool = True  # the main parameter must be given
    url_patterns: tuple[str, ...] = field(default=())  # regexes with a named group `value`


REGISTRY: dict[str, SourceKind] = {
    k.kind: k
    for k in (
        SourceKind(
            "greenhouse", "greenhouse", "jobs",
            "Greenhouse job board API GET /v1/boards/{board}/jobs?content=true",
            "Public job board API, no key needed; published postings only.",
            param="board", optional=("company",),
            url_patterns=(r"^https?://(?:job-)?boards(?:-api)?\.greenhouse\.io/(?:v1/boards/)?(?P<value>[\w.-]+)",),
        ),
        SourceKind(
            "lever", "lever", "jobs",
            "Lever postings API GET /v0/postings/{site}?mode=json (skip/limit pages; region=eu uses api.eu.lever.co)",
            "Public postings API; Lever states published postings may be read by third parties.",
            param="site", optional=("region", "page_size", "company"),
            url_patterns=(r"^https?://jobs\.(?P<eu>eu\.)?lever\.co/(?P<value>[\w.-]+)",),
        ),
        SourceKind(
            "ashby", "ashby", "jobs",
            "Ashby posting API GET /posting-api/job-board/{name}?includeCompensation=true (unlisted jobs skipped)",
            "Public job board API, no key needed; postings marked isListed=false are skipped.",
            param="name", optional=("company",),
            url_patterns=(r"^https?://jobs\.ashbyhq\.com/(?P<value>[\w.-]+)",),
        ),
        SourceKind(
            "workable", "workable", "jobs",
            "Workable widget API GET /api/v1/widget/accounts/{account}",
            "Public widget API used by employers' own career pages.",
            param="account", optional=("company",),
            url_patterns=(r"^https?://apply\.workable\.com/(?P<value>[\w.-]+)",),
        ),
        SourceKind(
            "smartrecruiters", "smartrecruiters", "jobs",
            "SmartRecruiters Posting API GET /v1/companies/{company}/postings (offset pages) and each posting's detail",
            "Public Posting API for published postings.",
            param="company",
            url_patterns=(r"^https?://(?:jobs|careers)\.smartrecruiters\.com/(?P<value>[\w.-]+)",),
        ),
        SourceKind(
            "recruitee", "recruitee", "jobs",
            "Recruitee careers API GET https://{company}.recruitee.com/api/offers",
            "Public careers-site API of the employer.",
            param="company",
            url_patterns=(r"^https?://(?P<value>[\w-]+)\.recruitee\.com",),
        ),
        SourceKind(
            "personio", "personio", "jobs",
            "Personio XML feed GET https://{account}.jobs.personio.de/xml?language=en",
            "Public XML feed, only when the employer enabled it.",
            param="account", optional=("company",),
            url_patterns=(r"^https?://(?P<value>[\w-]+)\.jobs\.personio\.(?:de|com)",),
        ),
        SourceKind(
            "remoteok", "remoteok", "jobs",
            "Remote OK GET /api (element 0, the legal notice, is skipped)",
            "Must credit Remote OK and link back to each posting's URL (kept in the posting's credit); descriptive User-Agent.",
            param="tag", required=False,
            url_patterns=(r"^https?://(?:www\.)?remoteok\.(?:com|io)(?:/(?:remote-)?(?P<value>[\w-]+)-jobs)?",),
        ),
        SourceKind(
            "arbeitnow", "arbeitnow", "jobs",
            "Arbeitnow GET /api/job-board-api?page=N, following links.next",
            "Free public job board API.",
            param=None, required=False,
            url_patterns=(r"^https?://(?:www\.)?arbeitnow\.com",),
        ),
        SourceKind(
            "hn_jobs", "hn_jobs", "jobs",
            "HN 'Ask HN: Who is hiring?' threads through the Algolia API (latest thread unless thread = id)",
            "Public Algolia HN Search API; top-level comments only.",
            param="thread", required=False,
            url_patterns=(r"^https?://news\.ycombinator\.com/item\?id=(?P<value>\d+)",),
        ),
        SourceKind(
            "hn_candidates", "hn_candidates", "profiles",
            "HN 'Ask HN: Who wants to be hired?' threads through the Algolia API: people posting about themselves",
            "Self-published by each person in a thread made for that purpose; public Algolia HN Search API.",
            param="thread", required=False,
        ),
        SourceKind(
            "careers", "careers", "jobs",
            "A company career site: stays on the start URL's domain, reads schema.org JobPosting JSON-LD and microdata",
            "Only pages robots.txt allows us; refused when robots.txt disallows the start URL.",
            param="url", optional=("company",),
        ),
        SourceKind(
            "github", "github", "profiles",
            "GitHub REST API only: /search/users by location/language, /users/{login}, their repos' languages",
            "GitHub Acceptable Use: hireable users only (default), provenance kept, no bulk e-mail, honour do-not-contact; token from GITHUB_TOKEN.",
            param="login", required=False, optional=("location", "language", "query", "hireable_only", "max_users"),
            url_patterns=(r"^https?://api\.github\.com/users/(?P<value>[\w-]+)",),
        ),
        SourceKind(
            "jsonresume", "jsonresume", "profiles",
            "Public JSON Resume documents (resume.json URLs, registry.jsonresume.org/{user}.json)",
            "Self-published résumés in the JSON Resume format; only the fields the product needs are kept.",
            param="url",
        ),
    )
}

# (host regex, one-line reason). Checked on URLs and on kinds typed as specs.
REFUSED: tuple[tuple[str, str, str], ...] = (
    ("linkedin", r"(^|\.)linkedin\.com$", "LinkedIn's User Agreement bans bots, crawlers and scraping of its members' data."),
    ("indeed", r"(^|\.)indeed\.[a-z.]+$", "Indeed's terms forbid automated access and it blocks crawlers."),
    ("glassdoor", r"(^|\.)glassdoor\.[a-z.]+$", "Glassdoor's terms forbid scraping and it blocks automated access."),
    ("ziprecruiter", r"(^|\.)ziprecruiter\.[a-z.]+$", "ZipRecruiter's terms forbid automated access."),
    ("wellfound", r"(^|\.)(wellfound|angel)\.(com|co)$", "Wellfound (AngelList Talent) forbids scraping and blocks automated access."),
    ("weworkremotely", r"(^|\.)weworkremotely\.com$", "We Work Remotely's API terms exclude use by hiring tools."),
    ("github-html", r"^(www\.)?github\.com$", "GitHub HTML pages are not crawled (API only, per GitHub's terms): use github:login=NAME."),
)


# Per-source politeness keys a [[sources]] entry may carry -> the Scrapy setting each becomes.
POLITENESS: dict[str, str] = {
    "download_delay": "DOWNLOAD_DELAY",
    "concurrent_per_domain": "CONCURRENT_REQUESTS_PER_DOMAIN",
    "retry_times": "RETRY_TIMES",
    "max_retry_after": "SOURCING_MAX_RETRY_AFTER",
}


def source_settings(entry: dict[str, Any]) -> dict[str, Any]:
    """Return the Scrapy settings an entry overrides for its own crawl (e.g. a slower delay)."""
    out: dict[str, Any] = {}
    for key, setting in POLITENESS.items():
        if key in entry:
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise UsageError(f"source {entry.get('kind')}: {key} must be a non-negative number, got {value!r}", "Bad source")
            if key == "concurrent_per_domain" and not 1 <= value <= 2:
                raise UsageError(f"source {entry.get('kind')}: concurrent_per_domain must be 1 or 2 (politeness), got {value!r}", "Bad source")
            if key == "download_delay":
                value = max(0.001, float(value))  # never 0: see spiders/settings.py
            out[setting] = value
    return out


def _refusal_for_host(host: str) -> str | None:
    for _name, pattern, reason in REFUSED:
        if re.search(pattern, host):
            return reason
    return None


def check_allowed(url_or_spec: str | dict[str, Any]) -> None:
    """Refuse a source that forbids automated access, before anything is fetched.

    Args:
        url_or_spec: a URL, a spec such as "greenhouse:acme", or a config entry dict.

    Raises:
        SourceRefusedError: with a one-line reason naming the site.
    """
    if isinstance(url_or_spec, dict):
        kind = str(url_or_spec.get("kind", ""))
        urls = [str(v) for k, v in url_or_spec.items() if k in ("url", "base_url") and v]
    else:
        text = url_or_spec.strip()
        kind = text.split(":", 1)[0].lower() if not _is_url(text) else ""
        urls = [text] if _is_url(text) else []
    for name, _pattern, reason in REFUSED:
        if kind and kind == name:
            raise SourceRefusedError(f"{kind}: refused. {reason}", "Source refused")
    for url in urls:
        host = (urlsplit(url).hostname or "").lower()
        reason = _refusal_for_host(host)
        if reason:
            raise SourceRefusedError(f"{url}: refused. {reason}", "Source refused")


def robots_allows(robots_txt: str, url: str, user_agent: str) -> bool:
    """Return whether `robots_txt` (the text of the site's robots.txt) lets `user_agent` fetch `url`.

    Read with Protego, the parser Scrapy's RobotsTxtMiddleware uses in the crawl, so
    `sources add` refuses exactly what the crawl would refuse: longest match wins
    (`Allow: /` before `Disallow: /careers/job/` still disallows), `*` and `$` work.
    urllib.robotparser reads none of these the way the crawl does.
    """
    from protego import Protego  # a Scrapy dependency; imported here so `sourcing --help` stays fast

    return Protego.parse(robots_txt).can_fetch(url, user_agent)


def check_robots(robots_txt: str | None, url: str, user_agent: str) -> None:
    """Raise `SourceRefusedError` when robots.txt disallows `url` for us (None = no robots.txt)."""
    if robots_txt is not None and not robots_allows(robots_txt, url, user_agent):
        raise SourceRefusedError(f"{url}: refused. The site's robots.txt disallows this page for our crawler.", "Source refused")


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text, re.I))


def _spec_from_url(url: str) -> dict[str, Any]:
    for k in REGISTRY.values():
        for pattern in k.url_patterns:
            m = re.match(pattern, url, re.I)
            if not m:
                continue
            entry: dict[str, Any] = {"kind": k.kind}
            value = m.groupdict().get("value")
            if value and k.param:
                entry[k.param] = value
            if m.groupdict().get("eu"):
                entry["region"] = "eu"
            return entry
    path = urlsplit(url).path.lower()
    if path.endswith(".json") or "resume" in path.rsplit("/", 1)[-1]:
        return {"kind": "jsonresume", "url": url}
    return {"kind": "careers", "url": url}


def parse_spec(spec: str) -> dict[str, Any]:
    """Turn a spec into a config entry.

    Accepted forms: "greenhouse:acme" (the kind's main parameter), "remoteok" (no
    parameter), "github:location=Lyon,language=python" (named parameters), or a URL
    ("https://jobs.lever.co/acme", "https://acme.example/careers").

    Returns:
        A dict such as {"kind": "greenhouse", "board": "acme"}.

    Raises:
        SourceRefusedError: the site is on the refusal list.
        UsageError: the kind is unknown or a required parameter is missing.
    """
    text = spec.strip()
    check_allowed(text)
    if _is_url(text):
        entry = _spec_from_url(text)
        if entry["kind"] == "hn_jobs" and "thread" not in entry:
            entry["thread"] = parse_qs(urlsplit(text).query).get("id", [""])[0]
        return entry
    kind, _, rest = text.partition(":")
    kind = kind.strip().lower()
    sk = REGISTRY.get(kind)
    if sk is None:
        raise UsageError(f"{spec!r}: unknown source kind '{kind}'. Known kinds: {', '.join(sorted(REGISTRY))}", "Unknown source")
    entry = {"kind": kind}
    rest = rest.strip()
    if rest:
        if "=" in rest and not (_is_url(rest) and sk.param == "url"):
            for part in rest.split(","):
                key, eq, value = part.partition("=")
                if not eq or not key.strip():
                    raise UsageError(f"{spec!r}: expected name=value pairs separated by commas, got {part!r}", "Bad source spec")
                entry[key.strip()] = value.strip()
        elif sk.param:
            entry[sk.param] = rest
        else:
            raise UsageError(f"{spec!r}: source kind '{kind}' takes no parameter", "Bad source spec")
    validate_entry(entry)
    return entry


def validate_entry(entry: dict[str, Any], where: str = "source") -> SourceKind:
    """Check a config entry against the registry and the refusal list; return its kind.

    Raises:
        SourceRefusedError: the entry points at a refused site.
        UsageError: unknown kind, missing parameter or unknown parameter.
    """
    check_allowed(entry)
    kind = str(entry.get("kind", ""))
    sk = REGISTRY.get(kind)
    if sk is None:
        raise UsageError(f"{where}: unknown source kind '{kind}'. Known kinds: {', '.join(sorted(REGISTRY))}", "Unknown source")
    allowed = {"kind", "key", "base_url", *POLITENESS, *([sk.param] if sk.param else []), *sk.optional}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise UsageError(f"{where}: '{kind}' does not take {', '.join(unknown)} (accepted: {', '.join(sorted(allowed - {'kind'}))})", "Bad source")
    if sk.required and sk.param and not entry.get(sk.param):
        raise UsageError(f"{where}: '{kind}' needs {sk.param} = \"…\" (e.g. {kind}:{'https://example.com/careers' if sk.param == 'url' else 'acme'})", "Bad source")
    if "company" in entry and sk.param != "company" and (not isinstance(entry["company"], str) or not entry["company"].strip()):
        raise UsageError(f"{where}: company must be the employer's name as text, e.g. company = \"Acme Corp\"; "
                         f"got {entry['company']!r}", "Bad source")
    if kind == "github" and not any(entry.get(k) for k in ("login", "location", "language", "query")):
        raise UsageError(f"{where}: 'github' needs login, location, language or query (e.g. github:location=Lyon,language=python)", "Bad source")
    source_settings(entry)  # raises on a bad politeness value
    for key in ("url", "base_url"):
        if entry.get(key) and not _is_url(str(entry[key])):
            raise UsageError(f"{where}: {key} must start with http:// or https://, got {entry[key]!r}", "Bad source")
    return sk


def source_key(entry: dict[str, Any]) -> str:
    """Return the stable key naming a configured source, e.g. "greenhouse:acme"."""
    if entry.get("key"):
        return str(entry["key"])
    kind = str(entry["kind"])
    sk = REGISTRY.get(kind)
    # A display name is not part of the source's identity: naming the company keeps the key.
    label = () if sk and sk.param == "company" else ("company",)
    params = {k: v for k, v in entry.items() if k not in ("kind", "key", "base_url", *POLITENESS, *label)}
    if sk and sk.param and list(params) == [sk.param]:
        return f"{kind}:{_flat(params[sk.param])}"
    if not params:
        return kind
    return kind + ":" + ",".join(f"{k}={_flat(v)}" for k, v in sorted(params.items()))


def _flat(value: Any) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def spider_args(entry: dict[str, Any]) -> dict[str, str]:
    """Return the `-a name=value` arguments for the entry's spider (lists joined by commas)."""
    args = {k: _flat(v) for k, v in entry.items() if k not in ("kind", "key", *POLITENESS)}
    args["source_key"] = source_key(entry)
    return args


def find_source(entries: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    """Return the configured entry whose key (or kind, when unique) is `wanted`."""
    for e in entries:
        if source_key(e) == wanted:
            return e
    same_kind = [e for e in entries if e.get("kind") == wanted]
    return same_kind[0] if len(same_kind) == 1 else None
