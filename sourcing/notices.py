"""Provides GDPR Art. 14 notices: who must be informed by when, drafts to send, and proof of sending.

A person collected from a public source must be told within one month
(Art. 14(3)(a)), or at first contact if earlier. Each candidate's notice state:

- `due` — an e-mail is known and nothing was recorded yet; deadline = first
  collection (`candidate.created_at`) + 30 days (`overdue` once it has passed);
- `impossible` — no contact address is known (same deadline: CNIL's reading is that
  what you cannot inform about you should not keep);
- `sent` — date, channel and the text sent (the proof);
- `not_required` — a person recorded an Art. 14(5) reason.

Drafts are RFC 5322 `.eml` files for the user's own mail client: nothing is sent by
this tool. Every function takes `now` so deadlines are tested with a fixed clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from string import Template
from typing import Any

from sourcing.errors import ConfigError, UsageError
from sourcing.models import utcnow
from sourcing.storage import notices as rows

NOTICE_DAYS = 30
LANGS = ("en", "fr")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PACKAGED = Path(__file__).parent / "data"

_CATEGORY_FIELDS = {  # profile field -> (English, French) name of the category
    "name": ("name", "nom"), "email": ("e-mail address", "adresse e-mail"),
    "headline": ("job title", "intitulé de poste"), "location": ("location", "localisation"),
    "skills": ("skills", "compétences"), "experience": ("work history", "parcours professionnel"),
    "education": ("education", "formation"), "languages": ("languages", "langues"),
    "extra_urls": ("public links", "liens publics"), "summary": ("profile summary", "résumé du profil"),
}
_TEXT = {
    "en": {"no_dpo": "none appointed", "and": "and",
           "retention": "up to {pool} days after your last activity, or {rejected} days after a decision not to pursue"},
    "fr": {"no_dpo": "aucun délégué désigné", "and": "et",
           "retention": "au plus {pool} jours après votre dernière activité, ou {rejected} jours après une décision de ne pas donner suite"},
}


@dataclass(frozen=True)
class NoticeStatus:
    """One person's notice state at `now`."""

    candidate_id: int
    state: str  # "due" | "overdue" | "impossible" | "sent" | "not_required"
    deadline: datetime
    days_left: int  # whole days to the deadline (negative once passed)
    at: datetime | None = None  # when sent / exempted
    channel: str | None = None
    reason: str | None = None

    @property
    def pending(self) -> bool:
        """Nobody has been informed and no exemption is recorded."""
        return self.state in ("due", "overdue", "impossible")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (ISO dates)."""
        return {"candidate_id": self.candidate_id, "state": self.state, "deadline": self.deadline.isoformat(),
                "days_left": self.days_left, "at": self.at.isoformat() if self.at else None,
                "channel": self.channel, "reason": self.reason}


def _status(row: dict[str, Any], now: datetime) -> NoticeStatus:
    deadline = row["created_at"] + timedelta(days=NOTICE_DAYS)
    days_left = (deadline - now) // timedelta(days=1)
    if row["state"]:
        return NoticeStatus(row["candidate_id"], row["state"], deadline, days_left, row["at"], row["channel"], row["reason"])
    if not row["email"]:
        state = "impossible"
    else:
        state = "overdue" if now > deadline else "due"
    return NoticeStatus(row["candidate_id"], state, deadline, days_left)


def statuses(store: Any, candidate_ids: list[int] | None = None, *, now: datetime | None = None) -> list[NoticeStatus]:
    """Notice state of every person (or of `candidate_ids`), ordered by id."""
    now = now or utcnow()
    return [_status(r, now) for r in rows.notice_rows(store, candidate_ids)]


def status_of(store: Any, candidate_id: int, *, now: datetime | None = None) -> NoticeStatus:
    """One person's notice state; raises NotFoundError for an unknown id."""
    store.get_candidate(candidate_id)
    return statuses(store, [candidate_id], now=now)[0]


def pending(store: Any, *, within_days: int | None = None, now: datetime | None = None) -> list[NoticeStatus]:
    """People still to inform, soonest deadline first; `within_days` keeps deadlines up to that far ahead."""
    now = now or utcnow()
    # deadline = created_at + NOTICE_DAYS <= now + within_days: the store filters on created_at.
    created_by = None if within_days is None else now + timedelta(days=within_days) - timedelta(days=NOTICE_DAYS)
    found = (_status(r, now) for r in rows.pending_notice_rows(store, created_by=created_by))
    out = [s for s in found if s.pending and (within_days is None or s.deadline <= now + timedelta(days=within_days))]
    return sorted(out, key=lambda s: (s.deadline, s.candidate_id))


def review_flags(store: Any, candidate_ids: list[int], *, now: datetime | None = None, soon_days: int = 7) -> dict[int, NoticeStatus]:
    """For the review app: the people whose notice is overdue or due within `soon_days`."""
    now = now or utcnow()
    return {s.candidate_id: s for s in statuses(store, candidate_ids, now=now)
            if s.pending and s.deadline <= now + timedelta(days=soon_days)}


# --- texts ------------------------------------------------------------------------
def _setting(config: Any, key: str) -> Any:
    return config.get(key)


def template_for(config: Any, lang: str) -> tuple[Path, str]:
    """The notice template for `lang`: the user's (`privacy.notice_templates`) if present, else packaged."""
    if lang not in LANGS:
        raise UsageError(f"notice language must be one of {', '.join(LANGS)}, got {lang!r}")
    folder = _setting(config, "privacy.notice_templates")
    if folder:
        own = Path(folder).expanduser() / f"notice_{lang}.txt"
        if own.is_file():
            return own, own.read_text(encoding="utf-8")
    path = _PACKAGED / f"notice_{lang}.txt"
    return path, path.read_text(encoding="utf-8")


def sender(config: Any) -> str:
    """The drafts' From address: the first e-mail in `privacy.controller` (else `privacy.dpo`).

    Raises:
        ConfigError: no controller is configured, or it carries no e-mail address.
    """
    controller = (_setting(config, "privacy.controller") or "").strip()
    if not controller:
        raise ConfigError(f"set [privacy] controller = \"Company, address, privacy@company.example\" in {config.path}: "
                          "a notice must name who controls the data", "Notice not possible")
    found = _EMAIL.search(controller) or _EMAIL.search(_setting(config, "privacy.dpo") or "")
    if not found:
        raise ConfigError(f"[privacy] controller in {config.path} needs a contact e-mail address (the notice's sender "
                          "and where people reply to exercise their rights)", "Notice not possible")
    return found.group(0)


def _categories(candidate: dict[str, Any], lang: str) -> str:
    i = LANGS.index(lang)
    present = [names[i] for f, names in _CATEGORY_FIELDS.items() if any(p.get(f) for p in candidate["profiles"])]
    return ", ".join(present) or _CATEGORY_FIELDS["name"][i]


def _sources(candidate: dict[str, Any]) -> str:
    seen = []
    for p in candidate["profiles"]:
        label = f"{p.get('source_kind')} ({p['url']})" if p.get("url") else str(p.get("source_kind"))
        if label not in seen:
            seen.append(label)
    return "; ".join(seen) or "—"


def _retention(config: Any, lang: str) -> str:
    own = (_setting(config, "privacy.retention") or "").strip()
    if own:
        return own
    return _TEXT[lang]["retention"].format(pool=config.get("privacy.pool_retention_days"),
                                           rejected=config.get("privacy.rejected_retention_days"))


def render(config: Any, candidate: dict[str, Any], lang: str) -> tuple[str, str]:
    """Return (subject, body) of a person's notice in `lang`.

    Raises:
        ConfigError: no controller configured, or the template has an unknown `$placeholder`
            or no `Subject:` first line (the message names the file).
    """
    sender(config)
    path, raw = template_for(config, lang)
    controller = " ".join(_setting(config, "privacy.controller").split())
    values = {
        "name": " ".join((candidate.get("name") or "").split()) or candidate.get("pseudonym") or "",
        "controller": controller, "controller_name": controller.split(",")[0].strip(),
        "dpo": (_setting(config, "privacy.dpo") or "").strip() or _TEXT[lang]["no_dpo"],
        "legal_basis": _setting(config, "privacy.legal_basis"), "categories": _categories(candidate, lang),
        "sources": _sources(candidate), "retention": _retention(config, lang),
        "collected_on": candidate["created_at"].date().isoformat(),
    }
    try:
        text = Template(raw).substitute(values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{path}: unknown or malformed placeholder {exc}; known: "
                          + ", ".join(f"${k}" for k in sorted(values)), "Invalid notice template") from exc
    first, _, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise ConfigError(f"{path}: the first line must be 'Subject: …'", "Invalid notice template")
    return first.split(":", 1)[1].strip(), body.lstrip("\n")


def build_eml(config: Any, candidate: dict[str, Any], lang: str, *, now: datetime | None = None) -> EmailMessage:
    """The notice as an unsent RFC 5322 message addressed to the person.

    Raises:
        UsageError: the person has no (valid) e-mail address.
    """
    now = now or utcnow()
    to = (candidate.get("email") or "").strip()
    if not _EMAIL.fullmatch(to):
        raise UsageError(f"candidate {candidate['id']}: no valid e-mail address, the notice cannot be e-mailed "
                         "(record another channel with `sourcing notices mark-sent --channel`, or an exemption)")
    subject, body = render(config, candidate, lang)
    frm = sender(config)
    msg = EmailMessage()
    msg["From"] = frm
    msg["To"] = Address(display_name=" ".join((candidate.get("name") or "").split()), addr_spec=to)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=frm.split("@", 1)[1])
    msg["X-Unsent"] = "1"  # mail clients open the file as a draft to send
    msg["Content-Language"] = lang
    msg.set_content(body)
    return msg


def draft(store: Any, config: Any, candidate_id: int, out_dir: Path, *, lang: str = "en", actor: str,
          now: datetime | None = None) -> Path:
    """Write `notice-<id>.eml` in `out_dir` and record the drafted text; return the file."""
    now = now or utcnow()
    candidate = store.get_candidate(candidate_id)
    msg = build_eml(config, candidate, lang, now=now)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"notice-{candidate_id}.eml"
    path.write_bytes(bytes(msg))
    rows.record_event(store, candidate_id, "drafted", actor=actor, at=now, channel="email", lang=lang,
                      text=f"Subject: {msg['Subject']}\n\n{msg.get_content()}")
    return path


def mark_sent(store: Any, config: Any, candidate_id: int, *, channel: str, actor: str, lang: str = "en",
              text: str | None = None, now: datetime | None = None) -> NoticeStatus:
    """Record that the person was informed; the text kept as proof is `text`, else the latest draft,
    else the notice rendered now in `lang`."""
    now = now or utcnow()
    candidate = store.get_candidate(candidate_id)
    if not channel.strip():
        raise UsageError("--channel must say how the notice was sent (email, letter, linkedin…)")
    if text is None:
        last = rows.latest_draft(store, candidate_id)
        if last is not None:
            text, lang = last["text"], last["lang"] or lang
        else:
            subject, body = render(config, candidate, lang)
            text = f"Subject: {subject}\n\n{body}"
    rows.record_event(store, candidate_id, "sent", actor=actor, at=now, channel=channel.strip(), lang=lang, text=text)
    return status_of(store, candidate_id, now=now)


def exempt(store: Any, candidate_id: int, *, reason: str, actor: str, now: datetime | None = None) -> NoticeStatus:
    """Record that no notice is required, with the Art. 14(5) reason a person gives."""
    now = now or utcnow()
    store.get_candidate(candidate_id)
    if not reason or not reason.strip():
        raise UsageError("an exemption needs its Art. 14(5) reason, e.g. --reason \"14(5)(a): already informed at the event\"")
    rows.record_event(store, candidate_id, "not_required", actor=actor, at=now, reason=reason.strip())
    return status_of(store, candidate_id, now=now)


def informed_or_exempt(store: Any, candidate_id: int) -> bool:
    """True when the person's notice was sent or an exemption is recorded (contact is then allowed)."""
    return not status_of(store, candidate_id).pending
