"""People met only in meetings are shown by the names calendars give them (issue 10, item 3), on a
real calendar export nobody here wrote (khal's test event: six attendees, three with a CN)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from kith.connectors.icsparse import parse_calendar
from kith.models import Batch
from kith.warehouse.load import save_batch
from kith.warehouse.people import refresh_people
from kith.warehouse.schema import ensure_schema

USER = "jdoe@example.com"  # Jane Doe, one of the attendees


def test_attendees_known_only_from_a_real_calendar_are_named_by_its_cn(corpora):
    path = corpora / "calendar/ics/khal/event_dt_partstat.ics"
    meetings, _ = parse_calendar(path.read_bytes(), account="cal", stream=str(path),
                                 since=datetime(2010, 1, 1), until=datetime(2020, 1, 1))
    conn = duckdb.connect()
    ensure_schema(conn)
    save_batch(conn, Batch(account="cal", stream=str(path), meetings=meetings, reset=True), kind="ics")
    refresh_people(conn, [USER])
    rows = conn.execute("SELECT primary_address, display_name, meeting_count, two_way "
                        "FROM relationships ORDER BY primary_address").fetchall()
    # the calendar's own spellings: folding split two addresses (RFC 5545 unfolding keeps a space);
    # another@ declined, so met nobody; The Big Cheese delegated to Henry Cabot and stays on the
    # invite as a NON-PARTICIPANT, so met nobody either
    assert rows == [
        ("hcabot@ example.com", "Henry Cabot", 1, True),
        ("jqpublic@example.com", None, 1, True),
        ("tent@example.com", None, 1, True),
    ]
