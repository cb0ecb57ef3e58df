"""Provides settings: a TOML file, `SOURCING_*` environment overrides and defaults.

Precedence, highest first: command-line flag > environment > config file > default.

- File: `--config PATH`, else `$SOURCING_CONFIG`, else `<user config dir>/sourcing/config.toml`
  (platformdirs; e.g. `~/.config/sourcing/config.toml` on Linux). A missing file is fine.
- Environment: `SOURCING_<SECTION>__<KEY>` (nested with a double underscore), e.g.
  `SOURCING_RANKING__MODEL=…`, `SOURCING_CRAWL__CONTACT=…`; top-level keys drop the
  section: `SOURCING_DB=…`. Values are parsed as TOML scalars when they can be
  (`true`, `3`, `0.5`, `["a", "b"]`), otherwise taken as strings.
- Flags: `--db` overrides `db`.

Every setting is declared once in `SETTINGS` with its type, default and help; the
starter file written by `sourcing init` is generated from it, so it lists them all.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sourcing.errors import ConfigError

APP_NAME = "sourcing"


@dataclass(frozen=True)
class Setting:
    """One setting: dotted key, expected type(s), default and one line of help."""

    key: str
    types: tuple[type, ...]
    default: Any
    help: str
    expected: str = ""

    def describe(self) -> str:
        return self.expected or " or ".join(t.__name__ for t in self.types)


def _s(key: str, types: type | tuple[type, ...], default: Any, help: str, expected: str = "") -> Setting:
    return Setting(key, types if isinstance(types, tuple) else (types,), default, help, expected)


SETTINGS: list[Setting] = [
    _s("db", str, "", "Database: a file path or any SQLAlchemy URL. Empty = <user data dir>/sourcing.db."),
    _s("actor", str, "", "Name recorded in the audit log for your decisions. Empty = your login name."),
    # crawling
    _s("crawl.contact", str, "", "Your contact (e-mail or URL) sent in the User-Agent so site owners can reach you."),
    _s("crawl.user_agent", str, "sourcing/0.1 (+https://github.com/sourcing-app/sourcing)", "Product part of the User-Agent."),
    _s("crawl.concurrent_per_domain", int, 1, "At most this many requests in flight per domain (1-2)."),
    _s("crawl.download_delay", (int, float), 1.0, "Seconds between requests to one domain (AutoThrottle adapts from it)."),
    _s("crawl.autothrottle", bool, True, "Adapt the delay to the server's latency."),
    _s("crawl.retry_times", int, 3, "Retries on 429/5xx/timeouts, with backoff honouring Retry-After."),
    _s("crawl.max_retry_after", (int, float), 600, "Longest Retry-After (seconds) we wait for before giving up on a request."),
    _s("crawl.httpcache", bool, False, "Cache HTTP responses on disk (development only)."),
    _s("crawl.github_hireable_only", bool, True, "GitHub: keep only users who set themselves as hireable."),
    _s("crawl.jobdir", str, "", "Folder for resumable crawl state. Empty = <user state dir>/crawls."),
    _s("crawl.scrapyd", list, [], "scrapyd nodes that run the crawls, e.g. [\"http://10.0.0.5:6800\"]; empty = crawl on this machine (docs/deploy.md).", "a list of scrapyd URLs"),
    # ranking
    _s("ranking.model", str, "default", "Encoder for English text: 'default' (packaged all-MiniLM-L6-v2), 'muse' (multilingual USE), or a sentence-transformers model folder."),
    _s("ranking.multilingual_model", str, "muse", "Encoder used when a job or profile is not English (e.g. French)."),
    _s("ranking.device", str, "auto", "'auto' (CUDA when available, else CPU), 'cpu' or 'cuda'."),
    _s("ranking.runtime", str, "auto", "'auto' (onnxruntime for BERT models with mean pooling such as the packaged MiniLM, no torch import; torch for others and on CUDA), 'onnx' or 'torch'."),
    _s("ranking.top", int, 30, "Default number of candidates shown by `sourcing rank`."),
    _s("ranking.weights", dict, {}, "Score weights, e.g. {dense = 0.45, lexical = 0.2, skills = 0.25, constraints = 0.1}. Set = the hand-weighted sum of these instead of the learned fusion. Empty = the fusion.", "a table of numbers"),
    _s("ranking.fusion", str, "learned", "How signals become one score: 'learned' (the packaged fusion), 'weights' (the hand weights) or a model file from ranking.tools.train_fusion."),
    _s("ranking.feedback", bool, True, "Let R in the review app and `sourcing rank --feedback` re-rank with your shortlist/reject decisions."),
    _s("ranking.float16", bool, False, "Keep the in-memory vector matrix in float16 (half the memory)."),
    _s("ranking.retrieve", int, 2000, "K: candidates retrieved from the indexes, re-ranked with every signal and saved per job (`sourcing rank --retrieve N`, W in the review app widen it)."),
    _s("ranking.enabled", bool, True, "Human oversight switch: false = no automated ordering (neutral order per job, must-have checklist, no score)."),
    # privacy
    _s("privacy.rejected_retention_days", int, 90, "Erase rejected candidates this many days after the decision (CNIL guidance)."),
    _s("privacy.pool_retention_days", int, 730, "Erase talent-pool candidates this many days after their last activity (2 years, CNIL)."),
    _s("privacy.blind", bool, False, "Start the review app and rankings in blind mode."),
    _s("privacy.controller", str, "", "GDPR controller named in Art. 14 notices: name, address and a contact e-mail (the drafts' sender)."),
    _s("privacy.dpo", str, "", "Data protection officer's contact for the notices. Empty = none appointed."),
    _s("privacy.legal_basis", str, "legitimate interest (GDPR Art. 6(1)(f)): finding candidates for our open roles", "Legal basis stated in the notices."),
    _s("privacy.retention", str, "", "Retention period stated in the notices. Empty = said from the retention days above."),
    _s("privacy.no_notice_action", str, "keep", "'keep' or 'erase': the nightly run erases people whose notice deadline passed with no notice sent or exemption recorded."),
    _s("privacy.notice_templates", str, "", "Folder with notice_en.txt / notice_fr.txt overriding the packaged notice texts."),
    _s("privacy.run_log_days", int, 183, "Keep ranking-run logs this many days (AI Act: at least 183, six months)."),
    # import
    _s("import.max_file_mb", (int, float), 10, "Files bigger than this many megabytes are refused by `sourcing candidates import`."),
    # export
    _s("export.columns", list, [], "Export columns; empty = rank, score, name, headline, location, email, status, matched, missing, sources.", "a list of column names"),
    # brand
    _s("brand.company", str, "", "Your company's name as it appears on postings (marks them as ours)."),
    _s("brand.own_sources", list, [], "Source keys that are ours, e.g. [\"greenhouse:acme\"].", "a list of source keys"),
    _s("brand.strong_score", (int, float), 0.6, "A ranked candidate scoring at least this is a strong match; our roles with fewer than 3 are hard to fill."),
    _s("brand.max_days_open", int, 45, "Our roles open longer than this many days are hard to fill."),
    # nightly
    _s("nightly.reports_dir", str, "", "Where nightly reports go. Empty = <user data dir>/reports."),
    _s("nightly.top", int, 20, "A candidate 'entering the top N' of a job is reported."),
    _s("nightly.crawl_timeout", int, 3600, "Stop one source's nightly crawl after this many seconds (0 = never); it resumes the next night."),
    # tui
    _s("tui.keymap", dict, {}, "Remap review-app keys by binding id, e.g. {shortlist = \"S\"}.", "a table of binding id = key"),
    _s("tui.theme", str, "", "Review-app colour theme (e.g. \"nord\", \"gruvbox\"); set when you pick one with ctrl+p > Theme. Empty = textual-dark."),
]
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}
# Numeric settings with a valid range (inclusive; None = unbounded), checked on load.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "privacy.rejected_retention_days": (1, None),
    "privacy.pool_retention_days": (1, None),
    "ranking.top": (1, None),
    "nightly.top": (1, None),
    "nightly.crawl_timeout": (0, None),
    "import.max_file_mb": (0.001, None),
    "crawl.concurrent_per_domain": (1, 2),
    "crawl.download_delay": (0, None),  # 0 is raised to the 0.001 s minimum (spiders/settings.py)
    "crawl.retry_times": (0, None),
    "crawl.max_retry_after": (0, None),
    "brand.max_days_open": (1, None),
}
SOURCE_KEYS = ("kind", "board", "site", "name", "url", "query", "region", "language", "location", "account", "company", "thread")


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME))


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def state_dir() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME))


def default_config_path() -> Path:
    env = os.environ.get("SOURCING_CONFIG")
    return Path(env) if env else config_dir() / "config.toml"


@dataclass
class Config:
    """Resolved settings. Read with `config.get("ranking.model")`."""

    path: Path
    values: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # key -> "default"|"file"|"env"|"flag"

    def get(self, key: str) -> Any:
        return self.values[key]

    def section(self, name: str) -> dict[str, Any]:
        prefix = name + "."
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}

    @property
    def db_url(self) -> str:
        return self.values["db"] or str(data_dir() / "sourcing.db")

    @property
    def actor(self) -> str:
        if self.values["actor"]:
            return self.values["actor"]
        try:
            return os.getlogin()
        except OSError:
            return os.environ.get("USER", "recruiter")


def _check(setting: Setting, value: Any, where: str) -> Any:
    if float in setting.types and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = isinstance(value, setting.types) and not (isinstance(value, bool) and bool not in setting.types)
    if not ok:
        raise ConfigError(
            f"{where}: '{setting.key}' must be {setting.describe()}, got {value!r}. {setting.help}",
            "Invalid config",
        )
    low, high = RANGES.get(setting.key, (None, None))
    if (low is not None and value < low) or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if low is not None and high is not None else f"at least {low:g}"
        raise ConfigError(f"{where}: '{setting.key}' must be {bound}, got {value!r}. {setting.help}", "Invalid config")
    if setting.key == "tui.keymap":
        from sourcing.keymap import keymap_problem

        for binding, keys in value.items():
            problem = keymap_problem(str(binding), keys)
            if problem:
                raise ConfigError(f"{where}: 'tui.keymap.{binding}' {problem}", "Invalid config")
    return value


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in table.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and key not in SETTINGS_BY_KEY:
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _parse_env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def validate_source(entry: Any, where: str, number: int | None = None) -> dict[str, Any]:
    """Check one `[[sources]]` table on load: its kind, parameters, politeness values, and no secrets.

    A site on the refusal list is not an error here (the crawl refuses it, exit 5);
    everything else wrong with the table is, so a bad table fails `config show` too.

    Raises:
        ConfigError: names the file, the table's number and the key.
    """
    from sourcing.errors import SourceRefusedError, UsageError
    from sourcing.sources import validate_entry

    if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
        raise ConfigError(f"{where}: each [[sources]] entry needs kind = \"…\" (e.g. kind = \"greenhouse\", board = \"acme\")", "Invalid config")
    for k, v in entry.items():
        if not isinstance(v, (str, int, float, bool, list)):
            raise ConfigError(f"{where}: [[sources]] key '{k}' must be a string, number, boolean or list", "Invalid config")
    label = f"{where}: [[sources]] #{number} (kind = \"{entry['kind']}\")" if number else f"{where}: [[sources]]"
    try:
        validate_entry(entry, label)
    except SourceRefusedError:
        pass
    except UsageError as exc:
        raise ConfigError(exc.msg, "Invalid config") from exc
    return entry


def load_config(path: str | os.PathLike[str] | None = None, *, db: str | None = None, env: dict[str, str] | None = None) -> Config:
    """Resolve settings with precedence flag > env > file > default.

    Args:
        path: the config file (`--config`); default `default_config_path()`.
        db: the `--db` flag, if given.
        env: environment to read (default `os.environ`).

    Raises:
        ConfigError: the file is not valid TOML, a key is unknown or a value has the wrong type.
    """
    env = dict(os.environ) if env is None else env
    cfg_path = Path(path) if path else default_config_path()
    values = {s.key: s.default for s in SETTINGS}
    origins = {s.key: "default" for s in SETTINGS}
    sources: list[dict[str, Any]] = []
    if path and not cfg_path.exists():
        raise ConfigError(f"{cfg_path}: config file not found. Create one with `sourcing init --config {cfg_path}`.", "Config not found")
    if cfg_path.exists():
        try:
            data = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cfg_path}: not valid TOML ({exc}). Fix the file or rewrite it with `sourcing init --force`.", "Invalid config") from exc
        raw_sources = data.pop("sources", [])
        if not isinstance(raw_sources, list):
            raise ConfigError(f"{cfg_path}: 'sources' must be an array of tables ([[sources]])", "Invalid config")
        sources = [validate_source(e, str(cfg_path), i) for i, e in enumerate(raw_sources, start=1)]
        for key, value in _flatten(data).items():
            setting = SETTINGS_BY_KEY.get(key)
            if setting is None:
                known = ", ".join(sorted(SETTINGS_BY_KEY))
                raise ConfigError(f"{cfg_path}: unknown key '{key}'. Known keys: {known}", "Invalid config")
            values[key] = _check(setting, value, str(cfg_path))
            origins[key] = "file"
    for name, raw in env.items():
        if not name.startswith("SOURCING_") or name == "SOURCING_CONFIG":
            continue
        key = name[len("SOURCING_"):].lower().replace("__", ".")
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            continue  # other SOURCING_* variables (test hooks, spider settings) are not ours
        value = raw if str in setting.types else _parse_env_value(raw)
        values[key] = _check(setting, value, f"environment variable {name}")
        origins[key] = "env"
    if db:
        values["db"] = db
        origins["db"] = "flag"
    return Config(path=cfg_path, values=values, sources=sources, origins=origins)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def starter_config(contact: str = "") -> str:
    """Return a commented config file listing every setting with its default."""
    lines = [
        "# sourcing configuration. Every setting is listed with its default, commented out.",
        "# Precedence: command-line flag > SOURCING_<SECTION>__<KEY> environment > this file > default.",
        "",
    ]
    section = None
    for s in SETTINGS:
        sect, _, name = s.key.rpartition(".")
        if sect != section:
            if sect:
                lines += ["", f"[{sect}]"]
            section = sect
        lines.append(f"# {s.help}")
        if s.key == "crawl.contact" and contact:
            lines.append(f"{name} = {_toml_value(contact)}")
        else:
            lines.append(f"# {name} = {_toml_value(s.default)}")
    lines += [
        "",
        "# Sources to crawl; add them with `sourcing sources add greenhouse:acme`.",
        "# [[sources]]",
        '# kind = "greenhouse"',
        '# board = "acme"',
        "",
    ]
    return "\n".join(lines)
