"""The digest through Gmail's `users.messages.send`: once per day and recipient, retried after a
failure, and a missing send scope is permanent with the fix."""

from __future__ import annotations

from datetime import date, datetime, timezone
from email import message_from_bytes, policy

from google_world import ADDRESS, READ_SCOPES
from fake_google import GMAIL
from kith.digests.delivery import build_sender, deliver_digest, message_id_for
from kith.flows.senders import API_SENDERS, GmailSender
from kith.warehouse import open_warehouse

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 7, 0, 5, tzinfo=timezone.utc)
TEXT = "Good morning,\n\nReconnect\n  - Ana Lima: usually every 3 weeks, now 11 weeks\n"
HTML = "<html><body><p>Good morning</p></body></html>"


def store_digest(conn) -> None:
    conn.execute("INSERT INTO digests (digest_date, built_at, item_count, text_body, html_body) VALUES (?, ?, 1, ?, ?)",
                 [DAY, NOW.replace(tzinfo=None), TEXT, HTML])
    conn.execute("INSERT INTO digest_items (digest_date, position, section, person_id, name, address, reason, account, "
                 "source_id, score) VALUES (?, 0, 'reconnect', 'p1', 'Ana Lima', 'ana@example.com', 'why', 'google', 'm1', 1.0)",
                 [DAY])


def test_the_digest_goes_out_through_gmail_once_per_day_and_recipient(google):
    google.sign_in([*READ_SCOPES, GMAIL + "send"])
    settings = google.settings(user={"name": "Alex"}, digest={"method": "gmail", "account": "google", "to": [ADDRESS]})
    sender = build_sender(settings, API_SENDERS)
    assert isinstance(sender, GmailSender)
    google.fake.inject("send", 503, "backendError")  # the first try fails: the ledger retries
    with open_warehouse(google.home / "kith.duckdb") as warehouse:
        store_digest(warehouse.conn)
        first = deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW, backoff=(0,), sleep=lambda s: None)
        again = deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW)
        rows = warehouse.query("SELECT recipient, method, status, attempts, message_id FROM deliveries")
    message_id = message_id_for(DAY, ADDRESS)
    assert [(d.status, d.attempts) for d in first] == [("sent", 2)]
    assert [d.status for d in again] == ["already_sent"]
    assert rows == [(ADDRESS, "gmail", "sent", 2, message_id)]
    [raw] = google.fake.sent
    sent = message_from_bytes(raw, policy=policy.default)
    assert (sent["From"], sent["To"], sent["Message-ID"]) == (f"Alex <{ADDRESS}>", ADDRESS, message_id)
    assert sent.get_body(("plain",)).get_content() == TEXT


def test_sending_without_the_send_scope_is_permanent_and_says_how_to_fix_it(google):
    settings = google.settings(digest={"method": "gmail", "account": "google", "to": [ADDRESS]})
    with open_warehouse(google.home / "kith.duckdb") as warehouse:
        store_digest(warehouse.conn)
        [result] = deliver_digest(warehouse.conn, DAY, settings, build_sender(settings, API_SENDERS), now=lambda: NOW,
                                  sleep=lambda s: None)
    assert (result.status, result.attempts, result.error) == (
        "failed", 1,
        "Gmail: account 'google': the Google sign-in lacks gmail.send that the settings need; "
        "run `kith auth google google` to grant it",
    )
    assert google.fake.sent == []


def test_method_gmail_needs_a_google_account(tmp_path):
    (tmp_path / "kith.toml").write_text('[digest]\nmethod = "gmail"\naccount = "work"\n')
    from kith.models.settings import SettingsError, load_settings

    try:
        load_settings(tmp_path)
    except SettingsError as exc:
        assert str(exc) == (f"{tmp_path / 'kith.toml'}: digest.method is 'gmail' but digest.account ('work') "
                            "names no Google account (Google accounts: none); set digest.account")
    else:
        raise AssertionError("accepted")
