"""Provides the nightly run's log: a rotating file in the user state dir, secrets redacted.

`nightly_logging(path)` attaches a `RotatingFileHandler` (1 MB x 5 files, default
`<user state dir>/nightly.log`) to the `sourcing`, `ranking` and `spiders` loggers
for the duration of a run. A filter on the handler replaces the value of every
secret-looking environment variable (GITHUB_TOKEN and any *_TOKEN, *_SECRET,
*_PASSWORD, *_KEY) and `token=…`/`Authorization: …` fragments with `***`, so a
token never reaches the log file whatever a library decides to log.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGERS = ("sourcing", "ranking", "spiders")
_SECRET_ENV = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|_KEY)$", re.I)
_SECRET_TEXT = re.compile(
    r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer\s+|token\s+|basic\s+)?|\b(?:access_)?token['\"]?\s*[=:]\s*['\"]?|\bpassword['\"]?\s*[=:]\s*['\"]?)([^\s&'\",}]+)"
)


def default_log_path() -> Path:
    """`<user state dir>/nightly.log` (platformdirs)."""
    from sourcing.config import state_dir

    return state_dir() / "nightly.log"


class RedactSecrets(logging.Filter):
    """Replace secrets in the final message (args merged) before a handler writes it."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__()
        env = os.environ if env is None else env
        # Short values would redact ordinary words; real tokens are long.
        self.secrets = sorted({v for k, v in env.items() if _SECRET_ENV.search(k) and len(v) >= 8}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return `text` with every known secret and token-looking fragment masked."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _SECRET_TEXT.sub(lambda m: m.group(1) + "***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = self.redact(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


@contextmanager
def nightly_logging(path: Path | None = None, *, level: int = logging.INFO) -> Iterator[Path]:
    """Log the `sourcing`/`ranking`/`spiders` loggers to a rotating file while inside.

    Yields:
        The log file's path.
    """
    path = path or default_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    handler.setLevel(level)
    saved = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        if logger.level == logging.NOTSET or logger.level > level:
            logger.setLevel(level)
        logger.addHandler(handler)
    try:
        os.chmod(path, 0o600)
        yield path
    finally:
        for logger, old_level in saved:
            logger.removeHandler(handler)
            logger.setLevel(old_level)
        handler.close()
