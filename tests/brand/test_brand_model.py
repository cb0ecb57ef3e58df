"""Tests the real path: role families from the packaged sentence model, and the Brand screen from the review app."""

from __future__ import annotations

import pytest

from ranking.brand.service import build_insights, load_brand_encoder

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def real_encoder():
    from sourcing.config import load_config

    return load_brand_encoder(load_config(None, env={}))  # the packaged all-MiniLM-L6-v2


def test_real_model_groups_roles_across_languages(market_store, brand_config, real_encoder, now):
    ins = build_insights(market_store, brand_config, encoder=real_encoder, now=now)
    fams = {f.label: f for f in ins.families}
    assert set(fams) == {"backend engineer", "data engineer"}
    data_companies = {p.company for p in fams["data engineer"].market}
    assert "Hooli" in data_companies  # "Data Engineer (F/H)", described in French, joins its English peers
    assert len(fams["backend engineer"].ours) == 2 and len(fams["backend engineer"].market) == 5


async def test_review_app_opens_the_brand_screen(market_store, brand_config, real_encoder, tmp_path):
    from textual.widgets import DataTable

    from tui.app import make_app
    from tui.screens.brand import BrandScreen

    app = make_app(brand_config, market_store, export_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("i")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert isinstance(app.screen, BrandScreen)
        table = app.screen.query_one("#brand-ideas", DataTable)
        assert table.row_count >= 8
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
    from sourcing.storage.brand import list_ideas

    assert [r["status"] for r in list_ideas(market_store, status="accepted")] == ["accepted"]


def test_cached_encoder_embeds_each_posting_once(market_store, brand_config, now):
    from ranking.brand.service import load_brand_encoder

    cached = load_brand_encoder(brand_config, market_store)
    before = market_store.count_embeddings()
    first = build_insights(market_store, brand_config, encoder=cached, now=now)
    stored = market_store.count_embeddings() - before
    assert stored > 0 and cached.cache.stats.embedded == stored
    second = build_insights(market_store, brand_config, encoder=cached, now=now)
    assert market_store.count_embeddings() - before == stored  # nothing new to embed
    assert [f.label for f in second.families] == [f.label for f in first.families]
