"""Tests for the network generator: determinism, parseable output, ground truth consistent with files."""

from __future__ import annotations

import filecmp
import json
import mailbox
from datetime import date, timezone
from pathlib import Path

import icalendar
import pytest

from kith.generator import generate_network

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def default_net(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("net")
    return out, generate_network(out, seed=7, today=TODAY)


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_same_seed_gives_identical_files(default_net, tmp_path):
    out, _ = default_net
    generate_network(tmp_path / "again", seed=7, today=TODAY)
    assert _files(out) == _files(tmp_path / "again")
    for rel in _files(out):
        assert filecmp.cmp(out / rel, tmp_path / "again" / rel, shallow=False), rel


def test_other_seed_differs(default_net, tmp_path):
    out, _ = default_net
    generate_network(tmp_path / "other", seed=8, today=TODAY)
    assert (out / "mail/inbox.mbox").read_bytes() != (tmp_path / "other/mail/inbox.mbox").read_bytes()


def test_ground_truth_file_matches_return_value(default_net):
    out, truth = default_net
    assert json.loads((out / "ground_truth.json").read_text()) == truth
    assert truth["today"] == "2026-11-26" and truth["seed"] == 7
    assert truth["user"]["addresses"] == ["alex.morgan@example.com", "alex@morgan.dev"]


def _read_mbox(path: Path) -> list[mailbox.mboxMessage]:
    return list(mailbox.mbox(str(path), create=False))


def test_mbox_messages_parse_and_match_ground_truth(default_net):
    out, truth = default_net
    inbox = _read_mbox(out / "mail/inbox.mbox")
    sent = _read_mbox(out / "mail/sent.mbox")
    assert len(inbox) == truth["message_counts"]["inbox"] and len(sent) == truth["message_counts"]["sent"]
    assert 10_000 <= len(inbox) + len(sent) <= 15_000
    for m in inbox + sent:
        assert m["From"] and m["Date"] and m["Message-ID"]
    ids = [m["Message-ID"] for m in inbox + sent]
    assert len(ids) == len(set(ids))
    inbox_ids = {m["Message-ID"] for m in inbox}
    sent_ids = {m["Message-ID"] for m in sent}
    assert truth["reply_owed"] and all(r["message_id"] in inbox_ids for r in truth["reply_owed"])
    assert truth["awaiting_reply"] and all(r["message_id"] in sent_ids for r in truth["awaiting_reply"])
    assert truth["promises"] and all(r["message_id"] in sent_ids for r in truth["promises"])
    for p in truth["promises"]:
        msg = next(m for m in sent if m["Message-ID"] == p["message_id"])
        assert p["text"] in msg.get_payload(decode=True).decode("utf-8")

    froms = " ".join(m["From"].lower() for m in inbox)
    for sender in truth["automated_senders"]:
        assert sender["address"] in froms, sender
    auto = {s["address"] for s in truth["automated_senders"]}
    contact_addrs = {a for c in truth["contacts"] for a in c["addresses"]}
    assert not auto & contact_addrs
    assert {"list_headers", "noreply_address", "auto_submitted", "behaviour", "linkedin"} == {
        s["cue"] for s in truth["automated_senders"]}
    for m in sent:
        assert any(a in m["From"] for a in truth["user"]["addresses"])


def test_network_shape(default_net):
    _, truth = default_net
    contacts = truth["contacts"]
    assert 140 <= len(contacts) <= 160
    assert len({c["name"] for c in contacts}) == len(contacts)
    drifting = [c for c in contacts if c["drifting"]]
    assert 0.1 * len(contacts) <= len(drifting) <= 0.2 * len(contacts)
    for c in drifting:
        silence = (TODAY - date.fromisoformat(c["last_contact"])).days
        assert silence > 2 * c["cadence_days"], c
    due = set(truth["reconnect_due"])
    assert {c["addresses"][0] for c in drifting} <= due
    known = {c["addresses"][0] for c in contacts}
    assert all(s["address"] in known for s in truth["signals"])
    assert not {s["address"] for s in truth["signals_unknown_people"]} & known
    assert {s["kind"] for s in truth["signals"]} >= {"birthday", "new_role", "domain_change", "launch"}
    assert not {p["address"] for p in truth["new_people"]} & known


def test_calendars_parse(default_net):
    out, _ = default_net
    cal = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert any("RRULE" in e and "EXDATE" in e for e in events)
    assert any("RECURRENCE-ID" in e for e in events)
    assert any(str(e.get("STATUS")) == "CANCELLED" for e in events)
    bdays = icalendar.Calendar.from_ical((out / "birthdays.ics").read_bytes())
    summaries = [str(e["SUMMARY"]) for e in bdays.walk("VEVENT")]
    assert len(summaries) >= 40 and all(s.endswith("'s birthday") for s in summaries)


def test_messages_scale(tmp_path):
    truth = generate_network(tmp_path, seed=3, today=TODAY, messages=20_000)
    total = sum(truth["message_counts"].values())
    assert 18_000 <= total <= 22_000
    with open(tmp_path / "mail/inbox.mbox", "rb") as f:
        separators = sum(1 for line in f if line.startswith(b"From "))
    assert separators == truth["message_counts"]["inbox"]


def test_maildir_format(tmp_path):
    truth = generate_network(tmp_path, seed=7, today=TODAY, mail_format="maildir")
    inbox = mailbox.Maildir(str(tmp_path / "mail/inbox"), create=False)
    sent = mailbox.Maildir(str(tmp_path / "mail/sent"), create=False)
    assert len(inbox) == truth["message_counts"]["inbox"] and len(sent) == truth["message_counts"]["sent"]


def _payload(message: mailbox.mboxMessage) -> str:
    return message.get_payload(decode=True).decode("utf-8")


def _day(message: mailbox.mboxMessage) -> str:
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(message["Date"]).astimezone(timezone.utc).date().isoformat()


def test_news_in_the_forms_the_world_writes_it(default_net):
    """Every piece of news about a contact is in a message the user received that day, named in full
    ("First Last", or "Last, First" as Outlook heads a forwarded note), in each form: memos, lists of
    several people, forwards, quoted replies and subjects alone."""
    out, truth = default_net
    inbox = _read_mbox(out / "mail/inbox.mbox")
    by_address = {c["addresses"][0]: c["name"] for c in truth["contacts"]}
    news = [s for s in truth["signals"] if s["source"] in ("memo", "list", "forward", "quoted reply", "subject")]
    assert {s["source"] for s in news} == {"memo", "list", "forward", "quoted reply", "subject"}
    for signal in news:
        name = by_address[signal["address"]]
        first, last = name.split(" ", 1)
        holders = [m for m in inbox if _day(m) == signal["date"]
                   and (name in (text := _decoded_subject(m) + _payload(m)) or f"{last}, {first}" in text)]
        assert holders, signal
        first = holders[0]
        if signal["source"] == "forward":
            assert first["Subject"].lower().startswith(("fwd:", "fw:"))
        if signal["source"] == "quoted reply":
            assert first["Subject"].startswith("Re: ") and name not in _payload(first).split("\n\n", 1)[0]
        if signal["source"] == "subject":
            assert name in _decoded_subject(first) and name not in _payload(first)
    listed = [s for s in news if s["source"] == "list"]
    assert len(listed) >= 2 and len({s["date"] for s in listed}) == 1


def _decoded_subject(message: mailbox.mboxMessage) -> str:
    from email.header import decode_header, make_header

    return str(make_header(decode_header(message["Subject"])))


def test_sad_news_and_answered_news_are_not_to_be_congratulated(default_net):
    out, truth = default_net
    inbox, sent = _read_mbox(out / "mail/inbox.mbox"), _read_mbox(out / "mail/sent.mbox")
    congratulate = {s["address"] for s in truth["signals"]}
    sad = truth["news_not_congratulated"]
    assert sorted(s["kind"] for s in sad) == ["death", "departure", "illness", "layoff"]
    for entry in sad:
        assert entry["address"] not in congratulate
        assert any(_day(m) == entry["date"] and entry["name"] in _payload(m) for m in inbox), entry
    answered = truth["congratulated_already"]
    assert len(answered) == 2
    for entry in answered:
        assert entry["address"] not in congratulate
        replies = [m for m in sent if entry["address"] in m["To"] and "congrat" in _payload(m).lower()]
        assert replies and all(_day(m) >= entry["date"] for m in replies), entry
