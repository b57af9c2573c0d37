"""Fixtures for the Microsoft tests: a fake identity platform and Graph over loopback HTTPS.

The certificate is made once per session; `REQUESTS_CA_BUNDLE` makes msal's own HTTP client and
kith's Graph session trust it, exactly as a corporate CA bundle would be trusted in real use.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kith.connectors.microsoft.auth import FileCacheStore, MsalTokenProvider, sign_in
from kith.models.settings import MicrosoftAccount, Settings, UserSettings

from tls_material import make_certificate

from .fake_graph import FakeMicrosoft, Folder

TODAY = date(2026, 11, 26)
ME = "alex@contoso.com"


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def fake(certificate, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMicrosoft]:
    cert, key = certificate
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    monkeypatch.setenv("KITH_TOKEN_STORE", "file")
    server = FakeMicrosoft(cert, key).start()
    server.device_outcomes = ["approved"]
    for folder in ("inbox", "sentitems", "archive"):
        server.folders.setdefault(folder, Folder())
    yield server
    server.stop()


def account_for(fake: FakeMicrosoft, **changes) -> MicrosoftAccount:
    values = dict(
        name="work", kind="microsoft", address=ME, client_id=fake.client_id, authority=fake.authority,
        graph_endpoint=fake.graph, page_size=2,
    )  # fmt: skip
    values.update(changes)
    return MicrosoftAccount(**values)


def settings_for(home: Path, account: MicrosoftAccount, **changes) -> Settings:
    return Settings(home=home, user=UserSettings(name="Alex", addresses=[ME]), accounts=[account], **changes)


def signed_in(fake: FakeMicrosoft, home: Path, account: MicrosoftAccount, scopes: list[str] | None = None) -> MsalTokenProvider:
    """Sign in once through the device-code flow, as `kith auth microsoft` does."""
    scopes = scopes or ["Mail.Read", "Calendars.Read"]
    store = FileCacheStore(home, account.name)
    sign_in(account, scopes, store, show=lambda text: None)
    return MsalTokenProvider(account, scopes, FileCacheStore(home, account.name))


def message(
    item_id: str,
    *,
    sender: str = "dana@fabrikam.com",
    to: str = ME,
    subject: str = "Lunch?",
    sent: str = "2026-11-20T09:15:00Z",
    message_id: str | None = None,
    headers: list[tuple[str, str]] | None = None,
    text: str = "",
) -> dict:
    """A Graph message as `messages/delta` returns it (shape of the nango recordings)."""
    name = sender.split("@")[0].title()
    item = {
        "id": item_id,
        "createdDateTime": sent, "lastModifiedDateTime": sent, "receivedDateTime": sent, "sentDateTime": sent,
        "internetMessageId": message_id or f"<{item_id}@fabrikam.com>",
        "subject": subject, "bodyPreview": text[:60], "conversationId": f"conv-{item_id}", "isDraft": False,
        "webLink": f"https://outlook.office365.com/owa/?ItemID={item_id}&exvsurl=1&viewmodel=ReadMessageItem",
        "from": {"emailAddress": {"name": name, "address": sender}},
        "sender": {"emailAddress": {"name": name, "address": sender}},
        "toRecipients": [{"emailAddress": {"name": "Alex Wilber", "address": to}}],
        "ccRecipients": [], "bccRecipients": [],
        "internetMessageHeaders": [{"name": k, "value": v} for k, v in (headers or [])],
        "_text": text,
    }  # fmt: skip
    return item
