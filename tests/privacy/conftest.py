"""Provides the privacy tests' fixtures: a config naming a controller, people on a real SQLite store."""

from __future__ import annotations

import pytest

from privacy_helpers import CONTROLLER

from sourcing.config import load_config


@pytest.fixture
def config_path(tmp_path, db_path):
    path = tmp_path / "config.toml"
    path.write_text(f'db = "{db_path}"\nactor = "amy"\n[privacy]\ncontroller = "{CONTROLLER}"\n'
                    'dpo = "dpo@brightwave.example"\n', encoding="utf-8")
    return path


@pytest.fixture
def config(config_path, db_path):
    return load_config(config_path)
