"""connectors/ics.py: the .ics parser on hand-written calendars and the shared corpus, and the
file connector's cursor contract (unchanged file: nothing; changed file: one reset batch)."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

import pytest

from kith.connectors.errors import SourceMissing
from kith.connectors.ics import IcsConnector, parse_calendar
from kith.models import Address, Attendee, Meeting, Skip
from kith.models.settings import FileAccount

UNTIL = datetime(2027, 1, 1)


def ics(*lines: str) -> bytes:
    """A calendar file from its content lines, CRLF-terminated as RFC 5545 asks."""
    return ("\r\n".join(lines) + "\r\n").encode()


def parse(data: bytes, **kwargs) -> tuple[list[Meeting], list[Skip]]:
    return parse_calendar(data, account="me", stream="cal.ics", until=UNTIL, **kwargs)


# --- recurrence, time zones, cancellations -------------------------------------------------------

NEW_YORK_WEEKLY = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//kith tests//EN",
    "X-WR-CALNAME:Work",
    "BEGIN:VTIMEZONE",
    "TZID:America/New_York",
    "BEGIN:STANDARD",
    "DTSTART:19701101T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "TZNAME:EST",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700308T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "TZNAME:EDT",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
    # Mondays 09:00-10:00 New York; DST starts Sunday 2024-03-10.
    "BEGIN:VEVENT",
    "UID:weekly-1",
    "SUMMARY:Weekly sync",
    "DTSTART;TZID=America/New_York:20240304T090000",
    "DTEND;TZID=America/New_York:20240304T100000",
    "RRULE:FREQ=WEEKLY;COUNT=5",
    "EXDATE;TZID=America/New_York:20240318T090000",
    "END:VEVENT",
    # The 03-25 instance moved to Tuesday 10:00.
    "BEGIN:VEVENT",
    "UID:weekly-1",
    "SUMMARY:Weekly sync (moved)",
    "RECURRENCE-ID;TZID=America/New_York:20240325T090000",
    "DTSTART;TZID=America/New_York:20240326T100000",
    "DTEND;TZID=America/New_York:20240326T110000",
    "END:VEVENT",
    # The 04-01 instance cancelled.
    "BEGIN:VEVENT",
    "UID:weekly-1",
    "SUMMARY:Weekly sync",
    "STATUS:CANCELLED",
    "RECURRENCE-ID;TZID=America/New_York:20240401T090000",
    "DTSTART;TZID=America/New_York:20240401T090000",
    "DTEND;TZID=America/New_York:20240401T100000",
    "END:VEVENT",
    "END:VCALENDAR",
)


def test_weekly_event_across_dst_with_exdate_override_and_cancellation():
    meetings, skips = parse(NEW_YORK_WEEKLY, since=datetime(2024, 1, 1))

    assert skips == []
    assert [(m.source_id, m.start, m.end, m.status) for m in meetings] == [
        ("weekly-1/2024-03-04T14:00:00", datetime(2024, 3, 4, 14), datetime(2024, 3, 4, 15), "confirmed"),
        ("weekly-1/2024-03-11T13:00:00", datetime(2024, 3, 11, 13), datetime(2024, 3, 11, 14), "confirmed"),
        ("weekly-1/2024-03-25T13:00:00", datetime(2024, 3, 26, 14), datetime(2024, 3, 26, 15), "confirmed"),
        ("weekly-1/2024-04-01T13:00:00", datetime(2024, 4, 1, 13), datetime(2024, 4, 1, 14), "cancelled"),
    ]
    moved = meetings[2]
    assert (moved.title, moved.recurrence_id, moved.ical_uid, moved.calendar) == (
        "Weekly sync (moved)",
        datetime(2024, 3, 25, 13),
        "weekly-1",
        "Work",
    )


def test_window_bounds_recurring_instances_but_not_single_events():
    single = ics(
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "UID:old-lunch",
        "DTSTART:20150101T120000Z",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:daily",
        "DTSTART:20261230T080000Z",
        "RRULE:FREQ=DAILY",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    meetings, skips = parse(single)

    assert skips == []
    assert [m.source_id for m in meetings] == [
        "old-lunch",
        "daily/2026-12-30T08:00:00",
        "daily/2026-12-31T08:00:00",
    ]


def test_whole_cancelled_event_is_kept_as_cancelled():
    meetings, _ = parse(
        ics(
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "UID:gone",
            "STATUS:CANCELLED",
            "DTSTART:20240105T100000Z",
            "DURATION:PT30M",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )
    assert [(m.source_id, m.start, m.end, m.status, m.recurrence_id) for m in meetings] == [
        ("gone", datetime(2024, 1, 5, 10), datetime(2024, 1, 5, 10, 30), "cancelled", None)
    ]


def test_all_day_floating_and_unknown_time_zones():
    meetings, skips = parse(
        ics(
            "BEGIN:VCALENDAR",
            "X-WR-TIMEZONE:Europe/Berlin",
            "BEGIN:VEVENT",
            "UID:holiday",
            "SUMMARY:Day off",
            "DTSTART;VALUE=DATE:20240610",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:floating",
            "DTSTART:20240611T090000",
            "DTEND:20240611T100000",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:mars",
            "DTSTART;TZID=Mars/Olympus_Mons:20240612T090000",
            "DTEND;TZID=Mars/Olympus_Mons:20240612T080000",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )
    assert skips == []
    assert [(m.source_id, m.start, m.end, m.all_day) for m in meetings] == [
        ("holiday", datetime(2024, 6, 10), datetime(2024, 6, 11), True),
        ("floating", datetime(2024, 6, 11, 7), datetime(2024, 6, 11, 8), False),  # Berlin, CEST
        ("mars", datetime(2024, 6, 12, 8), datetime(2024, 6, 12, 9), False),  # UTC; end<start swapped
    ]


def test_google_contacts_birthday_is_a_birthday():
    meetings, skips = parse(
        ics(
            "BEGIN:VCALENDAR",
            "X-WR-CALNAME:Contacts",
            "BEGIN:VEVENT",
            "UID:BIRTHDAY_79d389868f96182e@google.com",
            "SUMMARY:Alex's birthday",
            "DTSTART;VALUE=DATE:19900515",
            "DTEND;VALUE=DATE:19900516",
            "RRULE:FREQ=YEARLY",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:standup",
            "DTSTART:20260101T090000Z",
            "END:VEVENT",
            "END:VCALENDAR",
        ),
        since=datetime(2024, 1, 1),
    )
    assert skips == []
    assert [(m.source_id, m.start, m.all_day, m.event_type) for m in meetings] == [
        ("BIRTHDAY_79d389868f96182e@google.com/2024-05-15T00:00:00", datetime(2024, 5, 15), True, "birthday"),
        ("BIRTHDAY_79d389868f96182e@google.com/2025-05-15T00:00:00", datetime(2025, 5, 15), True, "birthday"),
        ("standup", datetime(2026, 1, 1, 9), False, "default"),
        ("BIRTHDAY_79d389868f96182e@google.com/2026-05-15T00:00:00", datetime(2026, 5, 15), True, "birthday"),
    ]


def test_organizer_attendees_and_the_rest_of_a_meeting():
    meetings, skips = parse(
        ics(
            "BEGIN:VCALENDAR",
            "X-WR-CALNAME:ann@example.com",
            "BEGIN:VEVENT",
            "UID:kickoff@example.com",
            "SUMMARY:Kickoff",
            "DESCRIPTION:Agenda: everything",
            "URL:https://example.com/meet/1",
            "DTSTART:20240301T150000Z",
            "DTEND:20240301T160000Z",
            "ORGANIZER;CN=Ann Lee:mailto:Ann@Example.com",
            "ATTENDEE;CN=Ann Lee;PARTSTAT=ACCEPTED:mailto:ann@example.com",
            "ATTENDEE;CN=Bob;PARTSTAT=DECLINED;ROLE=OPT-PARTICIPANT:MAILTO:Bob@Example.COM",
            "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:carol@example.com",
            "ATTENDEE;CN=\"Dee, D.\";PARTSTAT=TENTATIVE;ROLE=REQ-PARTICIPANT:mailto:dee@example.com",
            "ATTENDEE;PARTSTAT=DELEGATED:mailto:eve@example.com",
            "ATTENDEE;PARTSTAT=X-ODD:mailto:fay@example.com",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )
    assert skips == []
    assert meetings == [
        Meeting(
            account="me",
            source_id="kickoff@example.com",
            stream="cal.ics",
            ical_uid="kickoff@example.com",
            calendar="ann@example.com",
            title="Kickoff",
            start=datetime(2024, 3, 1, 15),
            end=datetime(2024, 3, 1, 16),
            organizer=Address(email="ann@example.com", name="Ann Lee"),
            attendees=[
                Attendee(email="ann@example.com", name="Ann Lee", response="accepted", is_organizer=True),
                Attendee(email="bob@example.com", name="Bob", response="declined", optional=True),
                Attendee(email="carol@example.com", response="needs_action"),
                Attendee(email="dee@example.com", name="Dee, D.", response="tentative"),
                Attendee(email="eve@example.com", response="delegated"),
                Attendee(email="fay@example.com"),
            ],
            link="https://example.com/meet/1",
            description_text="Agenda: everything",
        )
    ]
    assert "description_text" not in meetings[0].model_dump()


# --- bad input ------------------------------------------------------------------------------------


def test_unparseable_file_is_one_skip():
    meetings, skips = parse(b"this is not a calendar\n")
    assert meetings == []
    assert [s.location for s in skips] == ["cal.ics"]
    assert skips[0].reason.startswith("not an iCalendar file: ")


def test_unusable_events_are_skipped_with_their_location():
    meetings, skips = parse(
        ics(
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "UID:no-start",
            "SUMMARY:when?",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "SUMMARY:no uid and no start",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:bad-rule",
            "DTSTART:20260105T100000Z",
            "RRULE:FREQ=WEEKLY;UNTL=20260301",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "SUMMARY:no uid",
            "DTSTART:20260105T100000Z",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )
    assert [(m.source_id, m.start) for m in meetings] == [
        (hashlib.sha1(b"20260105T100000Z|no uid").hexdigest(), datetime(2026, 1, 5, 10)),
        ("bad-rule/2026-01-05T10:00:00", datetime(2026, 1, 5, 10)),
    ]
    assert meetings[0].ical_uid is None
    assert [(s.location, s.reason.split(" (")[0]) for s in skips] == [
        ("cal.ics#no-start", "event has no usable DTSTART"),
        ("cal.ics#1", "event has no usable DTSTART"),
        ("cal.ics#bad-rule", "recurrence not expanded"),
    ]


# --- the shared corpus ----------------------------------------------------------------------------

# (meetings, skips) per file with until=2027-01-01 and the default two-year window, so events
# before 2025 in recurring series are outside it. Skips are: missing DTSTART (broken_*, rfc_*,
# issue_722, issue_1050), a file without a calendar (big_bad_calendar), a stray calendar line
# whose event is still kept (issue_104), bad RRULEs (issue_165,
# bad_rrule_missing_until_event), RDATE/EXDATE values that had to be ignored (multiple_timezones,
# parsing_error, google_birthday).
CORPUS_COUNTS = {
    "collective_icalendar/alarm_etar_future.ics": (1, 0),
    "collective_icalendar/alarm_google_acknowledged.ics": (1, 0),
    "collective_icalendar/alarm_thunderbird_future.ics": (1, 0),
    "collective_icalendar/america_new_york.ics": (1, 0),
    "collective_icalendar/big_bad_calendar.ics": (0, 1),
    "collective_icalendar/bom_calendar.ics": (0, 0),
    "collective_icalendar/broken_dtstart.ics": (0, 1),
    "collective_icalendar/broken_ical.ics": (0, 1),
    "collective_icalendar/calendar_with_unicode.ics": (0, 0),
    "collective_icalendar/issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": (1, 0),
    "collective_icalendar/issue_104_broken_calendar.ics": (1, 1),
    "collective_icalendar/issue_1050_multiple_calendars.ics": (0, 2),
    "collective_icalendar/issue_156_RDATE_with_PERIOD_TZID_khal.ics": (0, 0),
    "collective_icalendar/issue_156_RDATE_with_PERIOD_TZID_khal_2.ics": (0, 0),
    "collective_icalendar/issue_165_missing_event.ics": (1, 1),
    "collective_icalendar/issue_218_bad_tzid.ics": (1, 0),
    "collective_icalendar/issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": (1, 0),
    "collective_icalendar/issue_27_multiple_periods_in_freebusy_multiple_freebusies.ics": (0, 0),
    "collective_icalendar/issue_348_exception_parsing_value.ics": (1, 0),
    "collective_icalendar/issue_722_missing_timezones.ics": (0, 2),
    "collective_icalendar/issue_836_do_not_quote_tzid.ics": (1, 0),
    "collective_icalendar/multiple_timezones.ics": (0, 3),
    "collective_icalendar/pacific_fiji.ics": (0, 0),
    "collective_icalendar/parsing_error.ics": (0, 1),
    "collective_icalendar/property_params.ics": (1, 0),
    "collective_icalendar/rfc_6868.ics": (0, 1),
    "collective_icalendar/rfc_7256_multi_value_parameters.ics": (0, 2),
    "collective_icalendar/x_location.ics": (522, 0),
    "kewisch_ical.js/blank_description.ics": (1, 0),
    "kewisch_ical.js/daily_recur.ics": (730, 0),
    "kewisch_ical.js/day_long_recur_yearly.ics": (522, 0),
    "kewisch_ical.js/forced_types.ics": (1, 0),
    "kewisch_ical.js/google_birthday.ics": (0, 1),
    "kewisch_ical.js/multiple_rrules.ics": (0, 0),
    "kewisch_ical.js/parserv2.ics": (522, 0),
    "kewisch_ical.js/recur_instances.ics": (24, 0),
    "kewisch_ical.js/recur_instances_finite.ics": (0, 0),
    "kewisch_ical.js/utc_negative_zero.ics": (1, 0),
    "khal/event_dt_partstat.ics": (1, 0),
    "python-recurring-ical-events/Germany.ics": (159, 0),
    "python-recurring-ical-events/bad_rrule_missing_until_event.ics": (1, 1),
    "python-recurring-ical-events/daylight_saving_time.ics": (662, 0),
    "python-recurring-ical-events/discourse_no_dtend.ics": (4, 0),
    "python-recurring-ical-events/each_week_but_two_deleted.ics": (0, 0),
    "python-recurring-ical-events/end_before_start_event.ics": (1, 0),
    "python-recurring-ical-events/fablab_cottbus.ics": (51, 0),
    "python-recurring-ical-events/issue_132_swapped_start_and_end.ics": (1, 0),
    "python-recurring-ical-events/issue_148_edge_case_1.ics": (0, 0),
    "python-recurring-ical-events/issue_151_macos_linux_difference.ics": (2, 0),
    "python-recurring-ical-events/issue_173_only_modifications_error.ics": (1070, 0),
    "python-recurring-ical-events/issue_18_cancel_status.ics": (0, 0),
    "python-recurring-ical-events/issue_201_test_matrix.ics": (15, 0),
    "python-recurring-ical-events/issue_20_exdate_ignored.ics": (0, 0),
    "python-recurring-ical-events/issue_223_thunderbird.ics": (5, 0),
    "python-recurring-ical-events/issue_27_t1.ics": (0, 0),
    "python-recurring-ical-events/issue_28_rrule_with_UTC_endinginZ.ics": (0, 0),
    "python-recurring-ical-events/issue_4.ics": (105, 0),
    "python-recurring-ical-events/issue_44_double_event.ics": (1, 0),
    "python-recurring-ical-events/issue_48_dst.ics": (1460, 0),
    "python-recurring-ical-events/issue_61_time_zone_error.ics": (1, 0),
    "python-recurring-ical-events/issue_62_moved_event_2.ics": (0, 0),
    "python-recurring-ical-events/issue_75_range_parameter.ics": (131, 0),
    "python-recurring-ical-events/one_day_event_repeat_every_day.ics": (730, 0),
    "python-recurring-ical-events/rdate_hackerpublicradio.ics": (0, 0),
    "python-recurring-ical-events/recurring_events_changed_duration.ics": (0, 0),
    "python-recurring-ical-events/recurring_events_moved.ics": (0, 0),
    "python-recurring-ical-events/subcomponents.ics": (1, 0),
    "python-recurring-ical-events/x_wr_timezone_simple_events_issue_59.ics": (2, 0),
}


@pytest.fixture(scope="module")
def ics_corpus(corpora: Path) -> Path:
    return corpora / "calendar" / "ics"


def test_every_corpus_file_parses_to_pinned_counts(ics_corpus: Path):
    counts = {}
    for path in sorted(ics_corpus.rglob("*.ics")):
        name = path.relative_to(ics_corpus).as_posix()
        meetings, skips = parse_calendar(path.read_bytes(), account="me", stream=name, until=UNTIL)
        assert len({m.source_id for m in meetings}) == len(meetings), name
        assert all(m.start.tzinfo is None and m.end is not None and m.end >= m.start for m in meetings)
        assert all(s.location == name or s.location.startswith(f"{name}#") for s in skips)
        counts[name] = (len(meetings), len(skips))
    assert counts == CORPUS_COUNTS


def test_corpus_google_birthday_calendar(ics_corpus: Path):
    data = (ics_corpus / "kewisch_ical.js" / "google_birthday.ics").read_bytes()
    meetings, skips = parse_calendar(data, account="me", stream="b", until=UNTIL, since=datetime(2010, 1, 1))
    assert [(m.source_id, m.start, m.all_day, m.event_type) for m in meetings] == [
        ("BIRTHDAY_79d389868f96182e@google.com/2012-12-10T00:00:00", datetime(2012, 12, 10), True, "birthday"),
        ("BIRTHDAY_79d389868f96182e@google.com/2013-12-10T00:00:00", datetime(2013, 12, 10), True, "birthday"),
        ("2014_BIRTHDAY_79d389868f96182e@google.com/2014-12-10T00:00:00", datetime(2014, 12, 10), True, "birthday"),
        ("BIRTHDAY_79d389868f96182e@google.com/2014-12-10T00:00:00", datetime(2014, 12, 10), True, "birthday"),
    ]
    assert [s.reason.split(" (")[0] for s in skips] == ["ignored unreadable RDATE"]


# --- the connector --------------------------------------------------------------------------------


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def one_event(uid: str, start: str) -> bytes:
    return ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", f"UID:{uid}", f"DTSTART:{start}", "END:VEVENT", "END:VCALENDAR")


def test_connector_reads_changed_files_only(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.ics").write_bytes(one_event("a1", "20260301T100000Z"))
    (tmp_path / "sub" / "b.ics").write_bytes(one_event("b1", "20260302T100000Z"))
    (tmp_path / "notes.txt").write_text("not a calendar")
    clock = Clock(datetime(2026, 3, 10, 8, 30))
    connector = IcsConnector(FileAccount(name="files", kind="ics", path=tmp_path), now=clock)
    a, b = str(tmp_path / "a.ics"), str(tmp_path / "sub" / "b.ics")

    assert connector.streams() == [a, b]
    [first] = list(connector.fetch(a, None))
    assert (first.reset, [m.source_id for m in first.meetings], first.skips) == (True, ["a1"], [])
    assert first.cursor is not None
    assert first.cursor["until"] == "2027-03-10T00:00:00"
    assert list(connector.fetch(b, None))[0].meetings[0].source_id == "b1"

    clock.now = datetime(2026, 3, 10, 23, 59)  # same day, same file: not read again
    assert list(connector.fetch(a, first.cursor)) == []

    with (tmp_path / "a.ics").open("ab") as file:  # appended: re-read whole, stream replaced
        file.write(one_event("a2", "20260303T100000Z"))
    [second] = list(connector.fetch(a, first.cursor))
    assert (second.reset, [m.source_id for m in second.meetings]) == (True, ["a1", "a2"])
    assert list(connector.fetch(a, second.cursor)) == []

    stat = (tmp_path / "a.ics").stat()  # touched only
    os.utime(tmp_path / "a.ics", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    [touched] = list(connector.fetch(a, second.cursor))
    assert touched.reset and len(touched.meetings) == 2

    clock.now = datetime(2026, 3, 11, 0, 1)  # a new day moves the window: re-read
    [next_day] = list(connector.fetch(a, touched.cursor))
    assert next_day.reset and next_day.cursor["until"] == "2027-03-11T00:00:00"

    (tmp_path / "a.ics").unlink()  # gone: no longer listed (the sync drops its stream); a
    with pytest.raises(SourceMissing, match="a.ics .No such file or directory.; nothing synced from it was changed"):
        list(connector.fetch(a, next_day.cursor))  # fetch of it anyway changes nothing
    assert connector.streams() == [b]
    connector.close()


def test_connector_single_file_path(tmp_path: Path):
    path = tmp_path / "one.ics"
    path.write_bytes(b"garbage")
    connector = IcsConnector(FileAccount(name="f", kind="ics", path=path), now=lambda: datetime(2026, 1, 1))
    assert connector.kind == "ics" and connector.account == "f"
    assert connector.streams() == [str(path)]
    [batch] = list(connector.fetch(str(path), None))
    assert (batch.reset, batch.meetings, [s.location for s in batch.skips]) == (True, [], [str(path)])
