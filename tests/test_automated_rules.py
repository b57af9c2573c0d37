"""The rules for automated mail (kith.models.automated) hold the same way in every layer that applies
them: the mail parser (whose bodies it reads), signal detection (what it reads for signals), the
warehouse (who is automated) and the digest (which service a congratulation cites). Each test runs
real bytes through the real path: parse, detect, save, refresh people, build."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from kith.connectors.mailparse import body_wanted, parse_message, split_headers
from kith.digests.build import build_digest
from kith.digests.signals import detect_signals
from kith.models import Batch, Settings
from kith.warehouse.load import save_batch
from kith.warehouse.people import refresh_people
from kith.warehouse.schema import ensure_schema

ME = "me@example.com"
DAY = date(2026, 11, 20)
QUESTION = "Hi,\n\nCould we meet on Thursday to go through the plan?\n\nThanks\n"


def raw(sender: str, name: str, n: int, *, headers: str = "", subject: str = "The plan", body: str = QUESTION,
        to: str = ME, when: datetime = datetime(2026, 11, 18, 9)) -> bytes:
    return (
        f"From: {name} <{sender}>\nTo: {to}\nSubject: {subject}\nMessage-ID: <{n}.{sender}>\n"
        f"Date: {when:%a, %d %b %Y %H:%M:%S} +0000\n{headers}\n{body}"
    ).encode()


def ingest(raws: list[bytes]) -> duckdb.DuckDBPyConnection:
    """Everything a sync does with these messages, on a fresh warehouse."""
    conn = duckdb.connect()
    ensure_schema(conn)
    messages = [parse_message(r, account="m", stream="inbox", with_body=True) for r in raws]
    batch = Batch(account="m", stream="inbox", messages=messages)
    save_batch(conn, batch, kind="mbox", signals=detect_signals(batch, [ME]))
    refresh_people(conn, [ME])
    return conn


def verdicts(conn: duckdb.DuckDBPyConnection, raws: dict[str, bytes]) -> dict[str, tuple]:
    """Per sender: (parser reads the body, a question was detected, the warehouse's automated reason)."""
    out = {}
    for sender, first in raws.items():
        (asked,) = conn.execute(
            "SELECT count(*) > 0 FROM signals WHERE kind = 'question' AND address = ?", [sender]
        ).fetchall()[0]
        (reason,) = conn.execute(
            "SELECT p.automated_reason FROM people p JOIN identities i USING (person_id) WHERE i.address = ?", [sender]
        ).fetchall()[0]
        out[sender] = (body_wanted(split_headers(first)[0]), asked, reason)
    return out


BULK_HEADERS = {  # header lines -> whether they make mail bulk
    "": False,
    "List-Id: <team.lists.example>\n": True,
    "List-Id:\n": False,
    "List-Unsubscribe: <mailto:leave@lists.example>\n": True,
    "Precedence: bulk\n": True,
    "Precedence: List\n": True,
    "Precedence: junk\n": True,
    "Precedence: first-class\n": False,
    "Auto-Submitted: auto-generated\n": True,
    "Auto-Submitted: auto-replied\n": True,
    "Auto-Submitted: no\n": False,
    "Auto-Submitted:\n": False,
}
FIRST_NAMES = ("Alba", "Bruno", "Carmen", "Dario", "Elena", "Fabio", "Gina", "Hugo", "Ines", "Jonas", "Karla", "Lukas")


def test_bulk_headers_mean_the_same_to_the_parser_signals_and_the_warehouse():
    raws: dict[str, list[bytes]] = {}
    for n, (headers, first) in enumerate(zip(BULK_HEADERS, FIRST_NAMES)):
        sender = f"{first.lower()}.rivera@acme.example"
        raws[sender] = [raw(sender, f"{first} Rivera", 10 * n + k, headers=headers) for k in range(3)]
    conn = ingest([r for rs in raws.values() for r in rs])
    got = verdicts(conn, {sender: rs[0] for sender, rs in raws.items()})
    expected = {
        f"{first.lower()}.rivera@acme.example": (False, False, "list or bulk headers") if bulk else (True, True, None)
        for first, bulk in zip(FIRST_NAMES, BULK_HEADERS.values())
    }
    assert got == expected


ADDRESSES = {  # address -> machine (never read, always automated), role (read; automated unless written to), person
    "noreply@shop.example": "machine",
    "orders@shop.example": "machine",
    "shipping-updates@shop.example": "machine",
    "team-noreply-7@shop.example": "machine",
    "mailer-daemon@mx.example": "machine",
    "info@acme.example": "role",
    "hello@acme.example": "role",
    "news@acme.example": "role",
    "support-2@acme.example": "role",
    "john.news@acme.example": "person",
    "newsroom@acme.example": "person",
    "dana.kim@acme.example": "person",
}


def test_automated_addresses_mean_the_same_to_signals_and_the_warehouse():
    raws = {address: raw(address, "", n) for n, address in enumerate(ADDRESSES)}
    conn = ingest(list(raws.values()))
    expected_by_kind = {
        "machine": (False, False, "address pattern"),  # its body is not even decoded
        "role": (True, True, "address pattern, never written to"),
        "person": (True, True, None),
    }
    assert verdicts(conn, raws) == {address: expected_by_kind[kind] for address, kind in ADDRESSES.items()}


ORGANISATION_NAMES = {  # (display name, address) -> the warehouse's automated reason
    ("ERisk", "erisk@email.erisks.example"): "named after its domain, never written to",
    ("Euromoney", "euromoney@euromoney.example"): "named after its domain, never written to",
    ("Amazon.com", "gift@amazon.example"): "named after its domain, never written to",
    ("Dana Kim", "dana@kim.example"): None,  # a person's own domain: two words
    ("Kim", "kim@kim.example"): None,  # too short to tell
    ("Lumen", "lumen@acme.example"): None,  # a one-word name that is not the domain's
}


def test_a_sender_named_after_its_domain_is_an_organisation():
    # Fails on main: newsletters sent without list headers (as the Enron mail was exported) by
    # "ERisk" <erisk@email.erisks.com> counted as a person, and its move from an @enron.com copy
    # was a congratulation ("ERisk now writes from @email.erisks.com: new role?").
    conn = ingest([raw(address, name, n) for n, (name, address) in enumerate(ORGANISATION_NAMES)])
    got = {(name, address): conn.execute(
        "SELECT p.automated_reason FROM people p JOIN identities i USING (person_id) WHERE i.address = ?",
        [address]).fetchall()[0][0] for name, address in ORGANISATION_NAMES}
    assert got == ORGANISATION_NAMES


NOTIFIERS = {  # sender -> (person named in the notification, the service the digest cites or None)
    "messages-noreply@linkedin.com": ("Dana Kim", "LinkedIn"),
    "updates@e.linkedin.com": ("Eli Park", "LinkedIn"),
    "mailrobot@mail.xing.com": ("Fay Wong", "XING"),
    "updates@notlinkedin.com": ("Gus Moreno", None),
    "updates@linkedin.com.evil.example": ("Hal Price", None),
}


@pytest.mark.parametrize("sender", NOTIFIERS)
def test_notification_services_are_recognised_by_domain_in_every_layer(sender):
    person, service = NOTIFIERS[sender]
    address = person.lower().replace(" ", ".") + "@acme.example"
    notification = raw(sender, "Updates", 1, subject=f"{person} started a new position as CTO at Newco",
                       headers="List-Unsubscribe: <https://unsubscribe.example>\n", body="See the update.\n")
    chat = [raw(ME, "Me", 2, to=address, when=datetime(2026, 11, 2, 9), body="Hi\n"),
            raw(address, person, 3, when=datetime(2026, 11, 2, 10), body="Hello\n")]
    conn = ingest([notification, *chat])
    digest = build_digest(conn, Settings(home="/nonexistent", user={"name": "Me", "addresses": [ME]}), DAY)
    congratulations = [(item.name, item.reason) for item in digest.items if item.section == "congratulate"]
    assert body_wanted(split_headers(notification)[0]) is (service is not None)
    assert congratulations == ([(person, f"Started a new position as CTO at Newco ({service}, 18 Nov).")] if service else [])
