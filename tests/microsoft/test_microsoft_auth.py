"""Signing in through the real msal against the fake identity platform: device code once,
silent refresh on later runs, and one clear line when the sign-in can no longer be refreshed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kith.connectors.errors import AuthFailed
from kith.connectors.microsoft.auth import FileCacheStore, MsalTokenProvider, scopes_for, sign_in
from kith.models.settings import DigestSettings, PrivacySettings

from .conftest import ME, account_for, settings_for, signed_in

DEVICE = "urn:ietf:params:oauth:grant-type:device_code"


def test_device_code_sign_in_shows_the_code_and_keeps_the_cache_private(fake, kith_home: Path) -> None:
    fake.device_outcomes = ["pending", "approved"]
    account = account_for(fake)
    shown: list[str] = []
    user = sign_in(account, ["Mail.ReadBasic"], FileCacheStore(kith_home, "work"), show=shown.append)
    assert user == ME
    assert len(shown) == 1 and shown[0].startswith("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-")
    assert fake.token_requests == [DEVICE, DEVICE]  # one "pending", then approved
    path = kith_home / "tokens" / "work.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_the_next_run_uses_the_cached_token(fake, kith_home: Path) -> None:
    account = account_for(fake)
    signed_in(fake, kith_home, account)
    # A later run is a new process: it reads the cache, and the access token is still good.
    token = MsalTokenProvider(account, ["Mail.Read", "Calendars.Read"], FileCacheStore(kith_home, "work")).access_token()
    assert token in fake.access_tokens
    assert fake.token_requests == [DEVICE]


def test_a_later_run_refreshes_an_expired_access_token_silently(fake, kith_home: Path) -> None:
    fake.access_lifetime = 60  # inside msal's five-minute margin: expired as soon as it is issued
    account = account_for(fake)
    signed_in(fake, kith_home, account)
    for _ in range(2):  # two scheduled runs, each a new process reading the cache the last one wrote
        token = MsalTokenProvider(account, ["Mail.Read", "Calendars.Read"], FileCacheStore(kith_home, "work")).access_token()
        assert token in fake.access_tokens
    # Each run redeemed the refresh token the previous one stored (the fake makes them single-use).
    assert fake.token_requests == [DEVICE, "refresh_token", "refresh_token"]


@pytest.mark.parametrize(
    ("outcome", "line"),
    [
        ("declined", "account 'work': sign-in did not complete: authorization_declined: AADSTS: fake authorization_declined; run `kith auth microsoft work` to try again"),
        ("expired", "account 'work': sign-in did not complete: expired_token: AADSTS: fake expired_token; run `kith auth microsoft work` to try again"),
    ],
)
def test_a_declined_or_expired_code_is_one_line(fake, kith_home: Path, outcome: str, line: str) -> None:
    fake.device_outcomes = [outcome]
    with pytest.raises(AuthFailed) as caught:
        sign_in(account_for(fake), ["Mail.ReadBasic"], FileCacheStore(kith_home, "work"), show=lambda text: None)
    assert str(caught.value) == line
    assert not (kith_home / "tokens" / "work.json").exists()


def test_a_revoked_sign_in_names_the_account_and_the_command(fake, kith_home: Path) -> None:
    fake.access_lifetime = 60  # every run must refresh
    account = account_for(fake)
    signed_in(fake, kith_home, account)
    fake.revoke()
    provider = MsalTokenProvider(account, ["Mail.Read", "Calendars.Read"], FileCacheStore(kith_home, "work"))
    with pytest.raises(AuthFailed) as caught:
        provider.access_token()
    assert str(caught.value) == (
        "account 'work': the Microsoft sign-in can no longer be refreshed (invalid_grant: AADSTS70008: The provided "
        "authorization code or refresh token has expired due to inactivity.); run `kith auth microsoft work`"
    )


def test_never_signed_in(fake, kith_home: Path) -> None:
    provider = MsalTokenProvider(account_for(fake), ["Mail.Read"], FileCacheStore(kith_home, "work"))
    assert not provider.signed_in()
    with pytest.raises(AuthFailed) as caught:
        provider.access_token()
    assert str(caught.value) == "account 'work': not signed in to Microsoft; run `kith auth microsoft work`"


def test_scopes_are_the_least_that_work(fake, tmp_path: Path) -> None:
    account = account_for(fake)
    metadata = settings_for(tmp_path, account, privacy=PrivacySettings(mode="metadata"))
    assert scopes_for(account, metadata) == ["Mail.ReadBasic", "Calendars.Read"]
    assert scopes_for(account, settings_for(tmp_path, account)) == ["Mail.Read", "Calendars.Read"]
    sending = settings_for(tmp_path, account, digest=DigestSettings(method="graph", account="work", to=[ME]))
    assert scopes_for(account, sending) == ["Mail.Read", "Calendars.Read", "Mail.Send"]
    no_calendar = account_for(fake, calendar=False)
    assert scopes_for(no_calendar, metadata) == ["Mail.ReadBasic"]
