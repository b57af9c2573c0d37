"""The Google tests' world: a loopback fake Google per test, an account pointed at it, and a
stored sign-in the fake honours. Everything goes through the real googleapiclient. (Not named
conftest.py for its helpers: tests/imap has a conftest module of its own on the path.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fake_google import CALENDAR_READONLY, GMAIL, FakeGoogle
from kith.connectors.token_store import TokenStore
from kith.flows.syncing import StreamReport, sync_accounts
from kith.models.settings import GoogleAccount, Settings
from kith.warehouse import open_warehouse

ADDRESS = "alex@example.com"
READ_SCOPES = [GMAIL + "readonly", CALENDAR_READONLY]


def mail_headers(n: int, *, sender: str = "Ann Example <ann@example.com>", to: str = f"Alex <{ADDRESS}>",
                 prefix: str = "g") -> dict[str, str]:
    """Headers of a small message numbered `n` (Date one hour apart from 2024-01-01 09:00 UTC)."""
    sent = datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc) + timedelta(hours=n)
    return {
        "From": sender,
        "To": to,
        "Subject": f"{prefix} message {n}",
        "Date": sent.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        "Message-ID": f"<{prefix}-{n}@kith.test>",
    }


@dataclass
class GoogleUser:
    fake: FakeGoogle
    home: Path

    def account(self, **overrides) -> GoogleAccount:
        values = dict(name="google", kind="google", address=ADDRESS, calendars=["primary"], api_endpoint=self.fake.url)
        values.update(overrides)
        return GoogleAccount(**values)

    def settings(self, *accounts, **fields) -> Settings:
        return Settings(home=self.home, accounts=list(accounts) or [self.account()], **fields)

    def sign_in(self, scopes: list[str] = READ_SCOPES, *, name: str = "google", expired: bool = False,
                refresh: str = "refresh-stored") -> None:
        """Store a grant as `kith auth google` would, with a live (or an expired) access token."""
        token = self.fake.grant(scopes, refresh=refresh)
        expiry = datetime.now(timezone.utc) + (timedelta(hours=-1) if expired else timedelta(hours=1))
        TokenStore(self.home).write(name, json.dumps({
            "token": token, "refresh_token": refresh, "token_uri": self.fake.url + "token",
            "client_id": "kith-test", "client_secret": "kith-test-secret", "scopes": scopes,
            "expiry": expiry.replace(tzinfo=None).isoformat() + "Z",
        }))

    def sync(self, settings: Settings | None = None) -> list[StreamReport]:
        with open_warehouse(self.home / "kith.duckdb") as warehouse:
            return sync_accounts(warehouse.conn, settings or self.settings())

    def query(self, sql: str) -> list[tuple]:
        with open_warehouse(self.home / "kith.duckdb") as warehouse:
            return warehouse.query(sql)


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    server = FakeGoogle(address=ADDRESS).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def google(fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GoogleUser:
    # The connector's retries wait for real; here they are recorded instead.
    monkeypatch.setattr("kith.connectors.google.service.pause", lambda seconds: None)
    home = tmp_path / "home"
    home.mkdir()
    user = GoogleUser(fake, home)
    user.sign_in()
    return user
