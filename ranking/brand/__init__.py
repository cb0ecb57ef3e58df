"""Provides employer-brand intelligence: what the market's postings say, and post ideas that answer it.

Entry points (the CLI `sourcing brand` and the review app's Brand screen use these):

- `ranking.brand.service.build_insights(store, config, encoder=None, role=None)` -> `BrandInsights`
- `ranking.brand.service.plan_ideas(insights, lang=, platforms=, weeks=, per_week=, start=)` -> list[`Idea`]
- `ranking.brand.service.save_calendar(store, ideas)` / `load_ideas(store, status=None)`
- `ranking.brand.service.load_brand_encoder(config, store=None)`
- `ranking.brand.exports.export_ideas(ideas, fmt, path, company=)` (hootsuite, sprout, ics, md)
- `ranking.brand.report.render_insights(insights)` / `insights_to_dict(insights)`

Modules: `lexicon` (EN/FR benefit and culture themes, salary parsing), `families` (role
clustering and labels), `insights`, `templates` + `drafting` + `ideas` (post ideas),
`calendar`, `exports`, `report`, `service`.
"""
