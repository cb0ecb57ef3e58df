"""Provides `sourcing notices due|draft|mark-sent|exempt|show` (GDPR Art. 14 information notices)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, emit_record, format_options
from sourcing.errors import PartialFailure, SourcingError, UsageError


DUE_FIELDS = ("candidate_id", "state", "deadline", "days_left")
NOTICE_SHOW_FIELDS = (*DUE_FIELDS, "history")
NOTICE_EVENT_FIELDS = ("event", "at", "actor", "channel", "lang", "reason", "text")


def parse_days(value: str | None) -> int | None:
    """'7d', '7' or '2w' as a number of days (None stays None).

    Raises:
        UsageError: not a number of days or weeks.
    """
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", value.lower())
    if not m:
        raise UsageError(f"--within {value!r}: give days like 7d (or weeks like 2w)")
    return int(m.group(1)) * (7 if m.group(2) == "w" else 1)


@click.group()
def notices() -> None:
    """GDPR Art. 14 notices: tell people collected from public sources, within one month.

    Nothing is sent by sourcing: `draft` writes .eml files you send from your own
    mail client, then `mark-sent` records the proof. See docs/privacy.md.
    """


@notices.command("due")
@click.option("--within", "within", metavar="DAYS", help="Only deadlines up to this far ahead, e.g. 7d (overdue ones included).")
@format_options
@pass_app
def notices_due(app: AppContext, within: str | None, fmt: str) -> None:
    """List the people still to inform, soonest deadline first.

    Fields: candidate_id, state (due, overdue, or impossible: no contact address
    known), deadline, days_left. Ids only: no names.

    \b
    Examples:
      sourcing notices due --within 7d
      sourcing notices due --csv > notices-due.csv
    """
    from sourcing.notices import pending

    rows = [{**s.to_dict(), "deadline": s.deadline.date().isoformat()} for s in pending(app.store, within_days=parse_days(within))]
    emit(rows, DUE_FIELDS, fmt, empty_hint="No notice due." if within is None else f"No notice due within {within}.")


def _each(ids: tuple[int, ...], fn) -> None:
    """Run `fn(id)` for every id; failures are printed and the batch goes on."""
    failed = 0
    for cid in ids:
        try:
            fn(cid)
        except SourcingError as exc:
            failed += 1
            click.echo(f"{cid}: {exc.msg}", err=True)
    if failed and failed == len(ids):
        raise SourcingError(f"all {failed} failed (listed above)", "Notices failed")
    if failed:
        raise PartialFailure(f"{failed} of {len(ids)} failed (listed above); the rest were done", "Some notices failed")


@notices.command("draft")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Notice language.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("notices"),
              show_default=True, help="Folder for the .eml drafts.")
@pass_app
def notices_draft(app: AppContext, ids: tuple[int, ...], lang: str, out_dir: Path) -> None:
    """Write each person's notice as an RFC 5322 .eml draft (open it in your mail client to send).

    Texts come from notice_en.txt / notice_fr.txt (override them with
    `[privacy] notice_templates`), filled from `[privacy] controller`, `dpo`,
    `legal_basis` and `retention`. Prints each file written.

    \b
    Examples:
      sourcing notices draft 12 13 --lang fr --out drafts/
    """
    from sourcing.notices import draft

    _each(ids, lambda cid: click.echo(draft(app.store, app.config, cid, out_dir, lang=lang, actor=app.config.actor)))


@notices.command("mark-sent")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.option("--channel", required=True, help="How it was sent: email, letter, linkedin…")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the text recorded when no draft was made.")
@click.option("--text-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The text actually sent (default: the latest draft, else the template).")
@pass_app
def notices_mark_sent(app: AppContext, ids: tuple[int, ...], channel: str, lang: str, text_file: Path | None) -> None:
    """Record that people were informed: date, channel and the text sent (the proof).

    \b
    Example:
      sourcing notices mark-sent 12 13 --channel email
    """
    from sourcing.notices import mark_sent

    text = text_file.read_text(encoding="utf-8") if text_file else None

    def one(cid: int) -> None:
        s = mark_sent(app.store, app.config, cid, channel=channel, actor=app.config.actor, lang=lang, text=text)
        click.echo(f"{cid}\t{s.state}\t{s.at.date().isoformat()}\t{s.channel}")

    _each(ids, one)


@notices.command("exempt")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.option("--reason", required=True, help="The Art. 14(5) reason, e.g. \"14(5)(a): already has the information\".")
@pass_app
def notices_exempt(app: AppContext, ids: tuple[int, ...], reason: str) -> None:
    """Record that no notice is required (state `not_required`), with its Art. 14(5) reason.

    \b
    Example:
      sourcing notices exempt 12 --reason "14(5)(a): informed in person at the meetup"
    """
    from sourcing.notices import exempt

    _each(ids, lambda cid: click.echo(f"{cid}\t{exempt(app.store, cid, reason=reason, actor=app.config.actor).state}"))


@notices.command("show")
@click.argument("candidate_id", type=int)
@format_options(json_help="Print the notice state and history as one JSON object.")
@pass_app
def notices_show(app: AppContext, candidate_id: int, fmt: str) -> None:
    """Show one person's notice state and history (with the texts sent).

    Fields: candidate_id, state, deadline, days_left, history (each event: event,
    at, actor, channel, lang, reason, text); in CSV the history is one JSON cell.

    \b
    Examples:
      sourcing notices show 12
      sourcing notices show 12 --json
    """
    from sourcing.notices import status_of
    from sourcing.storage.notices import history

    s = status_of(app.store, candidate_id)
    if fmt != "table":
        events = [{k: e.get(k) for k in NOTICE_EVENT_FIELDS} for e in history(app.store, candidate_id)]
        record = {"candidate_id": candidate_id, "state": s.state, "deadline": s.deadline.date().isoformat(),
                  "days_left": s.days_left, "history": events}
        emit_record(record, fmt, fields=NOTICE_SHOW_FIELDS)
        return
    click.echo(f"#{candidate_id} {s.state} — deadline {s.deadline.date().isoformat()} ({s.days_left} days)")
    for e in history(app.store, candidate_id):
        extra = " ".join(x for x in (e.get("channel"), e.get("lang"), e.get("reason")) if x)
        click.echo(f"- {e['at']:%Y-%m-%d %H:%M UTC} {e['event']} by {e['actor']} {extra}".rstrip())
        if e["event"] == "sent" and e.get("text"):
            click.echo("  " + e["text"].replace("\n", "\n  "))


def register(cli: click.Group) -> None:
    cli.add_command(notices)
