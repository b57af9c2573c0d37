"""The digest counts the user's days, in their time zone (Settings' zone), not UTC's: what is "today",
how many days ago something was, which day a message falls on, and the week's new connections.
Each case puts a message near midnight local time, where the user's day and the UTC day differ."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import duckdb

from kith.digests.build import build_digest
from kith.digests.report import gather
from kith.models import Address, Attendee, Batch, Meeting, Message, Settings, Signal
from kith.warehouse.load import save_batch
from kith.warehouse.people import refresh_people
from kith.warehouse.queries import day_end, day_start, local_date, set_user_zone
from kith.warehouse.schema import ensure_schema

ME = "me@example.com"
DAY = date(2026, 11, 20)  # a Friday
LOS_ANGELES, AUCKLAND = "America/Los_Angeles", "Pacific/Auckland"  # UTC-8 and UTC+13 in November


def utc(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    """The stored (naive UTC) time of `hour:minute` on `day` in `zone`."""
    local = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone)) + timedelta(hours=hour, minutes=minute)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


class Mail:
    """One warehouse of mail and meetings between the user and a few people."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.meetings: list[Meeting] = []
        self.signals: list[Signal] = []

    def mail(self, who: str, when: datetime, *, sent: bool) -> Message:
        me, them = Address(email=ME, name="Me"), Address(email=f"{who.lower()}@acme.example", name=who)
        n = len(self.messages)
        message = Message(account="m", source_id=f"<{n}@x>", stream="s", message_id=f"<{n}@x>", subject=f"Note {n}",
                          sent_at=when, sender=me if sent else them, to=[them if sent else me], thread_id=f"<{n}@x>")
        self.messages.append(message)
        return message

    def signal(self, message: Message, kind: str, evidence: str, **extra) -> None:
        # As ingest dates it: the UTC day of the message.
        self.signals.append(Signal(account="m", source_id=message.source_id, kind=kind,
                                   address=message.sender.email, happened_on=message.sent_at.date(),
                                   evidence=evidence, confidence=0.8, **extra))

    def meet(self, who: str, when: datetime) -> None:
        self.meetings.append(Meeting(account="c", source_id=f"meet-{who}", stream="cal", title="Intro", start=when,
                                     end=when + timedelta(minutes=30),
                                     attendees=[Attendee(email=ME, response="accepted"),
                                                Attendee(email=f"{who.lower()}@acme.example", name=who,
                                                         response="accepted")]))

    def digest(self, zone: str, day: date = DAY):
        settings = Settings(home="/nonexistent", user={"name": "Me", "addresses": [ME], "timezone": zone})
        return build_digest(self.load(), settings, day)

    def load(self) -> duckdb.DuckDBPyConnection:
        conn = duckdb.connect()
        ensure_schema(conn)
        save_batch(conn, Batch(account="m", stream="s", messages=self.messages), kind="mbox", signals=self.signals)
        if self.meetings:
            save_batch(conn, Batch(account="c", stream="cal", meetings=self.meetings), kind="ics")
        refresh_people(conn, [ME])
        return conn


def rows(digest) -> list[tuple]:
    return [(i.section, i.name, i.reason, i.last_interaction) for i in digest.items]


def test_days_ago_count_the_users_days_in_los_angeles():
    # Asked at 23:30 on Monday 16 Nov in Los Angeles: 07:30 on the 17th in UTC. On Friday that is
    # four of the user's days ago, and the mail is dated the 16th.
    book = Mail()
    book.mail("Ann", utc(LOS_ANGELES, DAY - timedelta(days=30), 10), sent=True)
    book.signal(book.mail("Ann", utc(LOS_ANGELES, date(2026, 11, 16), 23, 30), sent=False),
                "question", "Could you send the deck?")
    assert rows(book.digest(LOS_ANGELES)) == [
        ("reply_owed", "Ann", "Asked you 4 days ago: “Could you send the deck?”", "Email “Note 1” on 16 Nov 2026"),
    ]


def test_the_weeks_new_connections_start_at_the_users_midnight_in_los_angeles():
    # The week is the user's last 7 days, 13-20 Nov: a meeting at 23:30 on the 12th in Los
    # Angeles (the 13th in UTC) is outside it, one at 00:30 on the 13th inside.
    book = Mail()
    book.meet("Bo", utc(LOS_ANGELES, date(2026, 11, 12), 23, 30))
    book.meet("Cy", utc(LOS_ANGELES, date(2026, 11, 13), 0, 30))
    digest = book.digest(LOS_ANGELES)
    assert digest.new_connections_this_week == 1
    assert rows(digest) == [
        ("new_person", "Cy", "You met for the first time on Friday 13 Nov (“Intro”) and have not written since.",
         "Meeting “Intro” on 13 Nov 2026"),
    ]


def test_the_digest_day_ends_at_the_users_midnight_in_auckland():
    # Dana talks every three weeks; the last exchange was at 08:00 on 4 Sep in Auckland (the 3rd in
    # UTC). Her mail at 00:30 on 21 Nov in Auckland is 11:30 on the 20th in UTC: after Friday's
    # digest, which still suggests her.
    book = Mail()
    for k in range(8):
        when = utc(AUCKLAND, date(2026, 9, 4) - timedelta(days=21 * k), 8)
        book.mail("Dana", when, sent=True)
        book.mail("Dana", when + timedelta(hours=1), sent=False)
    book.mail("Dana", utc(AUCKLAND, date(2026, 11, 21), 0, 30), sent=False)
    assert rows(book.digest(AUCKLAND)) == [
        ("reconnect", "Dana", "You usually talk every 3 weeks; it has been 11 weeks.", "Email “Note 1” on 4 Sep 2026"),
    ]
    assert rows(book.digest(AUCKLAND, DAY + timedelta(days=1))) == []  # in touch that day


def test_news_is_dated_by_the_users_day_in_auckland():
    # The news came at 09:00 on Friday 6 Nov in Auckland (the 5th in UTC): inside the 14 days up to
    # the 20th, and dated the 6th.
    book = Mail()
    book.mail("Eve", utc(AUCKLAND, date(2026, 10, 1), 10), sent=True)
    book.signal(book.mail("Eve", utc(AUCKLAND, date(2026, 11, 6), 9), sent=False), "new_role",
                "I've joined Newco as CTO.", company="Newco", title="CTO")
    assert rows(book.digest(AUCKLAND)) == [
        ("congratulate", "Eve", "Started a new position as CTO at Newco (their email, 6 Nov).", None),
    ]


def test_day_bounds_and_local_dates():
    assert (day_start(DAY, AUCKLAND), day_end(DAY, AUCKLAND)) == (datetime(2026, 11, 19, 11), datetime(2026, 11, 20, 11))
    assert (day_start(DAY, LOS_ANGELES), day_end(DAY, LOS_ANGELES)) == (datetime(2026, 11, 20, 8), datetime(2026, 11, 21, 8))
    assert day_end(DAY) == datetime(2026, 11, 21)  # UTC by default
    # A day that is 25 hours long: Los Angeles leaves summer time on 1 Nov 2026.
    assert day_end(date(2026, 11, 1), LOS_ANGELES) - day_start(date(2026, 11, 1), LOS_ANGELES) == timedelta(hours=25)
    assert [local_date(datetime(2026, 11, 20, 7, 30), z) for z in (LOS_ANGELES, "UTC", AUCKLAND)] == [
        date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 20)]


def test_kith_person_counts_the_users_days():
    # 23:30 on 10 Nov and 00:30 on 11 Nov 2025 in Los Angeles are one UTC day (07:30 and 08:30 on
    # the 11th) but two of the user's. `relationships` is what `kith person` shows.
    book = Mail()
    book.mail("Fay", utc(LOS_ANGELES, date(2025, 11, 10), 23, 30), sent=True)
    book.mail("Fay", utc(LOS_ANGELES, date(2025, 11, 11), 0, 30), sent=False)
    conn = book.load()
    query = "SELECT primary_address, days_with_contact, contact_episodes FROM relationships"
    assert conn.execute(query).fetchall() == [("fay@acme.example", 1, 1)]  # no zone set: UTC
    set_user_zone(conn, LOS_ANGELES)
    assert conn.execute(query).fetchall() == [("fay@acme.example", 2, 1)]


def test_the_reports_weeks_are_the_users_in_los_angeles():
    # 23:30 on Sunday 15 Nov in Los Angeles is Monday the 16th in UTC: the week of the 9th.
    book = Mail()
    book.mail("Gus", utc(LOS_ANGELES, date(2026, 11, 15), 23, 30), sent=True)
    weekly = gather(book.load(), DAY, date(2026, 11, 9), LOS_ANGELES)["weekly"]
    assert weekly == [
        {"week": date(2026, 11, 9), "mails": 1, "meetings": 0, "new_people": 1},
        {"week": date(2026, 11, 16), "mails": 0, "meetings": 0, "new_people": 0},
    ]


def test_kith_person_shows_the_users_clock():
    from kith.flows.commands_people import format_person

    figures = {"display_name": "Fay", "primary_address": "fay@acme.example", "addresses": [("fay@acme.example", "name")],
               "muted": False, "cadence_days": None, "snoozed_until": None,
               "first_contact": datetime(2026, 3, 2, 7, 30), "last_contact": datetime(2026, 11, 20, 7, 30),
               "days_since_last_contact": 1, "days_with_contact": 2, "typical_gap_days": None, "strength": 1.5,
               "reciprocity": 1.0, "sent_count": 1, "received_count": 1, "meeting_count": 0}
    history = [{"happened_at": datetime(2026, 11, 20, 7, 30), "kind": "email", "direction": "received",
                "is_group": False, "title": "Hello"}]
    assert format_person(figures, history, LOS_ANGELES).splitlines() == [
        "Fay <fay@acme.example>",
        "Addresses: fay@acme.example (name)",
        "Overrides: none",
        "First contact 2026-03-01; last contact 2026-11-19 (1 days ago)",
        "Days with contact 2; typical gap unknown; strength 1.50; reciprocity 1.00",
        "Mail sent 1, received 1; meetings 0",
        "Last 1 interaction:",
        "  2026-11-19 23:30  email received  Hello",
    ]
