"""A message's row is keyed by where its source keeps it (mbox: file and offset; maildir: folder and
unique name; .eml: path; IMAP: folder, UIDVALIDITY and UID), never by its Message-ID, which any
sender can write. Counting deduplicates copies (the same Message-ID, sender and sent time) and
never two different messages that share a Message-ID."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from pathlib import Path

from kith.digests.follow_through import reply_owed_items
from kith.digests.items import DigestItem
from kith.flows.syncing import sync_accounts
from kith.generator.mailformat import format_from_line, format_rfc2822, render_message
from kith.models.settings import FileAccount, Settings, UserSettings
from kith.warehouse import open_warehouse

ME = "alex@example.com"
DANA = "dana@example.com"
DAY = date(2025, 6, 20)
START = datetime(2025, 3, 22, 9)
QUESTION = "Could you review the budget by Friday?"


def mail(sender: str, to: str, when: datetime, message_id: str, subject: str, body: str, name: str = "") -> str:
    """One mbox entry: the postmark line, then the message."""
    ts = calendar.timegm(when.timetuple())
    return format_from_line(sender, ts) + render_message(
        from_=f"{name} <{sender}>" if name else sender, to=to, subject=subject, date=format_rfc2822(ts, 0),
        message_id=message_id, body=body + "\n",
    ) + "\n"  # fmt: skip


def dana(n: int) -> str:
    """Dana's n-th message to the user (weekly from START); the twelfth asks a question."""
    body = QUESTION if n == 12 else f"Notes from week {n}."
    return mail(DANA, ME, START + timedelta(weeks=n - 1), f"<dana-{n}@example.com>", f"Week {n}", body, "Dana Kim")


def sync(home: Path, mail_folder: Path) -> None:
    settings = Settings(
        home=home, user=UserSettings(addresses=[ME]), accounts=[FileAccount(name="mail", kind="mbox", path=mail_folder)]
    )
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)


def test_a_stranger_reusing_a_message_id_replaces_nothing(tmp_path: Path) -> None:
    """Fails on main: the stranger's mail took the row of Dana's question (Message-ID was the key),
    so Dana's received count fell from 12 to 11 and the reply she is owed showed the stranger's
    "Invoice overdue" of 16 June instead of her question of 7 June."""
    folder = tmp_path / "mail"
    folder.mkdir()
    earlier = "".join(dana(n) for n in range(1, 12))
    question_offset = len(earlier)  # the question's postmark line: its place in the file
    (folder / "inbox.mbox").write_text(earlier + dana(12))
    (folder / "sent.mbox").write_text("".join(
        mail(ME, DANA, START + timedelta(weeks=n - 1, hours=3), f"<re-{n}@example.com>", f"Re: Week {n}", "Thanks!")
        for n in (1, 4, 8)
    ))  # fmt: skip
    (folder / "zz-spam.mbox").write_text(
        mail("mallory@elsewhere.example", ME, datetime(2025, 6, 16, 8), "<dana-12@example.com>",
             "Invoice overdue", "Please pay the attached invoice.", "Mallory")
    )  # fmt: skip
    sync(tmp_path, folder)

    with open_warehouse(tmp_path / "kith.duckdb") as wh:
        counts = wh.query(
            "SELECT primary_address, sent_count, received_count, two_way FROM relationships ORDER BY ALL"
        )
        owed = reply_owed_items(wh.conn, DAY)
        rows = wh.query("SELECT from_address, subject FROM messages WHERE message_id = '<dana-12@example.com>' ORDER BY ALL")

    assert counts == [(DANA, 3, 12, True), ("mallory@elsewhere.example", 0, 1, False)]
    assert rows == [(DANA, "Week 12"), ("mallory@elsewhere.example", "Invoice overdue")]
    assert owed == [
        DigestItem(
            section="reply_owed",
            person_id=DANA,
            name="Dana Kim",
            address=DANA,
            reason=f"Asked you 13 days ago: “{QUESTION}”",
            last_interaction="Email “Week 12” on 7 Jun 2025",
            score=13.0,
            account="mail",
            source_id=f"inbox.mbox@{question_offset}",
        )
    ]


def test_a_message_kept_in_two_files_stays_while_one_file_holds_it(tmp_path: Path) -> None:
    """Fails on main: both files shared one row (keyed by Message-ID, owned by the file read last),
    so rewriting that file without the message deleted it although the other file still has it."""
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a-inbox.mbox").write_text(dana(1) + dana(2))
    (folder / "b-backup.mbox").write_text(dana(2))
    sync(tmp_path, folder)
    rows = "SELECT split_part(stream, '/', -1), message_id, from_address, sent_at FROM messages ORDER BY ALL"
    counted = "SELECT person_id, happened_at, direction FROM interactions ORDER BY ALL"
    week = [(DANA, START, "received"), (DANA, START + timedelta(weeks=1), "received")]

    with open_warehouse(tmp_path / "kith.duckdb") as wh:
        assert wh.query(rows) == [
            ("a-inbox.mbox", "<dana-1@example.com>", DANA, START),
            ("a-inbox.mbox", "<dana-2@example.com>", DANA, START + timedelta(weeks=1)),
            ("b-backup.mbox", "<dana-2@example.com>", DANA, START + timedelta(weeks=1)),
        ]
        assert wh.query(counted) == week  # the copy counts once

    (folder / "b-backup.mbox").write_text(dana(3))  # the backup rewritten: week 2 gone from it
    sync(tmp_path, folder)

    with open_warehouse(tmp_path / "kith.duckdb") as wh:
        assert wh.query(rows) == [
            ("a-inbox.mbox", "<dana-1@example.com>", DANA, START),
            ("a-inbox.mbox", "<dana-2@example.com>", DANA, START + timedelta(weeks=1)),
            ("b-backup.mbox", "<dana-3@example.com>", DANA, START + timedelta(weeks=2)),
        ]
        assert wh.query(counted) == [*week, (DANA, START + timedelta(weeks=2), "received")]


def test_an_old_warehouse_reads_its_mail_again_and_keeps_everything_else(tmp_path: Path, monkeypatch) -> None:
    """Migration 3: rows keyed the old way (files by Message-ID) cannot be re-keyed, so the file
    and IMAP accounts' rows, signals, skips and cursors go and the next sync reads the mail again;
    a Gmail API account (keyed by Gmail's ids, unchanged), the calendar, the user's overrides and
    the digest history stay as they were."""
    from kith.models import Address, Batch, Message
    from kith.warehouse import schema
    from kith.warehouse.load import save_batch

    folder = tmp_path / "mail"
    folder.mkdir()
    mbox = folder / "inbox.mbox"
    head = dana(1) + "From nobody Sat Mar 22 09:00:00 2025\nSubject: no sender\n\n"
    mbox.write_text(head + dana(12))
    (tmp_path / "cal.ics").write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:lunch-1\r\nSUMMARY:Lunch\r\nDTSTART:20250610T120000Z\r\n"
        f"ATTENDEE:mailto:{DANA}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    settings = Settings(
        home=tmp_path, user=UserSettings(addresses=[ME]),
        accounts=[FileAccount(name="mail", kind="mbox", path=folder),
                  FileAccount(name="calendar", kind="ics", path=tmp_path / "cal.ics")],
    )  # fmt: skip
    kept = ("meetings", "meeting_attendees", "person_overrides", "digest_items")
    gmail_rows = "SELECT source_id, message_id FROM messages WHERE account = 'gmail' ORDER BY ALL"
    with monkeypatch.context() as patch:
        # version 2, plus the table today's views and `refresh_people` need (migration 5)
        patch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS[:2], schema.MIGRATIONS[4]])
        with open_warehouse(settings.database) as wh:
            sync_accounts(wh.conn, settings)
            gmail = Message(
                account="gmail", source_id="18c2a1f0e4b5d6a7", stream="gmail", message_id="<g-1@example.com>",
                sent_at=datetime(2025, 5, 2, 9), sender=Address(email=DANA), to=[Address(email=ME)],
            )  # fmt: skip
            save_batch(wh.conn, Batch(account="gmail", stream="gmail", messages=[gmail], cursor={"history_id": "9"}),
                       kind="google")  # fmt: skip
            wh.conn.execute(  # as version 2 keyed a file's message: by its Message-ID
                "UPDATE message_addresses a SET source_id = m.message_id FROM messages m "
                "WHERE a.account = m.account AND a.source_id = m.source_id;"
                "UPDATE signals s SET source_id = m.message_id FROM messages m "
                "WHERE s.account = m.account AND s.source_id = m.source_id;"
                "UPDATE messages SET source_id = message_id WHERE account = 'mail';"
                "INSERT INTO person_overrides (address, muted, updated_at) VALUES ('dana@example.com', true, '2025-06-01');"
                "INSERT INTO digest_items (digest_date, position, section, name, reason, account, source_id) "
                "VALUES ('2025-06-19', 0, 'reply_owed', 'Dana Kim', 'Asked you', 'mail', '<dana-12@example.com>');"
            )
            before = {table: wh.query(f"SELECT * FROM {table} ORDER BY ALL") for table in kept}
            assert wh.query("SELECT account, kind, direction, count(*) FROM interactions GROUP BY ALL ORDER BY ALL") == [
                ("calendar", "meeting", "both", 1), ("mail", "email", "received", 2)
            ]
            assert wh.query("SELECT account, count(*) FROM sync_state GROUP BY ALL ORDER BY ALL") == [
                ("calendar", 1), ("gmail", 1), ("mail", 1)
            ]
            assert wh.query("SELECT account, kind FROM signals") == [("mail", "question")]
            assert wh.query("SELECT account, reason FROM skipped_records") == [("mail", "no usable From address")]

    with open_warehouse(settings.database) as wh:
        assert wh.query("SELECT version, name FROM schema_migrations ORDER BY version") == [
            (1, "001_core.sql"), (2, "002_digests.sql"), (3, "003_source_keys.sql"), (4, "004_report_deliveries.sql"),
            (5, "005_mail_contacts.sql"),
        ]
        assert {table: wh.query(f"SELECT * FROM {table} ORDER BY ALL") for table in kept} == before
        assert [wh.query(f"SELECT * FROM {table} WHERE account = 'mail'") for table in
                ("messages", "message_addresses", "signals", "skipped_records")] == [[], [], [], []]  # fmt: skip
        assert wh.query(gmail_rows) == [("18c2a1f0e4b5d6a7", "<g-1@example.com>")]
        assert wh.query("SELECT account, address FROM message_addresses ORDER BY ALL") == [("gmail", ME), ("gmail", DANA)]
        # the mail the upgrade let go no longer counts as contact: the mail part of `interactions` is
        # rebuilt after it (the Gmail message's addresses were re-keyed above, so it had none before either)
        assert wh.query("SELECT account, source_id, kind FROM interactions") == [("calendar", "lunch-1", "meeting")]
        assert wh.query("SELECT account, stream FROM sync_state ORDER BY ALL") == [
            ("calendar", str(tmp_path / "cal.ics")), ("gmail", "gmail")
        ]

        sync_accounts(wh.conn, settings)

        assert wh.query("SELECT source_id, message_id FROM messages WHERE account = 'mail' ORDER BY ALL") == [
            ("inbox.mbox@0", "<dana-1@example.com>"),
            (f"inbox.mbox@{len(head)}", "<dana-12@example.com>"),
        ]
        assert wh.query("SELECT s.source_id, s.kind, s.address FROM signals s ORDER BY ALL") == [
            (f"inbox.mbox@{len(head)}", "question", DANA)
        ]
        assert wh.query("SELECT account, reason FROM skipped_records") == [("mail", "no usable From address")]
        assert wh.query(gmail_rows) == [("18c2a1f0e4b5d6a7", "<g-1@example.com>")]
