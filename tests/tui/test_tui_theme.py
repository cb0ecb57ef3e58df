"""Tests that a theme picked in the review app is kept in the config file and used on the next start."""

from __future__ import annotations

import tomllib

from pilot_helpers import write_config


async def test_theme_picked_is_saved_and_restored(make_review_app, tmp_path):
    config = write_config(tmp_path, "# my notes stay\n[ranking]\ntop = 7\n")
    app = make_review_app(config)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.theme == "textual-dark"
        app.theme = "nord"  # what ctrl+p > "Change theme" does
        await pilot.pause()
    text = config.path.read_text()
    assert tomllib.loads(text)["tui"]["theme"] == "nord"
    assert "# my notes stay" in text and tomllib.loads(text)["ranking"]["top"] == 7
    again = make_review_app(write_config_reload(config))
    async with again.run_test(size=(120, 36)):
        assert again.theme == "nord"


async def test_unknown_saved_theme_falls_back_and_is_not_rewritten(make_review_app, tmp_path):
    config = write_config(tmp_path, '[tui]\ntheme = "no-such-theme"\n')
    app = make_review_app(config)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.theme == "textual-dark"
        await pilot.pause()
    assert 'theme = "no-such-theme"' in config.path.read_text()


def write_config_reload(config):
    from sourcing.config import load_config

    return load_config(config.path, env={})
