"""Corpus parity: the Enron mailboxes synced through Dovecot give the same rows as the same files
read by the mbox connector. One parser serves both, so any difference is the IMAP path's."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from pathlib import Path

from conftest import ImapUser

from kith.connectors.mailfiles import split_mbox
from kith.flows.syncing import sync_accounts
from kith.models.settings import FileAccount, Settings
from kith.warehouse import open_warehouse


MESSAGES = "SELECT * EXCLUDE (account, source_id, stream, folder) FROM messages ORDER BY ALL"
ADDRESSES = """
    SELECT m.message_id, a.role, a.position, a.address, a.name
    FROM message_addresses a JOIN messages m USING (account, source_id) ORDER BY ALL
"""
# Signals come from bodies: this checks the partial body fetch (BODY.PEEK[TEXT]<0.16384>).
SIGNALS = """
    SELECT m.message_id, s.* EXCLUDE (account, source_id)
    FROM signals s JOIN messages m USING (account, source_id) ORDER BY ALL
"""
SKIPS = "SELECT reason, count(*) FROM skipped_records GROUP BY reason ORDER BY ALL"


def internal_date(raw: bytes):
    head = raw.split(b"\n\n", 1)[0].decode("latin-1")
    for line in head.splitlines():
        if line.lower().startswith("date:"):
            try:
                return parsedate_to_datetime(line[5:].strip())
            except (TypeError, ValueError, IndexError):
                return None
    return None


def test_enron_over_imap_matches_the_mbox_files(imap_user: ImapUser, corpora: Path) -> None:
    enron = corpora / "email" / "enron" / "mailboxes"
    mailboxes = sorted(enron.glob("*.mbox"))
    client = imap_user.client()
    try:
        for path in mailboxes:
            client.create_folder(path.stem)
            messages = [{"msg": raw, "date": internal_date(raw)} for _, _, raw in split_mbox(path, 0)]
            for start in range(0, len(messages), 500):
                client.multiappend(path.stem, messages[start : start + 500])
    finally:
        client.logout()

    imap_user.sync(imap_user.account(folders=[p.stem for p in mailboxes]), database="imap.duckdb")
    files = Settings(home=imap_user.home, accounts=[FileAccount(name="files", kind="mbox", path=enron)])
    with open_warehouse(imap_user.home / "files.duckdb") as warehouse:
        sync_accounts(warehouse.conn, files)

    for sql in (MESSAGES, ADDRESSES, SIGNALS, SKIPS):
        assert imap_user.query(sql, database="imap.duckdb") == imap_user.query(sql, database="files.duckdb")
    assert len(imap_user.query(MESSAGES, database="imap.duckdb")) == 2963
