"""digests/delivery.py against a real SMTP server on loopback: composing, the three security modes,
login, exactly-once per (day, recipient), retry after an outage, crash recovery, on_empty."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from kith.digests.delivery import (
    DeliveryError,
    FileSender,
    SmtpSender,
    compose_digest_email,
    deliver_digest,
    message_id_for,
)
from kith.digests.items import Digest, DigestItem
from kith.models.settings import Settings, SmtpSettings
from kith.warehouse import open_warehouse

from .conftest import PASSWORD_ENV, SMTP_PASSWORD, SMTP_USER

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 7, 0, 5, tzinfo=timezone.utc)
TEXT = "Bonjour Zoë,\n\nReconnect\n  - Ana Lima: usually every 3 weeks, now 11 weeks\n"
HTML = "<html><body><p>Bonjour Zoë</p><ul><li>Ana Lima</li></ul></body></html>"


def settings_for(home: Path, smtp: SmtpSettings | None = None, **digest) -> Settings:
    digest = {"to": ["Zoë Martin <zoe@example.org>"], "method": "smtp" if smtp else "file", **digest}
    if smtp:
        digest["smtp"] = smtp
    return Settings(home=home, user={"name": "Zoë Martin", "addresses": ["zoe@example.org"]}, digest=digest)


def plain(server, **extra) -> SmtpSettings:
    return SmtpSettings(host=server.host, port=server.port, security="none", sender="kith <kith@example.org>", **extra)


def store_digest(conn, day: date = DAY, items: int = 1) -> None:
    conn.execute("INSERT INTO digests (digest_date, built_at, item_count, text_body, html_body) VALUES (?, ?, ?, ?, ?)", [day, NOW.replace(tzinfo=None), items, TEXT, HTML])
    for position in range(items):
        conn.execute(
            "INSERT INTO digest_items (digest_date, position, section, person_id, name, address, reason, account, source_id, score) "
            "VALUES (?, ?, 'reconnect', 'p1', 'Ana Lima', 'ana@example.com', 'usually every 3 weeks, now 11 weeks', 'mail', 'm1', 1.0)",
            [day, position],
        )


@pytest.fixture
def warehouse(tmp_path):
    wh = open_warehouse(tmp_path / "kith.duckdb")
    yield wh
    wh.close()


def deliveries(conn) -> list[tuple]:
    return conn.execute("SELECT digest_date, recipient, method, status, attempts, last_error, message_id FROM deliveries ORDER BY recipient").fetchall()


def test_compose_is_multipart_alternative_with_utf8_headers():
    digest = Digest(day=DAY, user_name="Zoë", items=[DigestItem(section="reconnect", name="Ana", reason="why")])
    message = compose_digest_email(digest, TEXT, HTML, "kith — lundi 2 mars: 1 to reconnect", "kith <kith@example.org>", "Zoë Martin <zoe@example.org>", now=NOW)

    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert [part.get_content() for part in message.iter_parts()] == [TEXT, HTML + "\n"]
    assert str(message["Subject"]) == "kith — lundi 2 mars: 1 to reconnect"
    assert str(message["To"]) == "Zoë Martin <zoe@example.org>"
    assert parsedate_to_datetime(message["Date"]) == NOW
    assert message["Message-ID"] == message_id_for(DAY, "zoe@example.org") == message_id_for(DAY, "Zoe@Example.org ")
    assert message_id_for(DAY, "zoe@example.org") != message_id_for(date(2026, 3, 3), "zoe@example.org")
    assert message.as_bytes().isascii()  # RFC 2047 headers, quoted-printable bodies: any server takes it


def test_plain_smtp_delivers_once_per_day_and_recipient(smtp_server, warehouse, tmp_path):
    settings = settings_for(tmp_path, plain(smtp_server))
    store_digest(warehouse.conn)
    sender = SmtpSender(settings.digest.smtp, timeout=5)

    first = deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW)
    second = deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW)

    message_id = message_id_for(DAY, "Zoë Martin <zoe@example.org>")
    assert [(d.status, d.attempts, d.message_id) for d in first] == [("sent", 1, message_id)]
    assert [(d.status, d.attempts) for d in second] == [("already_sent", 1)]
    assert deliveries(warehouse.conn) == [(DAY, "zoe@example.org", "smtp", "sent", 1, None, message_id)]
    [envelope] = smtp_server.inbox.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("kith@example.org", ["zoe@example.org"])
    [received] = smtp_server.inbox.messages
    assert received.get_body(("plain",)).get_content() == TEXT
    assert received["Message-ID"] == message_id


@pytest.mark.parametrize("secure_smtp_server", ["starttls", "tls"], indirect=True)
def test_tls_modes_with_login(secure_smtp_server, warehouse, tmp_path, client_tls, caplog):
    server = secure_smtp_server
    security = server.options.get("tls_context") and "starttls" or "tls"
    smtp = SmtpSettings(host=server.host, port=server.port, security=security, username=SMTP_USER, password_env=PASSWORD_ENV, sender="kith@example.org")
    settings = settings_for(tmp_path, smtp)
    store_digest(warehouse.conn)

    SmtpSender(smtp, timeout=5, ssl_context=client_tls).check()
    [result] = deliver_digest(warehouse.conn, DAY, settings, SmtpSender(smtp, timeout=5, ssl_context=client_tls), now=lambda: NOW)

    assert result.status == "sent"
    assert len(server.inbox.envelopes) == 1
    assert SMTP_PASSWORD not in caplog.text


@pytest.mark.parametrize("secure_smtp_server", ["starttls"], indirect=True)
def test_wrong_password_is_permanent_and_never_stored(secure_smtp_server, warehouse, tmp_path, client_tls, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "wrong-password-123")
    server = secure_smtp_server
    smtp = SmtpSettings(host=server.host, port=server.port, security="starttls", username=SMTP_USER, password_env=PASSWORD_ENV, sender="kith@example.org")
    settings = settings_for(tmp_path, smtp)
    store_digest(warehouse.conn)
    sleeps = []

    [result] = deliver_digest(warehouse.conn, DAY, settings, SmtpSender(smtp, timeout=5, ssl_context=client_tls), now=lambda: NOW, sleep=sleeps.append)

    assert (result.status, result.attempts, sleeps) == ("failed", 1, [])  # a refused login is not retried
    [(_, _, _, status, attempts, error, _)] = deliveries(warehouse.conn)
    assert (status, attempts) == ("failed", 1)
    assert error.startswith(f"SMTP login as {SMTP_USER} at 127.0.0.1:{server.port} refused (535")
    assert error.endswith(f"check {PASSWORD_ENV}")
    assert "wrong-password-123" not in error and "\n" not in error
    assert server.inbox.envelopes == []


def test_missing_password_variable_names_it(tmp_path, monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    smtp = SmtpSettings(host="127.0.0.1", port=1, security="starttls", username="me", password_env="NOT_SET_ANYWHERE", sender="kith@example.org")
    with pytest.raises(DeliveryError, match=r"^the SMTP password is not set: export NOT_SET_ANYWHERE=<password> \(it is never stored\)$"):
        SmtpSender(smtp).check()


def test_plain_smtp_is_refused_off_loopback():
    smtp = SmtpSettings(host="192.0.2.1", port=25, security="none", sender="kith@example.org")
    with pytest.raises(DeliveryError, match="'none' but 192.0.2.1 is not this machine"):
        SmtpSender(smtp).check()


def test_server_down_then_up_is_retried_and_delivered_once(smtp_server, warehouse, tmp_path):
    settings = settings_for(tmp_path, plain(smtp_server))
    store_digest(warehouse.conn)
    smtp_server.stop()
    waits = []

    def sleep(seconds: float) -> None:  # the backoff: the server comes back during the second wait
        waits.append(seconds)
        if len(waits) == 2:
            smtp_server.start()

    [result] = deliver_digest(warehouse.conn, DAY, settings, SmtpSender(settings.digest.smtp, timeout=5), now=lambda: NOW, max_attempts=3, backoff=(0.01, 0.02), sleep=sleep)

    assert (result.status, result.attempts, waits) == ("sent", 3, [0.01, 0.02])
    assert len(smtp_server.inbox.envelopes) == 1
    assert deliveries(warehouse.conn)[0][3:6] == ("sent", 3, None)


def test_a_failed_run_leaves_it_for_the_next_run(smtp_server, warehouse, tmp_path):
    settings = settings_for(tmp_path, plain(smtp_server))
    store_digest(warehouse.conn)
    smtp_server.stop()
    sender = SmtpSender(settings.digest.smtp, timeout=5)

    [down] = deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW, max_attempts=2, backoff=(0,), sleep=lambda s: None)
    row_after_failure = deliveries(warehouse.conn)[0][3:5]
    smtp_server.start()
    [up] = deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW)

    assert down.status == "failed" and down.error.startswith(f"SMTP server 127.0.0.1:{smtp_server.port} unreachable: ")
    assert row_after_failure == ("failed", 2)
    assert (up.status, up.attempts) == ("sent", 3)
    assert len(smtp_server.inbox.envelopes) == 1
    # nothing lost: the digest itself never left the warehouse
    assert warehouse.query("SELECT item_count, text_body FROM digests") == [(1, TEXT)]


class RecordingSender:
    """Records the Message-ID of each send."""

    method = "file"

    def __init__(self) -> None:
        self.sent = []

    def send(self, message) -> None:
        self.sent.append(message["Message-ID"])


class HeldSender(RecordingSender):
    """Holds its one send until the test lets go, so that other runs start while it is sending."""

    def __init__(self) -> None:
        super().__init__()
        self.sending = threading.Event()
        self.let_go = threading.Event()

    def send(self, message) -> None:
        self.sending.set()
        assert self.let_go.wait(timeout=30), "the test never let the send finish"
        super().send(message)


def test_overlapping_runs_in_one_process_send_once(warehouse, tmp_path):
    settings = settings_for(tmp_path)
    store_digest(warehouse.conn)
    sender = HeldSender()
    results = []

    def run() -> None:
        cursor = warehouse.conn.cursor()
        results.extend(deliver_digest(cursor, DAY, settings, sender, now=lambda: NOW))
        cursor.close()

    first = threading.Thread(target=run)
    first.start()
    assert sender.sending.wait(timeout=30)  # the first run has claimed the row and is sending
    others = [threading.Thread(target=run) for _ in range(2)]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join(timeout=30)  # both finish while the first is still sending
    overlapping = sorted(r.status for r in results)
    sender.let_go.set()
    first.join(timeout=30)

    assert overlapping == ["in_progress", "in_progress"]
    assert sorted(r.status for r in results) == ["in_progress", "in_progress", "sent"]
    assert len(sender.sent) == 1
    assert deliveries(warehouse.conn)[0][3:5] == ("sent", 1)


def test_an_interrupted_send_is_resent_with_the_same_message_id(warehouse, tmp_path):
    settings = settings_for(tmp_path)
    store_digest(warehouse.conn)
    recipient = "zoe@example.org"
    # a run that crashed after claiming the row (maybe after the server accepted the message)
    warehouse.conn.execute("INSERT INTO deliveries (digest_date, recipient, method, status, attempts) VALUES (?, ?, 'file', 'sending', 1)", [DAY, recipient])
    sender = RecordingSender()

    [result] = deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW)

    assert (result.status, result.attempts) == ("sent", 2)
    assert sender.sent == [message_id_for(DAY, recipient)]


def test_on_empty_skip_sends_nothing_and_send_sends_a_short_note(smtp_server, warehouse, tmp_path):
    store_digest(warehouse.conn, items=0)
    sender = SmtpSender(plain(smtp_server), timeout=5)

    skipped = deliver_digest(warehouse.conn, DAY, settings_for(tmp_path, plain(smtp_server), on_empty="skip"), sender, now=lambda: NOW)
    assert [r.status for r in skipped] == ["skipped_empty"]
    assert smtp_server.inbox.envelopes == [] and deliveries(warehouse.conn) == []

    sent = deliver_digest(warehouse.conn, DAY, settings_for(tmp_path, plain(smtp_server), on_empty="send"), sender, now=lambda: NOW)
    assert [r.status for r in sent] == ["sent"]
    [message] = smtp_server.inbox.messages
    assert "nothing needs you today" in str(message["Subject"])


def test_file_sender_writes_one_eml_per_message(warehouse, tmp_path):
    settings = settings_for(tmp_path)
    store_digest(warehouse.conn)
    sender = FileSender(tmp_path / "outbox")

    deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW)
    deliver_digest(warehouse.conn, DAY, settings, sender, now=lambda: NOW)

    [path] = (tmp_path / "outbox").iterdir()
    assert path.name.startswith("digest.2026-03-02.") and path.suffix == ".eml"
    assert b"multipart/alternative" in path.read_bytes()


@pytest.fixture
def stalled_server():
    """A server that accepts the connection and never says a word (the kernel queues it)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        yield listener.getsockname()


def test_a_stalled_server_is_announced_before_each_wait(stalled_server, warehouse, tmp_path, caplog, capsys):
    from kith.flows.terminal import show_notes

    host, port = stalled_server
    smtp = SmtpSettings(host=host, port=port, security="none", sender="kith@example.org")
    settings = settings_for(tmp_path, smtp)
    store_digest(warehouse.conn)
    waits = []
    stop_notes = show_notes()  # what every kith command does: warnings become `kith: ...` lines
    try:
        [result] = deliver_digest(warehouse.conn, DAY, settings, SmtpSender(smtp, timeout=1.0), now=lambda: NOW, max_attempts=3, backoff=(5, 30), sleep=waits.append)
    finally:
        stop_notes()

    reason = f"SMTP server {host}:{port} unreachable: Connection unexpectedly closed: timed out"
    assert (result.status, result.attempts, result.error, waits) == ("failed", 3, reason, [5, 30])
    # Only kith's lines: a handler another test left on the root logger may add its own noise.
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("kith:")] == [
        f"kith: waiting 5 s before retrying delivery to {host}:{port} (attempt 2 of 3): {reason}",
        f"kith: waiting 30 s before retrying delivery to {host}:{port} (attempt 3 of 3): {reason}",
    ]


def test_smtp_tests_fail_under_ci_without_aiosmtpd():
    """tests/needs.py: without aiosmtpd an SMTP test skips on a laptop and fails when CI is set."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys, pytest; sys.modules['aiosmtpd'] = None; "  # as if it were not installed
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', 'tests/daily/test_delivery.py::test_plain_smtp_delivers_once_per_day_and_recipient']))"
    )

    def run(ci: str | None) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci else {})
        return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120)

    laptop, ci = run(None), run("true")
    assert laptop.returncode == 0 and "1 skipped" in laptop.stdout
    assert ci.returncode == 1
    assert "aiosmtpd is needed for the SMTP tests (pip install -e '.[test]') (CI is set, so this is a failure, not a skip)" in ci.stdout
