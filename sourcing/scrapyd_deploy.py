"""Provides the `spiders` egg and its upload to scrapyd nodes (`addversion.json`): what `scrapyd-deploy` does.

The egg holds the `spiders` package and the entry point scrapyd reads
(`[scrapy] settings = spiders.settings`); `sourcing` itself (the store, the parsers'
shared helpers) comes from the node's environment, where `sourcing[postgres,scrapyd]` is
installed at the same version. Nothing here imports Scrapy or the spiders: the package's
files are read from disk, beside this one.
"""

from __future__ import annotations

import io
import json
import secrets
import time
import zipfile
from pathlib import Path
from typing import Any

from sourcing.scrapyd import PROJECT, Node

SPIDERS_DIR = Path(__file__).resolve().parent.parent / "spiders"


def build_egg(version: str) -> bytes:
    """The `spiders` project as an egg (a zip file), for scrapyd's `addversion.json`."""
    from sourcing.errors import UsageError

    if not (SPIDERS_DIR / "settings.py").is_file():
        raise UsageError(f"{SPIDERS_DIR}: the spiders package is not there (install sourcing from its source tree)", "No spiders")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as egg:
        for path in sorted(SPIDERS_DIR.rglob("*.py")):
            if "__pycache__" not in path.parts:
                egg.write(path, f"spiders/{path.relative_to(SPIDERS_DIR).as_posix()}")
        egg.writestr("EGG-INFO/PKG-INFO", f"Metadata-Version: 1.1\nName: {PROJECT}\nVersion: {version}\n")
        egg.writestr("EGG-INFO/entry_points.txt", "[scrapy]\nsettings = spiders.settings\n")
        egg.writestr("EGG-INFO/top_level.txt", "spiders\n")
        egg.writestr("EGG-INFO/zip-safe", "")
    return buf.getvalue()


def default_version() -> str:
    """A version that sorts after earlier deploys (scrapyd runs the newest by default)."""
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime())


def deploy(node: Node, egg: bytes, version: str) -> dict[str, Any]:
    """Upload `egg` as `version` of the project to `node`; scrapyd's answer ({"spiders": N, ...})."""
    import urllib.error
    import urllib.request

    from sourcing.errors import CrawlError
    from sourcing.scrapyd import NodeDown

    boundary = "sourcing-" + secrets.token_hex(8)
    parts = []
    for name, value in (("project", PROJECT), ("version", version)):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{PROJECT}.egg"\r\n'
                 'Content-Type: application/octet-stream\r\n\r\n'.encode() + egg + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    req = urllib.request.Request(f"{node.url.rstrip('/')}/addversion.json", data=b"".join(parts),
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310 - the configured node URL
            body = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise CrawlError(f"scrapyd {node.url}: addversion.json answered HTTP {exc.code}", "Deploy failed") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise NodeDown(f"{node.url}: {exc}") from exc
    if body.get("status") != "ok":
        raise CrawlError(f"scrapyd {node.url}: the egg was refused: {body.get('message', body)}", "Deploy failed")
    return body
