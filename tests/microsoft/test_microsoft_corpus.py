"""Every recorded Graph response in the shared corpora parses, and its messages and events land
in the warehouse with their participants. Placeholder examples from the documentation (no id,
no sender) are counted as skips with their reason, never a crash."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from kith.connectors.microsoft.calendar import parse_event
from kith.connectors.microsoft.mail import parse_message, split_page
from kith.models import Batch, Meeting, Message, Skip
from kith.warehouse import open_warehouse
from kith.warehouse.load import save_batch

FOLDERS = {"mail-folders__001_get_delta.json", "mail-folders__002_get_delta.json"}
# What cannot land, and why: documentation placeholders and responses that selected no sender.
SKIPS = {
    "event-delta__example01.json": ["Graph event without an id"],
    "message-delta__example01.json": ["Graph message without an id"],
    "message-get__example02.json": ["no usable from address"],  # $select=internetMessageHeaders
    "message-get__example03.json": ["no usable from address"],  # $select=subject,body,...
    "user-list-calendarview__example01.json": ["Graph event without an id"],
    "get-message__001_get_AQMkADAwATNiZmYAZS1hZGNjAC0zNzY5LTAwAi0w.json": ["draft: not sent"],
}


def responses(corpora: Path) -> list[Path]:
    api = corpora / "api"
    files = sorted((api / "msgraph_docs_examples").glob("*.json")) + sorted((api / "nango_recorded" / "msgraph_outlook").glob("*.json"))
    return [f for f in files if f.name != "INDEX.json" and f.name not in FOLDERS]


def is_calendar(name: str) -> bool:
    return "event" in name or "calendar" in name


def parse_file(path: Path) -> Batch:
    payload = json.loads(path.read_text(encoding="utf-8"))
    page = payload if isinstance(payload.get("value"), list) else {"value": [payload]}
    items, removed = split_page(page)
    stream = "calendar" if is_calendar(path.name) else "mail/inbox"
    batch = Batch(account="work", stream=stream, deleted=removed)
    for item in items:
        if stream == "calendar":
            record = parse_event(item, account="work", stream=stream)
        else:
            record = parse_message(item, account="work", stream=stream, folder="inbox")
        if isinstance(record, Skip):
            batch.skips.append(record)
        elif isinstance(record, Meeting):
            batch.meetings.append(record)
        elif isinstance(record, Message):
            batch.messages.append(record)
    return batch


def test_every_recorded_response_parses_and_lands_with_its_participants(corpora: Path, tmp_path: Path) -> None:
    files = responses(corpora)
    assert len(files) == 27
    landed_messages = landed_meetings = 0
    with open_warehouse(tmp_path / "kith.duckdb") as wh:
        for path in files:
            batch = parse_file(path)
            assert [s.reason for s in batch.skips] == SKIPS.get(path.name, []), path.name
            save_batch(wh.conn, batch, kind="microsoft")
            for m in batch.messages:
                expected = sorted([("from", m.sender.email)] + [("to", a.email) for a in m.to] + [("cc", a.email) for a in m.cc])
                stored = wh.conn.execute(
                    "SELECT role, address FROM message_addresses WHERE source_id = ? ORDER BY role, address", [m.source_id]
                ).fetchall()
                assert stored == expected, (path.name, m.source_id)
            for g in batch.meetings:
                stored = wh.conn.execute(
                    "SELECT address, name, response, is_organizer FROM meeting_attendees WHERE source_id = ? ORDER BY position", [g.source_id]
                ).fetchall()
                assert stored == [(a.email, a.name, a.response, a.is_organizer) for a in g.attendees], (path.name, g.source_id)
                assert g.attendees, path.name  # every event has at least its organizer
            landed_messages += len(batch.messages)
            landed_meetings += len(batch.meetings)
        assert wh.conn.execute("SELECT count(*) FROM messages").fetchall() == [(18,)]
        assert wh.conn.execute("SELECT count(*) FROM meetings").fetchall() == [(12,)]
    assert (landed_messages, landed_meetings) == (21, 14)  # some records recur across files (same id)


def test_recorded_event_with_windows_time_zone_and_responses(corpora: Path) -> None:
    batch = parse_file(corpora / "api" / "msgraph_docs_examples" / "event-get__example01.json")
    [meeting] = batch.meetings
    assert (meeting.title, meeting.start, meeting.end, meeting.organizer.email) == (
        "Orientation ", datetime(2017, 4, 21, 17, 0), datetime(2017, 4, 21, 19, 0),
        "samanthab@a830edad905084922e17020313.onmicrosoft.com",
    )  # fmt: skip
    assert [(a.email, a.name, a.response, a.is_organizer) for a in meeting.attendees] == [
        ("samanthab@a830edad905084922e17020313.onmicrosoft.com", "Samantha Booth", "needs_action", True),
        ("danas@a830edad905084922e17020313.onmicrosoft.com", "Dana Swope", "tentative", False),
    ]


def test_recorded_delta_message_keeps_its_identity(corpora: Path) -> None:
    batch = parse_file(corpora / "api" / "nango_recorded" / "msgraph_outlook" / "messages__002_get_delta.json")
    [message] = batch.messages
    assert (message.message_id, message.thread_id, message.sent_at.isoformat(), message.sender.email, message.link.split("&")[0]) == (
        "<XLFOK3GDSSU4.LCEKJ3R7AS421@bl02epf00024f3d>",
        "AQQkADAwATNiZmYAZS1hZGNjAC0zNzY5LTAwAi0wMAoAEAAv6oSgJEQnQIvGFcCJcB_K",
        "2026-03-19T15:00:21",
        "account-security-noreply@accountprotection.microsoft.com",
        "https://outlook.live.com/owa/?ItemID=AQMkADAwATNiZmYAZS1hZGNjAC0zNzY5LTAwAi0wMAoARgAAA4r%2BTlY6z%2FREqceKH8A61PsHAHnHtSEqpiRFlk2OncK9A48AAAIBDAAAAHnHtSEqpiRFlk2OncK9A48AAAIFUAAAAA%3D%3D",
    )
