"""Tests the config edits of `sources add|remove` and the theme: valid TOML in any spelling, comments kept."""

from __future__ import annotations

import tomllib

from cli_helpers import run_sourcing as sourcing
from sourcing.config import load_config
from sourcing.config_edit import append_source, remove_sources, set_value

HAND_WRITTEN = """\
# Our sourcing setup (hand-written; keep my notes)
db = "team.db"

[crawl]
contact = "talent@acme.example"  # the team inbox

[[sources]]  # our board
kind = "greenhouse"
board = "acme"

[[ sources ]]
kind = "lever"   # a competitor
site = "beta"

[[sources]]
kind = "ashby"
name = "gamma"

[ranking]
top = 5  # short lists
"""


def test_sources_remove_understands_any_valid_spelling_and_keeps_comments(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(HAND_WRITTEN)
    base = ("--config", str(cfg))
    listed = sourcing(*base, "sources", "list", "--csv").stdout.splitlines()
    assert [ln.split(",")[0] for ln in listed[1:]] == ["greenhouse:acme", "lever:beta", "ashby:gamma"]
    for key in ("greenhouse:acme", "lever:beta"):  # `[[sources]]  # comment` and `[[ sources ]]`
        r = sourcing(*base, "sources", "remove", key)
        assert r.returncode == 0, r.stderr
        assert f"Removed {key} (1 entry)" in r.stderr
    text = cfg.read_text()
    assert "# Our sourcing setup (hand-written; keep my notes)" in text
    assert 'contact = "talent@acme.example"  # the team inbox' in text and "top = 5  # short lists" in text
    data = tomllib.loads(text)
    assert data["sources"] == [{"kind": "ashby", "name": "gamma"}] and data["ranking"] == {"top": 5}
    assert sourcing(*base, "sources", "remove", "lever:beta").returncode == 4


def test_sources_add_appends_a_table_that_loads_back(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(HAND_WRITTEN)
    r = sourcing("--config", str(cfg), "sources", "add", "github:location=Lyon,language=python")
    assert r.returncode == 0, r.stderr
    loaded = load_config(cfg, env={})
    assert [e["kind"] for e in loaded.sources] == ["greenhouse", "lever", "ashby", "github"]
    assert loaded.sources[-1]["location"] == "Lyon" and loaded.get("ranking.top") == 5
    assert "[[sources]]  # our board" in cfg.read_text()


def test_last_source_removed_and_missing_file(tmp_path):
    cfg = tmp_path / "config.toml"
    append_source(cfg, {"kind": "greenhouse", "board": "acme"})  # a missing file starts from the starter config
    assert "# Precedence: command-line flag" in cfg.read_text()
    assert remove_sources(cfg, lambda e: e["board"] == "acme") == 1
    assert load_config(cfg, env={}).sources == []
    assert remove_sources(tmp_path / "none.toml", lambda e: True) == 0


def test_set_value_creates_or_updates_a_table(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(HAND_WRITTEN)
    set_value(cfg, "tui.theme", "nord")
    set_value(cfg, "ranking.top", 9)
    data = tomllib.loads(cfg.read_text())
    assert data["tui"] == {"theme": "nord"} and data["ranking"]["top"] == 9
    assert len(data["sources"]) == 3 and "# the team inbox" in cfg.read_text()
