"""IMAP rows are keyed by folder + UIDVALIDITY + UID, the only key RFC 3501 makes unique: two
folders may share a UIDVALIDITY (and so the same UIDs), and Gmail shows one message in several
labels. A deletion found in one folder removes that folder's row and nothing else."""

from __future__ import annotations

from datetime import datetime

import duckdb
from conftest import ImapUser, expected_row, make_message

from kith.connectors.imap.messages import HEADER_KEY, to_message
from kith.models import Batch
from kith.warehouse.load import save_batch
from kith.warehouse.people import refresh_people
from kith.warehouse.schema import ensure_schema

QUESTION = "Could you send me the slides from Tuesday?"


def fill_sharing_uidvalidity(imap_user: ImapUser) -> None:
    """INBOX and Sent, five messages each, both with UIDVALIDITY 1000: UIDs 1-5 in each."""
    imap_user.append("INBOX", [make_message(n, body=QUESTION if n == 1 else "") for n in range(5)])
    imap_user.append("Sent", [make_message(n, prefix="sent", sender="me@example.com") for n in range(5)])
    for folder in ("INBOX", "Sent"):
        imap_user.set_uidvalidity(folder, 1000)


def test_folders_sharing_a_uidvalidity_keep_every_message(imap_user: ImapUser) -> None:
    """Fails on main: 5 of the 10 messages were stored (INBOX's rows overwritten by Sent's)."""
    fill_sharing_uidvalidity(imap_user)

    reports = imap_user.sync()

    assert [(r.stream, r.messages) for r in reports] == [("INBOX", 5), ("Sent", 5), ("Archive", 0)]
    assert imap_user.rows() == sorted(
        [expected_row(n) for n in range(5)] + [expected_row(n, prefix="sent", sender="me@example.com") for n in range(5)]
    )
    assert imap_user.query("SELECT stream, source_id, message_id FROM messages ORDER BY ALL") == sorted(
        [("INBOX", f"INBOX:1000:{n + 1}", f"<m-{n}@kith.test>") for n in range(5)]
        + [("Sent", f"Sent:1000:{n + 1}", f"<sent-{n}@kith.test>") for n in range(5)]
    )


def test_a_deletion_in_one_folder_leaves_the_others(imap_user: ImapUser) -> None:
    """Fails on main: expunging UID 2 from Sent deleted INBOX's UID 2 and its signal too."""
    fill_sharing_uidvalidity(imap_user)
    imap_user.sync()
    client = imap_user.client()
    client.select_folder("Sent")
    client.delete_messages([2])
    client.expunge()
    client.logout()

    imap_user.sync()

    assert imap_user.rows() == sorted(
        [expected_row(n) for n in range(5)]
        + [expected_row(n, prefix="sent", sender="me@example.com") for n in (0, 2, 3, 4)]
    )
    assert imap_user.query(
        "SELECT s.source_id, s.kind, s.address, s.evidence FROM signals s ORDER BY ALL"
    ) == [("INBOX:1000:2", "question", "ann@example.com", QUESTION)]


def test_a_gmail_message_in_two_labels_is_one_message_and_leaves_one_label_alone() -> None:
    """Gmail shows a message in every label it has, with one X-GM-MSGID. Each label keeps its own
    row; the interaction counts once; taking the label off (INBOX read again without it) leaves
    the copy in All Mail. Fails on main: both labels shared the X-GM-MSGID row, and INBOX, read
    last, took it along."""
    header = make_message(1).split(b"\r\n\r\n")[0] + b"\r\n\r\n"
    gmail = {HEADER_KEY: header, b"X-GM-MSGID": 1278455344230334865, b"X-GM-THRID": 1266894439832287888}
    conn = duckdb.connect()
    ensure_schema(conn)
    for folder, uid in (("[Gmail]/All Mail", 7), ("INBOX", 3)):
        message = to_message(uid, gmail, account="g", folder=folder, uidvalidity=11, with_body=False)
        save_batch(conn, Batch(account="g", stream=folder, messages=[message], reset=True), kind="imap")
    refresh_people(conn, ["bob@example.com"])
    rows = "SELECT stream, source_id, message_id, thread_id FROM messages ORDER BY ALL"
    counted = "SELECT person_id, happened_at, direction, account, source_id FROM interactions ORDER BY ALL"
    interaction = [("ann@example.com", datetime(2024, 1, 1, 10), "received", "g", "INBOX:11:3")]

    assert conn.execute(rows).fetchall() == [
        ("INBOX", "INBOX:11:3", "<m-1@kith.test>", "1266894439832287888"),
        ("[Gmail]/All Mail", "[Gmail]/All Mail:11:7", "<m-1@kith.test>", "1266894439832287888"),
    ]
    assert conn.execute(counted).fetchall() == interaction

    save_batch(conn, Batch(account="g", stream="INBOX", reset=True, cursor={"uidvalidity": 11}), kind="imap")
    refresh_people(conn, ["bob@example.com"])

    assert conn.execute(rows).fetchall() == [
        ("[Gmail]/All Mail", "[Gmail]/All Mail:11:7", "<m-1@kith.test>", "1266894439832287888"),
    ]
    assert conn.execute(counted).fetchall() == [
        ("ann@example.com", datetime(2024, 1, 1, 10), "received", "g", "[Gmail]/All Mail:11:7")
    ]
