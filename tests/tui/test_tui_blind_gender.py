"""Blind mode in the review app neutralises gendered job titles (shortlist and candidate screens)."""

from __future__ import annotations

from pilot_helpers import screen_text, settle


async def test_blind_mode_neutralises_feminine_job_titles(store, review_config):
    from review_data import PEOPLE, populate

    from tui.app import make_app

    extra = {**PEOPLE[0], "name": "Zoé Rey", "email": "zoe@example.org", "score": 0.99,
             "headline": "Développeuse backend Python", "summary": "Ingénieure rigoureuse, elle aime Django."}
    job_id, _ids = populate(store, [extra, *PEOPLE])
    app = make_app(review_config, store, job_id=job_id, blind=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Développeur backend" in text and "Chef pâtissier" in text
        assert "Développeuse" not in text and "Cheffe" not in text
        await pilot.press("enter")  # the best row: Zoé's candidate screen
        await settle(app, pilot)
        text = screen_text(app)
        assert "Ingénieur rigoureux, iel aime Django." in text
        for marker in ("Développeuse", "Ingénieure", "rigoureuse", " elle ", "Zoé"):
            assert marker not in text, marker
