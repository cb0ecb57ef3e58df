"""Provides `sourcing brand insights|ideas`: what the market's postings say, and posts that answer it.

The ranking layer does the work (`ranking.brand`); it is imported inside the
commands so `sourcing --help` stays fast.
"""

from __future__ import annotations

import json
from datetime import date

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import format_options, render
from sourcing.errors import UsageError
from sourcing.textsafe import json_for_terminal

PLATFORM_CHOICES = ("linkedin", "x", "instagram")
EXPORT_CHOICES = ("hootsuite", "sprout", "ics", "md")


def _encoder(app: AppContext, tfidf: bool):
    if tfidf:
        return None
    from ranking.brand.service import load_brand_encoder

    click.echo("Loading the sentence model to group postings into role families…", err=True)
    return load_brand_encoder(app.config, app.store)


def _report_skipped(insights) -> None:
    for line in insights.skipped:
        click.echo(f"Warning: {line}", err=True)


@click.group()
def brand() -> None:
    """Employer-brand intelligence: market insights and post ideas from the postings you crawl.

    Set your company first: `[brand] company = "Acme"` in the config (postings
    under that name, from `brand.own_sources`, or added with `sourcing jobs add`
    are yours; every other posting is the market).
    """


@brand.command("insights")
@click.option("--role", help="Only the role families matching this text (e.g. 'data engineer').")
@click.option("--tfidf", is_flag=True, help="Group roles with TF-IDF vectors instead of the sentence model (faster, cruder).")
@click.option("--chart", "chart_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE.svg",
              help="Also write the ours-vs-competitors chart of every theme (all roles) as an SVG file.")
@click.option("--out", "report_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE.html|FILE.md",
              help="Also write the report with its chart: .html (the SVG inline) or .md (FILE.svg beside it).")
@format_options(json_help="Print the whole insights document as one JSON object.")
@pass_app
def brand_insights(app: AppContext, role: str | None, fmt: str, tfidf: bool, chart_path: str | None,
                   report_path: str | None) -> None:
    """What competitors' postings emphasise, our differentiators and gaps, hard-to-fill roles.

    Every figure comes with its count, share and links to example postings.
    The default is the report with ours-vs-competitors bars; --json prints the whole
    insights document; --csv and --nl print one row per role family and theme
    (family, theme, kind, label, ours, ours_total, ours_share, market, market_total,
    market_share, signal: differentiator, gap or empty).

    \b
    Examples:
      sourcing brand insights
      sourcing brand insights --role "backend" --json > insights.json
      sourcing brand insights --csv > themes.csv
      sourcing brand insights --chart themes.svg
      sourcing brand insights --out brand-report.html
    """
    from ranking.brand.report import THEME_FIELDS, insights_to_dict, render_insights, theme_rows
    from ranking.brand.service import build_insights

    if report_path and not report_path.lower().endswith((".html", ".htm", ".md")):
        raise UsageError(f"--out {report_path}: the report is written as .html (chart inline) or .md (chart beside it)")
    insights = build_insights(app.store, app.config, encoder=_encoder(app, tfidf), role=role)
    _report_skipped(insights)
    if fmt == "json":
        click.echo(json_for_terminal(json.dumps(insights_to_dict(insights), indent=2, ensure_ascii=False, default=str)))
    elif fmt in ("csv", "nl"):
        click.echo(render(theme_rows(insights), THEME_FIELDS, fmt), nl=False)
    else:
        from ranking.brand.chart import theme_bars

        click.echo(render_insights(insights, chart=theme_bars(insights.overall, insights.company)), nl=False)
    if chart_path:
        from pathlib import Path

        from ranking.brand.chart import theme_chart_svg

        Path(chart_path).write_text(theme_chart_svg(insights.overall, insights.company), encoding="utf-8")
        click.echo(f"Wrote {chart_path}", err=True)
    if report_path:
        from ranking.brand.chart import write_report

        try:
            written = write_report(insights, report_path)
        except OSError as exc:
            raise UsageError(f"--out {report_path}: cannot write it ({exc.strerror or exc})") from exc
        click.echo("Wrote " + ", ".join(str(p) for p in written), err=True)


@brand.command("ideas")
@click.option("--weeks", type=click.IntRange(1, 52), default=4, show_default=True, help="Weeks to plan.")
@click.option("--per-week", type=click.IntRange(1, 15), default=3, show_default=True, help="Posts per week, all platforms together.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of the drafts.")
@click.option("--platform", "platforms", type=click.Choice(PLATFORM_CHOICES), multiple=True,
              help="Platform(s) to write for; repeat the option for several. Default: all three.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First week (its Monday); default next Monday.")
@click.option("--role", help="Only ideas for the role families matching this text.")
@click.option("--export", "export_fmt", type=click.Choice(EXPORT_CHOICES), help="Also write the calendar to --out in this format.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), help="File to export to (with --export).")
@click.option("--saved", is_flag=True, help="Show (and export) the stored ideas instead of writing new ones.")
@click.option("--status", type=click.Choice(["proposed", "accepted", "discarded"]), help="With --saved: only ideas with this status.")
@click.option("--tfidf", is_flag=True, help="Group roles with TF-IDF vectors instead of the sentence model (faster, cruder).")
@pass_app
def brand_ideas(app: AppContext, weeks: int, per_week: int, lang: str, platforms: tuple[str, ...], start,
                role: str | None, export_fmt: str | None, out: str | None, saved: bool, status: str | None, tfidf: bool) -> None:
    """Write a content calendar of post ideas, each with its evidence, and store it for review.

    Ideas you accepted, edited or discarded (in `sourcing review`, key i) are kept
    when you plan again; undecided ones are replaced by the new calendar.

    \b
    Examples:
      sourcing brand ideas --weeks 4
      sourcing brand ideas --lang fr --platform linkedin --export hootsuite --out posts.csv
      sourcing brand ideas --saved --status accepted --export ics --out brand.ics
    """
    from ranking.brand.calendar import count_slots, next_monday
    from ranking.brand.exports import export_ideas, render_markdown
    from ranking.brand.service import build_insights, load_ideas, replan

    if bool(export_fmt) != bool(out):
        raise UsageError("--export and --out go together, e.g. --export hootsuite --out posts.csv")
    if status and not saved:
        raise UsageError("--status filters stored ideas: use it with --saved")
    company = app.config.get("brand.company") or ""
    if saved:
        ideas = [i for i in load_ideas(app.store, status=status) if i.suggested_for is not None]
        click.echo(f"{len(ideas)} stored idea(s){' ' + status if status else ''}.", err=True)
    else:
        insights = build_insights(app.store, app.config, encoder=_encoder(app, tfidf), role=role)
        _report_skipped(insights)
        first = start.date() if start else None
        ideas = replan(app.store, insights, lang=lang, platforms=platforms or PLATFORM_CHOICES, weeks=weeks,
                       per_week=per_week, start=first)
        new = sum(i.status == "proposed" for i in ideas)
        slots = count_slots(first or next_monday(date.today()), weeks, per_week) - (len(ideas) - new)
        click.echo(f"Planned {new} new post(s) over {weeks} week(s) ({per_week} a week); saved for review"
                   + (f"; {len(ideas) - new} accepted earlier kept." if len(ideas) > new else "."), err=True)
        if new < slots:
            click.echo(f"Only {new} new distinct idea(s) for {slots} slot(s): the market data supports no more "
                       "without repeating a message.", err=True)
    click.echo(render_markdown(ideas, company=company, lang=lang), nl=False)
    if export_fmt:
        if not ideas:
            raise UsageError(f"nothing to export to {out}: no ideas" + (f" with status {status}" if status else ""))
        for path in export_ideas(ideas, export_fmt, out, company=company):
            click.echo(f"Wrote {path}", err=True)


def register(cli: click.Group) -> None:
    """Add the `brand` command family to the root CLI."""
    cli.add_command(brand)


__all__ = ["register", "brand"]
