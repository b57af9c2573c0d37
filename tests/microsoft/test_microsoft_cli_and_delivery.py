"""`kith auth microsoft`, `kith doctor` for a Microsoft account, and the digest sent through
Graph `sendMail` exactly once per day and recipient."""

from __future__ import annotations

import base64
import threading
from datetime import date, datetime, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kith.connectors.microsoft import auth as microsoft_auth
from kith.digests.delivery import build_sender, deliver_digest, message_id_for
from kith.flows.cli import app
from kith.flows.doctor import run_checks
from kith.flows.senders import API_SENDERS
from kith.models.settings import DigestSettings
from kith.warehouse import open_warehouse

from .conftest import ME, account_for, settings_for, signed_in

DAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 7, 0, 5, tzinfo=timezone.utc)


def write_settings(home: Path, fake, **extra: str) -> None:
    lines = [
        '[user]', 'name = "Alex"', f'addresses = ["{ME}"]', "",
        "[[accounts]]", 'name = "work"', 'kind = "microsoft"', f'address = "{ME}"', f'client_id = "{fake.client_id}"',
        f'authority = "{fake.authority}"', f'graph_endpoint = "{fake.graph}"', 'mail_folders = ["inbox", "sentitems"]',
    ]  # fmt: skip
    lines += [f"{key} = {value}" for key, value in extra.items()]
    (home / "kith.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_kith_auth_microsoft_prints_the_code_and_says_who_signed_in(fake, kith_home: Path, monkeypatch) -> None:
    write_settings(kith_home, fake)
    monkeypatch.setattr(microsoft_auth, "_FALLBACK_LOGGED", threading.Event())  # said once a process: here
    result = CliRunner().invoke(app, ["auth", "microsoft", "work"])
    assert result.exit_code == 0, result.output
    where, code, outcome, end = result.output.split("\n")
    assert where == (
        f"kith: no encrypted token store on this system (KITH_TOKEN_STORE=file); Microsoft sign-ins are kept in "
        f"{kith_home}/tokens, mode 0600"
    )
    assert code.startswith("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-")
    assert outcome == f"signed in as {ME} (Mail.Read, Calendars.Read); the sign-in is kept in {kith_home}/tokens/work.json"
    assert end == ""


def test_kith_auth_microsoft_on_a_wrong_name_is_one_line(fake, kith_home: Path) -> None:
    write_settings(kith_home, fake)
    result = CliRunner().invoke(app, ["auth", "microsoft", "home"])
    assert result.exit_code == 1
    assert " ".join(result.output.split()) == f"kith: no account named 'home' in {kith_home}/kith.toml (accounts: work)"


def test_doctor_checks_sign_in_refresh_permissions_and_graph(fake, kith_home: Path) -> None:
    write_settings(kith_home, fake)
    assert run_checks(kith_home) == ["account 'work': not signed in to Microsoft; run `kith auth microsoft work`"]
    CliRunner().invoke(app, ["auth", "microsoft", "work"])
    assert run_checks(kith_home) == []
    fake.denied = {"me/calendar"}
    assert run_checks(kith_home) == [
        "account 'work': the calendar: access denied (403 ErrorAccessDenied: Access is denied. Check credentials and try "
        "again.); grant the app the permission kith asks for and run `kith auth microsoft work`"
    ]
    fake.denied = set()
    fake.access_tokens.clear()  # the cached access token is refused, as after a revoke
    fake.revoke()
    assert run_checks(kith_home) == [
        "account 'work': Graph refused the access token (401 InvalidAuthenticationToken: Access token has expired or is "
        "not yet valid.); run `kith auth microsoft work`"
    ]


def store_digest(conn) -> None:
    conn.execute(
        "INSERT INTO digests (digest_date, built_at, item_count, text_body, html_body) VALUES (?, ?, 1, ?, ?)",
        [DAY, NOW.replace(tzinfo=None), "Reconnect\n  - Dana: usually every 3 weeks, now 11 weeks\n", "<p>Reconnect</p>"],
    )
    conn.execute(
        "INSERT INTO digest_items (digest_date, position, section, person_id, name, address, reason, account, source_id, score) "
        "VALUES (?, 0, 'reconnect', 'p1', 'Dana', 'dana@fabrikam.com', 'usually every 3 weeks, now 11 weeks', 'work', 'm1', 1.0)",
        [DAY],
    )


@pytest.fixture
def sending(fake, kith_home: Path):
    account = account_for(fake)
    settings = settings_for(kith_home, account, digest=DigestSettings(method="graph", account="work", to=[f"Alex <{ME}>"]))
    signed_in(fake, kith_home, account, ["Mail.Read", "Calendars.Read", "Mail.Send"])
    with open_warehouse(settings.database) as wh:
        store_digest(wh.conn)
        yield settings, wh.conn


def deliveries(conn) -> list[tuple]:
    return conn.execute("SELECT recipient, method, status, attempts, last_error, message_id FROM deliveries").fetchall()


def test_the_digest_goes_out_through_sendmail_once(fake, sending) -> None:
    settings, conn = sending
    for _ in range(3):  # the scheduled run, a retried flow, an overlapping manual run
        deliver_digest(conn, DAY, settings, build_sender(settings, API_SENDERS), now=lambda: NOW, sleep=lambda s: None)
    assert len(fake.sent) == 1
    sent = fake.sent[0]
    assert sent["content_type"] == "text/plain"
    mime = message_from_bytes(base64.b64decode(sent["body"]), policy=policy.default)
    assert (mime["Message-ID"], mime["From"], mime["To"], mime["X-Kith-Digest-Date"]) == (
        message_id_for(DAY, ME), f"Alex <{ME}>", f"Alex <{ME}>", "2026-11-26",
    )  # fmt: skip
    assert deliveries(conn) == [(ME, "graph", "sent", 1, None, message_id_for(DAY, ME))]


def test_a_throttled_send_is_retried_and_sent_once(fake, sending) -> None:
    settings, conn = sending
    fake.fail_next("sendMail", 503, code="ServiceUnavailable", retry_after="0", times=2)  # the client's 2 tries
    waits: list[float] = []
    results = deliver_digest(conn, DAY, settings, build_sender(settings, API_SENDERS), now=lambda: NOW, sleep=waits.append)
    assert [(r.status, r.attempts) for r in results] == [("sent", 2)]
    assert len(fake.sent) == 1 and waits == [5.0]


def test_a_revoked_sign_in_fails_the_send_for_good_with_the_fix(fake, sending) -> None:
    settings, conn = sending
    fake.access_tokens.clear()
    fake.revoke()
    results = deliver_digest(conn, DAY, settings, build_sender(settings, API_SENDERS), now=lambda: NOW, sleep=lambda s: None)
    assert [(r.status, r.attempts, r.error) for r in results] == [(
        "failed", 1,
        "Graph sendMail: account 'work': Graph refused the access token (401 InvalidAuthenticationToken: Access token "
        "has expired or is not yet valid.); run `kith auth microsoft work`",
    )]  # fmt: skip
    assert fake.sent == []


def test_graph_delivery_needs_a_microsoft_account(kith_home: Path, fake) -> None:
    from kith.digests.delivery import DeliveryError

    settings = settings_for(kith_home, account_for(fake), digest=DigestSettings(method="graph", account="home", to=[ME]))
    with pytest.raises(DeliveryError) as caught:
        build_sender(settings, API_SENDERS)
    assert str(caught.value) == "digest.method is 'graph' but digest.account (home) names no Microsoft account in kith.toml"
