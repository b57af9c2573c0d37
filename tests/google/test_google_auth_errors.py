"""Sign-in failures give one line with the fix; a refresh is silent; tokens go nowhere but the store."""

from __future__ import annotations

import json
import logging
import stat

from google_world import READ_SCOPES, mail_headers
from fake_google import CALENDAR_READONLY, GMAIL
from kith.connectors.token_store import TokenStore


def errors(reports) -> list[tuple[str, str | None]]:
    return [(r.stream, r.error) for r in reports]


def test_a_revoked_grant_stops_the_account_with_the_command_that_fixes_it(google):
    google.sign_in(expired=True)
    google.fake.revoked.add("refresh-stored")
    google.fake.add_message(mail_headers(1), record=False)
    assert errors(google.sync()) == [(
        "gmail",
        "account 'google': Google refused the stored sign-in (invalid_grant: revoked, or a 7-day token of an "
        "unpublished OAuth app); run `kith auth google google`",
    )]  # the calendar stream is not tried: the account stops at a refused sign-in
    assert google.query("SELECT count(*) FROM messages") == [(0,)]


def test_an_expired_access_token_is_refreshed_silently_and_kept(google):
    google.sign_in(expired=True)
    google.fake.add_message(mail_headers(1), record=False)
    assert errors(google.sync()) == [("gmail", None), ("calendar:primary", None)]
    stored = json.loads(TokenStore(google.home).read("google"))
    assert stored["token"] in google.fake.tokens and stored["refresh_token"] == "refresh-stored"
    assert stat.S_IMODE(TokenStore(google.home).path("google").stat().st_mode) == 0o600


def test_a_token_the_server_no_longer_takes_is_refreshed_on_401(google):
    google.fake.add_message(mail_headers(1), record=False)
    google.fake.tokens.clear()  # every access token refused: 401, then the refresh token is used
    assert errors(google.sync()) == [("gmail", None), ("calendar:primary", None)]
    assert google.query("SELECT count(*) FROM messages") == [(1,)]


def test_a_grant_without_a_needed_scope_says_which_and_how_to_fix_it(google):
    google.sign_in([GMAIL + "metadata", CALENDAR_READONLY])  # snippets mode needs gmail.readonly
    assert errors(google.sync()) == [(
        "gmail",
        "account 'google': the Google sign-in lacks gmail.readonly that the settings need; "
        "run `kith auth google google` to grant it",
    )]
    settings = google.settings(privacy={"mode": "metadata"})  # metadata mode: the grant suffices
    assert errors(google.sync(settings)) == [("gmail", None), ("calendar:primary", None)]


def test_google_refusing_a_scope_gives_one_line(google, monkeypatch):
    token = google.fake.grant([CALENDAR_READONLY])
    monkeypatch.setenv("KITH_TEST_GOOGLE_TOKEN", token)
    google.fake.add_message(mail_headers(1), record=False)
    settings = google.settings(google.account(token_env="KITH_TEST_GOOGLE_TOKEN"))
    assert errors(google.sync(settings)) == [(
        "gmail",
        "account 'google': Gmail profile: the Google sign-in lacks a scope this needs (403 Request had insufficient "
        "authentication scopes.); run `kith auth google google` to grant it",
    )]


def test_an_environment_token_google_refuses_names_the_variable(google, monkeypatch):
    monkeypatch.setenv("KITH_TEST_GOOGLE_TOKEN", "not-a-token-the-fake-issued")
    settings = google.settings(google.account(token_env="KITH_TEST_GOOGLE_TOKEN", calendars=[]))
    assert errors(google.sync(settings)) == [(
        "gmail",
        "account 'google': Google refused the access token in KITH_TEST_GOOGLE_TOKEN and it cannot be refreshed; set a fresh one",
    )]
    monkeypatch.delenv("KITH_TEST_GOOGLE_TOKEN")
    assert errors(google.sync(settings)) == [(
        "gmail", "account 'google': no Google access token: environment variable KITH_TEST_GOOGLE_TOKEN (token_env) is not set",
    )]


def test_tokens_never_reach_the_logs_or_the_warehouse(google, caplog):
    caplog.set_level(logging.DEBUG)
    google.sign_in(expired=True)
    google.fake.add_message(mail_headers(1), body="Thanks!", record=False)
    google.fake.inject("get", 429, "rateLimitExceeded")
    google.sync()
    google.fake.revoked.add("refresh-stored")
    google.sign_in(expired=True)
    google.sync()
    secrets = [*google.fake.tokens, "refresh-stored", "kith-test-secret"]
    dump = "\n".join(str(row) for table in ("messages", "message_addresses", "sync_state", "skipped_records", "accounts",
                                            "meetings", "signals")
                     for row in google.query(f"SELECT * FROM {table}"))
    assert "rate" in caplog.text.lower()  # the 429 was logged ...
    assert [s for s in secrets if s in caplog.text or s in dump] == []  # ... and no secret with it
