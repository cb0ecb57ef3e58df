"""Provides the GitHub profiles spider, REST API only (`scrapy crawl github -a location=Lyon -a language=python`).

Keeps only users who declared themselves hireable unless configured otherwise
(`crawl.github_hireable_only = false` or `-a hireable_only=false`). The token
comes from the GITHUB_TOKEN environment variable and is sent only as a header:
it is never a spider argument or a setting, so it never reaches the log.
"""

from __future__ import annotations

import os
from typing import Any, AsyncIterator
from urllib.parse import quote, urlsplit

from scrapy.http import Response

from spiders.base import SourcingSpider
from spiders.parsers import github as parser
from spiders.parsers.common import MalformedPayload, MalformedRecord


class GithubSpider(SourcingSpider):
    """Searches users (or takes -a login=a,b), reads each profile and their repositories' languages."""

    name = "github"
    private_args = ("login",)
    default_base_url = "https://api.github.com"

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        # 5,000 requests/hour with a token (one per 0.72 s); 60/hour without.
        settings.set("DOWNLOAD_DELAY", 0.75 if os.environ.get("GITHUB_TOKEN") else 60.0, priority="spider")

    def __init__(self, login: str = "", location: str = "", language: str = "", query: str = "",
                 hireable_only: str = "", max_users: str = "100", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.logins = [x.strip() for x in login.split(",") if x.strip()]
        terms = [query.strip()] if query.strip() else []
        terms += [f"location:{loc.strip()}" for loc in location.split(",") if loc.strip()]
        terms += [f"language:{lang.strip()}" for lang in language.split(",") if lang.strip()]
        self.search = " ".join(terms)
        if not self.logins and not self.search:
            raise ValueError("github needs -a login=... or -a location=/language=/query=")
        self.hireable_arg = hireable_only.strip().lower()
        self.max_users = int(max_users) if str(max_users).isdigit() else 100
        self.seen = 0

    @property
    def hireable_only(self) -> bool:
        if self.hireable_arg in ("false", "0", "no"):
            return False
        if self.hireable_arg in ("true", "1", "yes"):
            return True
        settings = getattr(self, "settings", None)  # absent when the spider is built outside a crawl
        return settings.getbool("SOURCING_GITHUB_HIREABLE_ONLY", True) if settings is not None else True

    def api(self, url: str, callback: Any, **kwargs: Any) -> Any:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        token = os.environ.get("GITHUB_TOKEN")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.request(url, callback, headers=headers, **kwargs)

    async def start(self) -> AsyncIterator[Any]:
        for login in self.logins:
            yield self.user_request(login)
        if self.search:
            yield self.api(f"{self.base_url}/search/users?q={quote(self.search)}&per_page=100", self.parse_search)

    def user_request(self, login: str) -> Any:
        # One resume key for the whole chain user -> repos: once the profile is stored, neither is refetched.
        key = f"github:{login.lower()}"
        return self.api(f"{self.base_url}/users/{quote(login)}", self.parse_user, meta={"resume_key": key})

    def parse_search(self, response: Response) -> Any:
        try:
            logins = parser.search_logins(self.load_json(response))
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        for login in logins:
            if self.seen >= self.max_users:
                return
            self.seen += 1
            yield self.user_request(login)
        nxt = parser.next_link(response.headers.get(b"Link", b"").decode("latin-1"))
        if nxt and self.seen < self.max_users:
            parts = urlsplit(nxt)
            yield self.api(f"{self.base_url}{parts.path}?{parts.query}", self.parse_search)

    def parse_user(self, response: Response) -> Any:
        try:
            user = self.load_json(response)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            return
        if not isinstance(user, dict) or not user.get("login"):
            self.record_drop(response.url, "github user: missing 'login'")
            return
        if self.hireable_only and not user.get("hireable"):
            self.report.skip("not hireable")  # not looking for work: we do not keep them, but the run says so
            return
        login = str(user["login"])
        yield self.api(f"{self.base_url}/users/{quote(login)}/repos?per_page=100&sort=pushed&type=owner",
                       self.parse_repos, cb_kwargs={"user": user}, meta={"resume_key": response.request.meta.get("resume_key")},
                       errback=self.on_repos_error)

    def on_repos_error(self, failure: Any) -> Any:
        """The repos request failed (HTTP error, timeout): count the error, keep the profile without languages."""
        self.on_error(failure)
        user = failure.request.cb_kwargs.get("user") if getattr(failure, "request", None) is not None else None
        if user is None:
            return
        try:
            yield parser.to_profile(user, None, source_key=self.source_key)
        except (MalformedRecord, MalformedPayload) as exc:
            self.record_drop(failure.request.url, str(exc))

    def parse_repos(self, response: Response, user: dict[str, Any]) -> Any:
        try:
            repos = self.load_json(response)
        except MalformedPayload as exc:
            self.record_error(response.url, str(exc))
            repos = None  # the profile is still worth keeping without languages
        try:
            yield parser.to_profile(user, repos if isinstance(repos, list) else None, source_key=self.source_key)
        except (MalformedRecord, MalformedPayload) as exc:
            self.record_drop(response.url, str(exc))
