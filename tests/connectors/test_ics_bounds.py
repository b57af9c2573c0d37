"""Hostile calendars: endless recurrences stay within their bounds, and one broken component
costs only itself (issue 8, item 5)."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kith.connectors import icsrecur
from kith.connectors.ics import IcsConnector
from kith.connectors.icsparse import parse_calendar
from kith.models import Meeting, Skip
from kith.models.settings import FileAccount


def ics(*lines: str) -> bytes:
    return ("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *lines, "END:VCALENDAR"]) + "\r\n").encode()


def event(uid: str, *lines: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"]


def parse(data: bytes) -> tuple[list[Meeting], list[Skip]]:
    return parse_calendar(data, account="me", stream="cal.ics", since=datetime(2026, 1, 1), until=datetime(2027, 1, 1))


def starts(meetings: list[Meeting], uid: str) -> list[datetime]:
    return [m.start for m in meetings if m.ical_uid == uid]


def test_a_runaway_series_is_capped_and_the_cap_is_counted() -> None:
    meetings, skips = parse(
        ics(
            *event("lunch", "DTSTART:20261230T120000Z"),
            *event("minutely", "DTSTART;TZID=Europe/Berlin:20261229T000000", "RRULE:FREQ=MINUTELY;COUNT=1000000000"),
        )
    )
    first = datetime(2026, 12, 28, 23, 0)
    assert [(m.source_id, m.start, m.end) for m in meetings if m.ical_uid == "minutely"] == [
        (f"minutely/{(first + timedelta(minutes=i)).isoformat()}", first + timedelta(minutes=i), first + timedelta(minutes=i))
        for i in range(2000)
    ]
    assert [m.source_id for m in meetings if m.ical_uid != "minutely"] == ["lunch"]
    assert skips == [Skip(location="cal.ics#minutely", reason="series capped at 2,000 instances")]


def test_a_series_too_dense_to_reach_the_window_keeps_what_it_states() -> None:
    meetings, skips = parse(
        ics(
            *event("lunch", "DTSTART:20260105T120000Z"),
            *event("since-2020", "DTSTART:20200101T000000Z", "RRULE:FREQ=SECONDLY"),  # on main: never ends
            # no 30 February ever: dateutil looked for one minute by minute up to the year 9999
            *event("never", "DTSTART:20260105T100000Z", "RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30"),
        )
    )
    assert [m.source_id for m in meetings] == [
        "since-2020/2020-01-01T00:00:00",
        "never/2026-01-05T10:00:00",
        "lunch",
    ]
    assert skips == [
        Skip(
            location="cal.ics#since-2020",  # 189 million seconds before the window
            reason="recurrence not expanded (more than 50,000 occurrences from its start to the window); "
            "kept its stated instances only",
        )
    ]


def test_an_endless_series_is_expanded_within_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "cal.ics").write_bytes(
        ics(
            *event("secondly", "DTSTART:20260310T090000Z", "RRULE:FREQ=SECONDLY"),
            *event("standup", "DTSTART;TZID=Europe/Berlin:20250106T093000", "DURATION:PT15M", "RRULE:FREQ=DAILY"),
        )
    )
    connector = IcsConnector(FileAccount(name="cal", kind="ics", path=tmp_path), now=lambda: datetime(2026, 3, 10, 8))
    tracemalloc.start()
    try:
        [batch] = list(connector.fetch(str(tmp_path / "cal.ics"), None))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MiB"
    assert starts(batch.meetings, "secondly") == [datetime(2026, 3, 10, 9) + timedelta(seconds=i) for i in range(2000)]
    berlin = ZoneInfo("Europe/Berlin")
    days = (datetime(2027, 3, 10) - datetime(2025, 1, 6)).days  # the window ends a year ahead
    assert starts(batch.meetings, "standup") == [
        (datetime(2025, 1, 6, 9, 30, tzinfo=berlin) + timedelta(days=d)).astimezone(UTC).replace(tzinfo=None)
        for d in range(days)
    ]
    assert batch.skips == [Skip(location=f"{tmp_path / 'cal.ics'}#secondly", reason="series capped at 2,000 instances")]


def test_a_file_spends_a_budget_across_its_series(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(icsrecur, "MAX_INSTANCES_PER_SERIES", 3)
    monkeypatch.setattr(icsrecur, "MAX_INSTANCES_PER_FILE", 5)
    monkeypatch.setattr(icsrecur, "MAX_STEPS_PER_SERIES", 100)
    meetings, skips = parse(
        ics(
            *event("old", "DTSTART:20250101T080000Z", "RRULE:FREQ=DAILY"),  # 365 steps before the window
            *event("a", "DTSTART:20260105T080000Z", "RRULE:FREQ=DAILY"),
            *event("b", "DTSTART:20260105T090000Z", "RRULE:FREQ=DAILY"),
            *event("c", "DTSTART:20260105T100000Z", "RRULE:FREQ=DAILY"),
        )
    )
    day = timedelta(days=1)
    assert [(m.ical_uid, m.start) for m in meetings] == [
        ("old", datetime(2025, 1, 1, 8)),
        ("a", datetime(2026, 1, 5, 8)), ("b", datetime(2026, 1, 5, 9)), ("c", datetime(2026, 1, 5, 10)),
        ("a", datetime(2026, 1, 5, 8) + day), ("b", datetime(2026, 1, 5, 9) + day),
        ("a", datetime(2026, 1, 5, 8) + 2 * day),
    ]  # fmt: skip
    assert skips == [
        Skip(
            location="cal.ics#old",
            reason="recurrence not expanded (more than 100 occurrences from its start to the window); "
            "kept its stated instances only",
        ),
        Skip(location="cal.ics#a", reason="series capped at 3 instances"),
        Skip(location="cal.ics#b", reason="series capped at 2 instances (the file's budget of 5 is spent)"),
        Skip(
            location="cal.ics#c",
            reason="recurrence not expanded (the file's budget of 5 expanded instances is spent); "
            "kept its stated instances only",
        ),
    ]



def test_a_series_whose_instances_are_huge_keeps_as_many_as_its_byte_bound_allows() -> None:
    """A 1 MB title or 5,000 attendees on a daily series: every instance would carry a copy
    (on main, 1,096 copies each; the fuzz run passed 2 GiB)."""
    attendees = [f"ATTENDEE;CN=P{i}:mailto:p{i}@example.org" for i in range(5_000)]
    meetings, skips = parse(
        ics(
            *event("lunch", "DTSTART:20260105T120000Z"),
            *event("town-hall", "DTSTART:20260105T090000Z", "SUMMARY:Town hall", *attendees, "RRULE:FREQ=DAILY"),
            *event("filler", "DTSTART:20260105T100000Z", "SUMMARY:" + "x" * 1_000_000, "RRULE:FREQ=DAILY"),
        )
    )
    day = timedelta(days=1)
    kept = [(m.ical_uid, m.start, len(m.title or ""), len(m.attendees)) for m in meetings]
    assert sorted(kept) == sorted(
        [("lunch", datetime(2026, 1, 5, 12), 0, 0)]
        + [("town-hall", datetime(2026, 1, 5, 9) + i * day, 9, 5_000) for i in range(7)]  # 16 MB / 2,165 KB
        + [("filler", datetime(2026, 1, 5, 10) + i * day, 1_000, 0) for i in range(16)]  # titles clipped as stored
    )
    assert skips == [
        Skip(location="cal.ics#town-hall", reason="series capped at 7 instances (each instance carries about 2,165 KB of title and attendees)"),
        Skip(location="cal.ics#filler", reason="series capped at 16 instances (each instance carries about 1,016 KB of title and attendees)"),
    ]  # fmt: skip


BROKEN_TIME_ZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Kith/Broken-Zone",
    "BEGIN:STANDARD",
    "DTSTART:19701101T020000",
    "TZOFFSETTO:-0500",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def test_one_broken_component_costs_only_itself() -> None:
    meetings, skips = parse(
        ics(
            *BROKEN_TIME_ZONE,
            *event("lunch", "SUMMARY:Lunch", "DTSTART:20260105T120000Z"),
            *event("zoned", "DTSTART;TZID=Kith/Broken-Zone:20260106T100000"),  # its zone is unknown: UTC
            *event("no-start", "DTSTART:2026-01-07"),
            *event("bad-rule", "DTSTART:20260105T100000Z", "RRULE:FREQ=WEEKLY;UNTL=20260301"),
            *event("alarmed", "DTSTART:20260108T100000Z", "BEGIN:VALARM", "TRIGGER:soon", "END:VALARM"),
            *event("weekly", "DTSTART:20260112T080000Z", "RRULE:FREQ=WEEKLY;COUNT=3"),
        )
    )
    assert [(m.source_id, m.start, m.title) for m in meetings] == [
        ("bad-rule/2026-01-05T10:00:00", datetime(2026, 1, 5, 10), None),
        ("lunch", datetime(2026, 1, 5, 12), "Lunch"),
        ("zoned", datetime(2026, 1, 6, 10), None),
        ("weekly/2026-01-12T08:00:00", datetime(2026, 1, 12, 8), None),
        ("weekly/2026-01-19T08:00:00", datetime(2026, 1, 19, 8), None),
        ("weekly/2026-01-26T08:00:00", datetime(2026, 1, 26, 8), None),
    ]
    assert skips == [
        Skip(location="cal.ics#Kith/Broken-Zone", reason="VTIMEZONE not usable: mandatory TZOFFSETFROM not found"),
        Skip(location="cal.ics#alarmed", reason="VEVENT not usable: Expected datetime, date, or time. Got: 'soon'"),
        Skip(location="cal.ics#no-start", reason="event has no usable DTSTART"),
        Skip(location="cal.ics#bad-rule", reason="recurrence not expanded (unknown parameter 'UNTL'); kept its stated instances only"),
    ]
