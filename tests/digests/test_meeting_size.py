"""Evidence from meetings weighed by size (issue 10, item 3): a weekly company-wide meeting of over a
hundred people makes none of its attendees a contact, a reconnect or a person just met, while
small meetings still count, and people known only from calendars are shown by the names the
calendar gives them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kith.digests.render import render_text
from kith.models.settings import MeetingSettings
from kith.warehouse.queries import use_meeting_size_limit
from tests.digests.calendar_world import USER, USER_NAME, build, event, mail

DAY = date(2026, 11, 26)
ME = (USER_NAME, USER)
PRIYA, KIM, LENA = ("Priya Shah", "priya.shah@acme.com"), ("Kim Nguyen", "kim.nguyen@acme.com"), \
    ("Lena Park", "lena.park@partner.io")
FIRST = ("Jordan", "Morgan", "Casey", "Riley", "Avery", "Quinn", "Rowan", "Emery", "Hayden", "Reese", "Sage")
LAST = ("Blake", "Wells", "Hart", "Lane", "Stone", "Reyes", "Frost", "Grant", "Hale", "Moss", "Page")
# 121 colleagues known only from the all-hands, and 14 vendors met once in a big kickoff.
STAFF = [(f"{f} {l}", f"{f.lower()}.{l.lower()}@acme.com") for f in FIRST for l in LAST]
VENDORS = [(f"Vendor {chr(65 + n)}. Person", f"person{n}@vendor.io") for n in range(14)]


def mailbox() -> list[str]:
    """Priya writes every two weeks until July; an automated sender writes every week; LinkedIn
    says a colleague from the all-hands has a new position."""
    out, when, number = [], datetime(2026, 1, 6, 9), 0
    while when < datetime(2026, 7, 15):
        out.append(mail(f"{USER_NAME} <{USER}>", f"{PRIYA[0]} <{PRIYA[1]}>", when, "Roadmap", number))
        out.append(mail(f"{PRIYA[0]} <{PRIYA[1]}>", f"{USER_NAME} <{USER}>", when + timedelta(hours=3), "Re: Roadmap",
                        number + 1))
        when, number = when + timedelta(days=14), number + 2
    for week in range(40):
        out.append(mail("Acme Portal <noreply@acme.com>", USER, datetime(2026, 2, 2, 7) + timedelta(weeks=week),
                        "Your weekly summary", 1000 + week))
    # news about a colleague known only from the all-hands: nobody the user knows
    out.append(mail("LinkedIn <messages-noreply@linkedin.com>", USER, datetime(2026, 11, 24, 6),
                    "Jordan Blake started a new position as Director of Sales at Acme", 2000))
    return out


def calendar() -> list[str]:
    """The weekly all-hands (123 people, the series ended in September), a weekly 1:1 with Kim
    (known only from the calendar) that stopped in October, a 16-person vendor kickoff and a 1:1
    intro with Lena this week, and a birthday of someone known only from the all-hands."""
    return [
        event("allhands@acme.com", "Acme all-hands", datetime(2025, 12, 1, 17), [ME, PRIYA, *STAFF],
              weekly_until=datetime(2026, 9, 28, 17)),
        event("kim-1on1@acme.com", "Alex / Kim 1:1", datetime(2026, 3, 3, 15), [ME, KIM],
              weekly_until=datetime(2026, 10, 6, 15)),
        event("kickoff@vendor.io", "Vendor kickoff", datetime(2026, 11, 23, 14), [ME, *VENDORS]),
        event("intro@partner.io", "Intro: Alex <> Lena", datetime(2026, 11, 24, 16), [ME, LENA]),
        event("bday@acme.com", "Bday Jordan Blake", date(2020, 11, 26), yearly=True),
    ]


EXPECTED = """\
kith digest for Thursday 26 November 2026
Good morning, Alex Morgan. 3 things for today.
New connections this week: 1 of 1

FOLLOW UP WITH PEOPLE YOU JUST MET
----------------------------------

* Lena Park <lena.park@partner.io>
  You met for the first time on Tuesday 24 Nov (“Intro: Alex <> Lena”)
  and have not written since.
  Last: Meeting “Intro: Alex <> Lena” on 24 Nov 2026

RECONNECT
---------

* Kim Nguyen <kim.nguyen@acme.com>
  You usually talk every week; it has been 7 weeks.
  Last: Meeting “Alex / Kim 1:1” on 6 Oct 2026

* Priya Shah <priya.shah@acme.com>
  You usually talk every 2 weeks; it has been 5 months.
  Last: Email “Re: Roadmap” on 7 Jul 2026

--
kith: fifteen minutes a day keeps your network alive.
"""


def test_a_weekly_all_hands_makes_no_reconnect_and_no_new_person_and_names_come_from_the_calendar(tmp_path):
    digest, _ = build(tmp_path, mailbox(), calendar(), DAY)
    assert render_text(digest) == EXPECTED


def test_no_suggestion_names_the_user_an_automated_sender_or_someone_known_only_from_big_meetings(tmp_path):
    digest, conn = build(tmp_path, mailbox(), calendar(), DAY)
    suggested = {item.address for item in digest.items}
    assert suggested == {KIM[1], PRIYA[1], LENA[1]}
    assert digest.new_connections_this_week == 1
    # nobody from the all-hands or the kickoff is a contact in the reporting views either
    rows = conn.execute("SELECT primary_address FROM relationships ORDER BY primary_address").fetchall()
    assert rows == [(KIM[1],), (LENA[1],), (PRIYA[1],)]


def test_the_size_limit_is_a_setting_and_meetings_weigh_less_as_they_grow(tmp_path):
    digest, conn = build(tmp_path, mailbox(), calendar(), DAY, meetings={"size_limit": 20})
    # at 20 people the 16-person kickoff counts: its 14 vendors are people just met
    assert digest.new_connections_this_week == 15
    rows = conn.execute("SELECT DISTINCT title, round(weight, 3) FROM interactions WHERE kind = 'meeting' "
                        "ORDER BY title").fetchall()
    assert rows == [("Alex / Kim 1:1", 3.0), ("Intro: Alex <> Lena", 3.0), ("Vendor kickoff", 0.802)]
    use_meeting_size_limit(conn, MeetingSettings().size_limit)
    rows = conn.execute("SELECT DISTINCT title FROM interactions WHERE kind = 'meeting' ORDER BY title").fetchall()
    assert rows == [("Alex / Kim 1:1",), ("Intro: Alex <> Lena",)]


def test_the_warehouse_default_matches_the_settings_default(tmp_path):
    import duckdb

    from kith.warehouse.schema import ensure_schema

    conn = duckdb.connect(str(tmp_path / "kith.duckdb"))
    ensure_schema(conn)
    assert conn.execute("SELECT meeting_size_limit()").fetchall() == [(MeetingSettings().size_limit,)]
