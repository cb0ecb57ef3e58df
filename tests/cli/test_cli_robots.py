"""Tests that `sources add` reads robots.txt as the crawl does (Protego), on real-world robots files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcing.errors import SourceRefusedError
from sourcing.sources import check_robots, robots_allows

ROBOTS = Path(__file__).resolve().parent.parent / "fixtures" / "cli" / "robots"
UA = "sourcing/0.1 (+https://github.com/sourcing-app/sourcing) (contact: talent@example.com)"


def crawl_allows(robots_txt: str, url: str) -> bool:
    """What the crawl decides: Scrapy's own Protego-backed robots parser, as RobotsTxtMiddleware builds it."""
    from scrapy.robotstxt import ProtegoRobotParser

    return ProtegoRobotParser(robots_txt.encode(), spider=None).allowed(url, UA)


@pytest.mark.parametrize("host, url, allowed", [
    # `Allow: /` comes first; the longer `Disallow: /about/careers/job/` wins (first-match readers say allowed).
    ("www.xero.com", "https://www.xero.com/about/careers/job/", False),
    ("www.xero.com", "https://www.xero.com/about/careers/", True),
    # The longer `Allow: /wp-admin/admin-ajax.php` wins over `Disallow: /wp-admin/`.
    ("akc.org", "https://www.akc.org/wp-admin/admin-ajax.php", True),
    ("akc.org", "https://www.akc.org/wp-admin/options.php", False),
    # `Disallow: /*?page=`: a wildcard, not a literal path.
    ("www.rfi.fr", "https://www.rfi.fr/fr/emploi?page=2", False),
    ("www.rfi.fr", "https://www.rfi.fr/fr/emploi", True),
    # `Disallow: /*.json$`: the end anchor lets a query string through.
    ("www.redbubble.com", "https://www.redbubble.com/jobs/openings.json", False),
    ("www.redbubble.com", "https://www.redbubble.com/jobs/openings.json?page=1", True),
    ("www.redbubble.com", "https://www.redbubble.com/jobs", True),
])
def test_sources_add_and_the_crawl_agree_on_real_robots_files(host, url, allowed):
    text = (ROBOTS / f"{host}.txt").read_text(encoding="utf-8")
    assert robots_allows(text, url, UA) is allowed
    assert crawl_allows(text, url) is allowed
    if allowed:
        check_robots(text, url, UA)
    else:
        with pytest.raises(SourceRefusedError, match="robots.txt disallows"):
            check_robots(text, url, UA)


def test_no_robots_file_allows_everything():
    check_robots(None, "https://acme.example/careers", UA)
