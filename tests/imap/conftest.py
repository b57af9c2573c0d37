"""Fixtures for the IMAP tests: one real Dovecot per session, one fresh user per test.

Dovecot runs on 127.0.0.1 (see `dovecot.py`). Messages reach it only through the protocol
(imapclient APPEND). Without Dovecot the tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from imapclient import IMAPClient

from dovecot import Dovecot, installed, start_dovecot
from kith.flows.syncing import StreamReport, sync_accounts
from kith.models.settings import ImapAccount, Settings
from needs import require
from kith.warehouse import open_warehouse

_users = itertools.count(1)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    require(installed(), "dovecot-imapd not installed (apt-get install dovecot-imapd)")
    require(os.geteuid() == 0, "the Dovecot fixture must run as root")
    server = start_dovecot()
    try:
        yield server
    finally:
        server.stop()


def make_message(n: int, *, prefix: str = "m", sender: str = "ann@example.com", body: str = "") -> bytes:
    """A small RFC 5322 message numbered `n`."""
    sent = datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc) + timedelta(hours=n)
    lines = [
        f"From: Ann Example <{sender}>",
        "To: Bob <bob@example.com>, carol@example.org",
        f"Subject: {prefix} message {n}",
        f"Date: {sent.strftime('%a, %d %b %Y %H:%M:%S +0000')}",
        f"Message-ID: <{prefix}-{n}@kith.test>",
        "Content-Type: text/plain; charset=utf-8",
        "",
        body or f"Hello number {n}.",
        "",
    ]
    return "\r\n".join(lines).encode()


def expected_row(n: int, *, prefix: str = "m", sender: str = "ann@example.com") -> tuple:
    """The (message_id, subject, from_address, sent_at) row `make_message(n)` becomes."""
    sent = datetime(2024, 1, 1, 9, 0) + timedelta(hours=n)
    return (f"<{prefix}-{n}@kith.test>", f"{prefix} message {n}", sender, sent)


@dataclass
class ImapUser:
    """A fresh Dovecot user plus the settings and helpers a test needs."""

    server: Dovecot
    name: str
    password: str
    env: str
    home: Path

    def client(self) -> IMAPClient:
        client = IMAPClient(self.server.host, port=self.server.port, ssl=False, timeout=10)
        client.login(self.name, self.password)
        return client

    def append(self, folder: str, messages: Sequence[bytes], flags: Sequence[bytes] = ()) -> None:
        client = self.client()
        try:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.multiappend(folder, [{"msg": m, "flags": flags} for m in messages])
        finally:
            client.logout()

    def set_uidvalidity(self, folder: str, value: int) -> None:
        """Give `folder` this UIDVALIDITY (RFC 3501 lets two folders share one)."""
        self.server.doveadm("mailbox", "update", "-u", self.name, "--uid-validity", str(value), folder)

    def account(self, **overrides) -> ImapAccount:
        values = dict(
            name=f"imap-{self.name}",
            kind="imap",
            host=self.server.host,
            port=self.server.port,
            security="none",
            username=self.name,
            password_env=self.env,
            timeout_seconds=10,
        )
        values.update(overrides)
        return ImapAccount(**values)

    def sync(self, account: ImapAccount | None = None, database: str = "kith.duckdb") -> list[StreamReport]:
        settings = Settings(home=self.home, accounts=[account or self.account()])
        with open_warehouse(self.home / database) as warehouse:
            return sync_accounts(warehouse.conn, settings)

    def rows(self, database: str = "kith.duckdb") -> list[tuple]:
        """(message_id, subject, from_address, sent_at) of every stored message, sorted."""
        return self.query(
            "SELECT message_id, subject, from_address, sent_at FROM messages ORDER BY ALL", database=database
        )

    def query(self, sql: str, database: str = "kith.duckdb") -> list[tuple]:
        with open_warehouse(self.home / database) as warehouse:
            return warehouse.query(sql)

    def tables(self, database: str = "kith.duckdb") -> dict[str, list[tuple]]:
        """Every stored row of the tables a mail sync writes."""
        return {
            table: self.query(f"SELECT * EXCLUDE ({skip}) FROM {table} ORDER BY ALL", database=database)
            for table, skip in (
                ("messages", "account"),
                ("message_addresses", "account"),
                ("skipped_records", "seen_at"),
                ("sync_state", "last_full_sync, last_success"),
            )
        }


@pytest.fixture
def imap_user(dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ImapUser:
    name = f"user{next(_users)}"
    password = dovecot.users[name]
    env = f"KITH_TEST_IMAP_PASSWORD_{name.upper()}"
    monkeypatch.setenv(env, password)
    return ImapUser(dovecot, name, password, env, tmp_path)
