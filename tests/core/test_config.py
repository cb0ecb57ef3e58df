"""Config tests: precedence flag > env > file > default, validation messages, starter file."""

from __future__ import annotations

import tomllib

import pytest

from sourcing.config import SETTINGS, load_config, starter_config
from sourcing.config_edit import append_source, remove_sources
from sourcing.errors import ConfigError


def test_precedence_flag_env_file_default(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('db = "/from/file.db"\n[ranking]\ntop = 5\nmodel = "file-model"\n')
    env = {"SOURCING_DB": "/from/env.db", "SOURCING_RANKING__TOP": "7"}
    c = load_config(cfg, env=env)
    assert c.get("ranking.top") == 7 and c.origins["ranking.top"] == "env"
    assert c.get("ranking.model") == "file-model" and c.origins["ranking.model"] == "file"
    assert c.get("privacy.rejected_retention_days") == 90 and c.origins["privacy.rejected_retention_days"] == "default"
    assert c.db_url == "/from/env.db"
    assert load_config(cfg, env=env, db="/from/flag.db").db_url == "/from/flag.db"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[ranking]\ntop = \"many\"\n", "'ranking.top' must be int"),
        ("[ranking]\nmodle = \"x\"\n", "unknown key 'ranking.modle'"),
        ("[ranking\n", "not valid TOML"),
        ("[[sources]]\nboard = \"acme\"\n", "needs kind"),
    ],
)
def test_invalid_config_names_file_key_and_expectation(tmp_path, body, message):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(body)
    with pytest.raises(ConfigError) as exc:
        load_config(cfg, env={})
    assert message in exc.value.msg and str(cfg) in exc.value.msg
    assert int(exc.value.exit_status) == 2


def test_bad_env_value_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="SOURCING_CRAWL__AUTOTHROTTLE"):
        load_config(None, env={"SOURCING_CRAWL__AUTOTHROTTLE": "maybe"})


def test_explicit_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="sourcing init --config"):
        load_config(tmp_path / "none.toml", env={})


def test_starter_config_lists_every_setting_and_parses():
    text = starter_config(contact="hr@acme.example")
    for s in SETTINGS:
        assert f"{s.key.rpartition('.')[2]} = " in text
    data = tomllib.loads(text)
    assert data["crawl"]["contact"] == "hr@acme.example"


def test_sources_append_and_remove_keep_comments(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("# my notes\n[ranking]\ntop = 3\n")
    append_source(cfg, {"kind": "greenhouse", "board": "acme"})
    append_source(cfg, {"kind": "lever", "site": "beta"})
    assert [s["kind"] for s in load_config(cfg, env={}).sources] == ["greenhouse", "lever"]
    assert remove_sources(cfg, lambda e: e["kind"] == "greenhouse") == 1
    c = load_config(cfg, env={})
    assert c.sources == [{"kind": "lever", "site": "beta"}] and c.get("ranking.top") == 3
    assert "# my notes" in cfg.read_text()
