"""Tests GDPR Art. 14 notices on a real SQLite file: states, deadlines (fixed clock), drafts, proof."""

from __future__ import annotations

import email
import json
from datetime import timedelta
from email import policy

import pytest

from sourcing import notices
from sourcing.errors import ConfigError, UsageError
from sourcing.storage.notices import history
from privacy_helpers import add_person, run_main


def _created(store, cid):
    return store.get_candidate(cid)["created_at"]


def test_due_then_overdue_then_sent_with_proof(store, config):
    cid = add_person(store, "ada", email="ada@example.org")
    t0 = _created(store, cid)
    s = notices.status_of(store, cid, now=t0 + timedelta(days=1))
    assert (s.state, s.deadline, s.days_left) == ("due", t0 + timedelta(days=30), 29)
    assert notices.status_of(store, cid, now=t0 + timedelta(days=30)).state == "due"  # the deadline day itself
    late = notices.status_of(store, cid, now=t0 + timedelta(days=31))
    assert (late.state, late.days_left) == ("overdue", -1)
    sent = notices.mark_sent(store, config, cid, channel="email", actor="amy", lang="fr", now=t0 + timedelta(days=31))
    assert (sent.state, sent.channel, sent.at) == ("sent", "email", t0 + timedelta(days=31))
    assert not sent.pending
    # A sent notice stays sent whatever the clock says, and the text sent is kept as proof.
    assert notices.status_of(store, cid, now=t0 + timedelta(days=400)).state == "sent"
    (event,) = history(store, cid)
    assert event["event"] == "sent" and "Vos droits" in event["text"] and "Brightwave Labs SAS" in event["text"]


def test_impossible_without_address_and_exemption_needs_a_reason(store, config):
    cid = add_person(store, "bob")
    t0 = _created(store, cid)
    assert notices.status_of(store, cid, now=t0).state == "impossible"
    with pytest.raises(UsageError, match="Art. 14\\(5\\)"):
        notices.exempt(store, cid, reason="  ", actor="amy")
    s = notices.exempt(store, cid, reason="14(5)(b): disproportionate effort", actor="amy", now=t0 + timedelta(days=2))
    assert (s.state, s.reason) == ("not_required", "14(5)(b): disproportionate effort")
    assert notices.pending(store, now=t0 + timedelta(days=60)) == []


def test_pending_window_and_review_flags(store):
    a = add_person(store, "a", email="a@example.org")
    b = add_person(store, "b")
    t0 = _created(store, b)
    # 20 days in: both deadlines are 10 days away.
    assert notices.pending(store, within_days=7, now=t0 + timedelta(days=20)) == []
    assert [s.candidate_id for s in notices.pending(store, within_days=10, now=t0 + timedelta(days=20))] == [a, b]
    assert notices.review_flags(store, [a, b], now=t0 + timedelta(days=20)) == {}
    flags = notices.review_flags(store, [a, b], now=t0 + timedelta(days=24))
    assert {k: v.state for k, v in flags.items()} == {a: "due", b: "impossible"}
    assert {k: v.state for k, v in notices.review_flags(store, [a], now=t0 + timedelta(days=35)).items()} == {a: "overdue"}


def test_draft_is_an_rfc5322_message_parsed_back(store, config, tmp_path):
    cid = add_person(store, "ines", email="ines@example.org", name="Inès Marchand")
    path = notices.draft(store, config, cid, tmp_path / "out", lang="fr", actor="amy")
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["From"] == "privacy@brightwave.example"
    assert msg["To"].addresses[0].addr_spec == "ines@example.org"
    assert msg["To"].addresses[0].display_name == "Inès Marchand"
    assert msg["Subject"].startswith("Pourquoi nous détenons") and msg["X-Unsent"] == "1"
    assert msg["Date"].datetime is not None and msg["Message-ID"].endswith("@brightwave.example>")
    body = msg.get_content()
    for needle in ("Bonjour Inès Marchand", "Brightwave Labs SAS", "dpo@brightwave.example", "Art. 6(1)(f)",
                   "github (https://github.com/ines)", "compétences", "730 jours", "CNIL"):
        assert needle in body, needle
    # mark-sent records the drafted text as the proof.
    notices.mark_sent(store, config, cid, channel="email", actor="amy")
    sent = [e for e in history(store, cid) if e["event"] == "sent"][0]
    assert sent["text"].startswith("Subject: Pourquoi") and sent["lang"] == "fr"


def test_user_template_overrides_and_bad_placeholder_is_named(store, config_path, tmp_path):
    from sourcing.config import load_config

    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "notice_en.txt").write_text("Subject: Hi from $controller_name\n\nDear $name, basis: $legal_basis.\n", encoding="utf-8")
    config_path.write_text(config_path.read_text() + f'notice_templates = "{folder}"\n', encoding="utf-8")
    cfg = load_config(config_path)
    cid = add_person(store, "eve", email="eve@example.org", name="Eve")
    subject, body = notices.render(cfg, store.get_candidate(cid), "en")
    assert subject == "Hi from Brightwave Labs SAS" and body.startswith("Dear Eve, basis: legitimate interest")
    (folder / "notice_en.txt").write_text("Subject: x\n\n$nope\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="notice_en.txt.*nope"):
        notices.render(cfg, store.get_candidate(cid), "en")
    # French still comes from the packaged template.
    assert notices.render(cfg, store.get_candidate(cid), "fr")[0].startswith("Pourquoi")


def test_no_controller_refuses_to_draft(store, tmp_path):
    from sourcing.config import load_config

    cid = add_person(store, "zed", email="zed@example.org")
    with pytest.raises(ConfigError, match="controller"):
        notices.draft(store, load_config(None), cid, tmp_path, actor="amy")


def test_cli_due_draft_mark_sent_batch_goes_on(store, config_path, tmp_path, capsys):
    a = add_person(store, "a1", email="a1@example.org")
    b = add_person(store, "b1")  # no address: cannot be e-mailed
    base = ["--config", str(config_path)]
    code, out, err = run_main(capsys, [*base, "notices", "due"])
    assert code == 0, err
    lines = [line.split() for line in out.splitlines()]
    assert lines[0] == ["CANDIDATE_ID", "STATE", "DEADLINE", "DAYS_LEFT"]
    assert [(int(x[0]), x[1], x[3]) for x in lines[1:]] == [(a, "due", "29"), (b, "impossible", "29")]
    rows = json.loads(run_main(capsys, [*base, "notices", "due", "--json"])[1])
    assert [(r["candidate_id"], r["state"], r["days_left"]) for r in rows] == [(a, "due", 29), (b, "impossible", 29)]
    assert run_main(capsys, [*base, "notices", "due", "--within", "7d", "--json"])[1] == "[]\n"
    assert run_main(capsys, [*base, "notices", "due", "--within", "7d"])[1] == ""
    code, _, err = run_main(capsys, [*base, "notices", "due", "--within", "soon"])
    assert code == 2 and "give days like 7d" in err
    drafts = tmp_path / "drafts"
    code, out, err = run_main(capsys, [*base, "notices", "draft", str(a), str(b), "999", "--out", str(drafts)])
    assert code == 3, err
    assert out.strip() == str(drafts / f"notice-{a}.eml")
    assert f"{b}: candidate {b}: no valid e-mail address" in err and "999: no candidate" in err
    code, out, _ = run_main(capsys, [*base, "notices", "mark-sent", str(a), "--channel", "email"])
    assert code == 0 and out.startswith(f"{a}\tsent\t")
    code, out, _ = run_main(capsys, [*base, "notices", "exempt", str(b), "--reason", "14(5)(b): no address, disproportionate"])
    assert code == 0 and out.strip() == f"{b}\tnot_required"
    assert run_main(capsys, [*base, "notices", "due"])[1] == ""  # nothing left to inform
    shown = run_main(capsys, [*base, "notices", "show", str(a)])[1]
    assert "drafted by amy" in shown and "sent by amy email en" in shown and "Your rights" in shown


def test_forget_and_merge_carry_notices(store, config):
    a = add_person(store, "m1", email="m1@example.org")
    notices.mark_sent(store, config, a, channel="email", actor="amy")
    b = add_person(store, "m2")
    store.merge_candidates(a, b)
    assert notices.status_of(store, b).state == "sent" and len(history(store, b)) == 1
    counts = store.forget_candidate(b, actor="amy")
    assert counts["notices"] == 2  # the state and its one history row
    assert history(store, b) == []
