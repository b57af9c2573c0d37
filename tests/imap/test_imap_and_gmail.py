"""A message held by both an IMAP account and a Google account counts once in `interactions`."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "google"))

from conftest import make_message  # noqa: E402  (tests/imap/conftest.py)
from fake_google import GMAIL, CALENDAR_READONLY, FakeGoogle  # noqa: E402
from kith.connectors.token_store import TokenStore  # noqa: E402
from kith.flows.syncing import sync_accounts  # noqa: E402
from kith.models.settings import GoogleAccount, Settings  # noqa: E402
from kith.warehouse import open_warehouse  # noqa: E402


def test_the_same_message_from_imap_and_gmail_is_one_interaction(imap_user, monkeypatch):
    raw = make_message(1, sender="ann@example.com")  # To: bob@example.com, carol@example.org
    imap_user.append("INBOX", [raw])
    fake = FakeGoogle(address="bob@example.com").start()
    try:
        headers = dict(line.split(": ", 1) for line in raw.decode().split("\r\n\r\n")[0].split("\r\n"))
        gmail_id = fake.add_message(headers, record=False)
        monkeypatch.setenv("KITH_TEST_GOOGLE_TOKEN", fake.grant([GMAIL + "readonly", CALENDAR_READONLY]))
        google = GoogleAccount(name="google", kind="google", address="bob@example.com", calendars=[],
                               api_endpoint=fake.url, token_env="KITH_TEST_GOOGLE_TOKEN")
        settings = Settings(home=imap_user.home, accounts=[imap_user.account(), google])
        with open_warehouse(imap_user.home / "kith.duckdb") as warehouse:
            reports = sync_accounts(warehouse.conn, settings)
            assert sorted((r.account, r.messages, r.error) for r in reports if r.messages) == [
                ("google", 1, None), (imap_user.account().name, 1, None)]
            assert warehouse.query("SELECT account, source_id, message_id FROM messages ORDER BY account") == [
                ("google", gmail_id, "<m-1@kith.test>"), (imap_user.account().name, warehouse.query(
                    "SELECT source_id FROM messages WHERE account <> 'google'")[0][0], "<m-1@kith.test>")]
            assert warehouse.query(
                "SELECT p.primary_address, i.happened_at, i.kind, i.direction FROM interactions i "
                "JOIN people p USING (person_id)"
            ) == [("ann@example.com", datetime(2024, 1, 1, 10, 0), "email", "received")]
    finally:
        fake.stop()
    assert TokenStore(imap_user.home).read("google") is None  # an environment token is never written down
