"""A muted person, and a person snoozed through the digest day, appear in no section of the digest;
a snooze that ended yesterday hides nobody. One case per section: four people with the same
history, of whom Bea is muted and Cy snoozed, and the whole digest is compared."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import duckdb
import pytest

from kith.digests.build import build_digest
from kith.models import Address, Attendee, Batch, Meeting, Message, Settings, Signal
from kith.warehouse.load import save_batch
from kith.warehouse.overrides import mute, snooze
from kith.warehouse.people import refresh_people
from kith.warehouse.schema import ensure_schema

ME = "me@example.com"
DAY = date(2026, 11, 20)
PEOPLE = {"ann": "Ann Ames", "bea": "Bea Bloom", "cy": "Cy Cole", "dot": "Dot Dunn"}


def at(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(DAY - timedelta(days=days_ago), datetime.min.time()) + timedelta(hours=hour)


class History:
    """The records of one person's history, written as one batch."""

    def __init__(self, key: str) -> None:
        self.key, self.name = key, PEOPLE[key]
        self.local = self.name.lower().replace(" ", ".")  # the address spells the name: one person
        self.address = f"{self.local}@{key}-co.example"
        self.messages: list[Message] = []
        self.meetings: list[Meeting] = []
        self.signals: list[Signal] = []

    def mail(self, days_ago: int, *, sent: bool, hour: int = 10, address: str | None = None) -> Message:
        me, them = Address(email=ME, name="Me"), Address(email=address or self.address, name=self.name)
        n = len(self.messages)
        message = Message(account="m", source_id=f"<{self.key}{n}@x>", stream="s", message_id=f"<{self.key}{n}@x>",
                          subject=f"Note {n}", sent_at=at(days_ago, hour), sender=me if sent else them,
                          to=[them if sent else me], thread_id=f"<{self.key}{n}@x>")
        self.messages.append(message)
        return message

    def signal(self, message: Message, kind: str, evidence: str, **extra) -> None:
        self.signals.append(Signal(account="m", source_id=message.source_id, kind=kind, address=self.address,
                                   happened_on=message.sent_at.date(), evidence=evidence, confidence=0.8, **extra))


def reconnect(h: History) -> None:
    for k in range(8):  # every three weeks, then silence for eleven weeks
        h.mail(77 + 21 * k, sent=True)
        h.mail(77 + 21 * k, sent=False, hour=11)


def congratulate(h: History) -> None:
    h.mail(5, sent=True)
    h.signal(h.mail(3, sent=False), "new_role", "I've joined Newco as CTO.", company="Newco", title="CTO")


def domain_change(h: History) -> None:
    h.mail(60, sent=True)
    h.mail(60, sent=False, hour=11)
    h.mail(4, sent=False, address=f"{h.local}@newco-{h.key}.example")


def reply_owed(h: History) -> None:
    h.mail(30, sent=True)
    h.signal(h.mail(5, sent=False), "question", "Could you send the deck?")


def awaiting_reply(h: History) -> None:
    h.mail(30, sent=False)
    h.signal(h.mail(6, sent=True), "question", "Are you free on Monday?")


def promise(h: History) -> None:
    h.mail(30, sent=False)
    h.signal(h.mail(3, sent=True), "promise", "I'll send you the notes.")


def new_person(h: History) -> None:
    h.meetings.append(Meeting(account="c", source_id=f"meet-{h.key}", stream="cal", title="Intro", start=at(2),
                              end=at(2, 11), attendees=[Attendee(email=ME, response="accepted"),
                                                        Attendee(email=h.address, name=h.name, response="accepted")]))


SECTIONS: dict[str, tuple[str, Callable[[History], None]]] = {
    "reconnect": ("reconnect", reconnect),
    "congratulate": ("congratulate", congratulate),
    "domain_change": ("congratulate", domain_change),
    "reply_owed": ("reply_owed", reply_owed),
    "awaiting_reply": ("awaiting_reply", awaiting_reply),
    "promise": ("promise", promise),
    "new_person": ("new_person", new_person),
}


@pytest.mark.parametrize("case", SECTIONS)
def test_muted_and_snoozed_people_are_in_no_section(case):
    section, write = SECTIONS[case]
    conn = duckdb.connect()
    ensure_schema(conn)
    for key in PEOPLE:
        history = History(key)
        write(history)
        save_batch(conn, Batch(account="m", stream="s", messages=history.messages), kind="mbox",
                   signals=history.signals)
        if history.meetings:
            save_batch(conn, Batch(account="c", stream="cal", meetings=history.meetings), kind="ics")
    refresh_people(conn, [ME])
    mute(conn, History("bea").address)
    snooze(conn, History("cy").address, DAY)  # through the digest day: still snoozed
    snooze(conn, History("dot").address, DAY - timedelta(days=1))  # ended yesterday
    settings = Settings(home="/nonexistent", user={"name": "Me", "addresses": [ME]})
    digest = build_digest(conn, settings, DAY)
    assert [(item.section, item.name) for item in digest.items] == [(section, "Ann Ames"), (section, "Dot Dunn")]
