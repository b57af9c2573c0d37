"""Delivering a stored digest: exactly once per day and recipient, retried until it goes out.

The digest is stored before anything is sent (the `digests` table and the files under
`KITH_HOME/digests/`), so a failed send loses nothing. Each (day, recipient) has one row in
a ledger (`deliveries` for the digest, `report_deliveries` for the report by mail:
warehouse/deliveries.py), which moves

    pending ──claim──> sending ──ok──> sent
       ^                  │
       └──── failed <─────┘  (attempts + 1, last_error: one line, never a secret)

A claim is one `UPDATE ... WHERE status IN ('pending', 'failed') RETURNING`: whoever gets the row
back sends, anyone else does nothing. DuckDB lets one process write (our file lock), and within a
process `_CLAIMS` serialises claims, so overlapping runs and retried flows send once.

The one window for a duplicate: the server accepted the message and the process died before the
row became `sent`. Sending is the last thing before marking (no logging or events in between), so
the window is a few milliseconds; a row found `sending` by a later run with nobody in this process
sending it is such an interrupted send: it is marked failed and sent again with the *same*
Message-ID (derived from day and recipient), which mail clients such as Gmail use to drop the copy.

Policy for older days: only the newest digest is delivered. An earlier day whose delivery never
went out stays `failed`/`pending` in `deliveries` (its text is kept in `digests` and on disk); a
stale digest in the inbox would be noise.

Senders implement `Sender`: `SmtpSender` (smtplib), `FileSender` (writes .eml files), and the
senders that go through a provider's API (Graph `sendMail`, Gmail `users.messages.send`: flows/senders.py), which need a
connector's client and so are handed to `build_sender` by the flows.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import Protocol

import duckdb

from kith.digests.items import Digest, DigestItem
from kith.models.settings import Settings, SmtpSettings
from kith.warehouse.deliveries import (
    add_delivery,
    claim_delivery,
    database_path,
    delivery_status,
    mark_failed,
    mark_sent,
    sending_recipients,
)
from kith.warehouse.digest_store import stored_digest

log = logging.getLogger("kith.delivery")

MESSAGE_ID_DOMAIN = "kith.digest"  # stable: a resend of the same digest has the same Message-ID
DEFAULT_BACKOFF: tuple[float, ...] = (5.0, 30.0)
INTERRUPTED = "interrupted while sending (it may have gone out; a resend has the same Message-ID)"


class DeliveryError(Exception):
    """A send failed. `permanent` ones (refused login, refused address) are not retried in a run."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Sender(Protocol):
    """Anything that can hand one message over for delivery, raising `DeliveryError` if it can't."""

    method: str

    def send(self, message: EmailMessage) -> None: ...


# ---------------------------------------------------------------------------------------------
# Composing


def message_id_for(day: date, recipient: str, kind: str = "digest") -> str:
    """The Message-ID of the `kind` mail (digest, or the report of a period) of `day` for
    `recipient`: the same on every (re)send."""
    address = getaddresses([recipient])[0][1] or recipient
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]
    return f"<{kind}.{day.isoformat()}.{digest}@{MESSAGE_ID_DOMAIN}>"


def _address(text: str, default_name: str = "") -> Address:
    name, addr = getaddresses([text])[0]
    if "@" not in addr:
        raise DeliveryError(f"{text!r} is not an email address; fix digest.to / digest.smtp.from in kith.toml", permanent=True)
    local, domain = addr.rsplit("@", 1)
    return Address(display_name=name or default_name, username=local, domain=domain)


def new_message(subject: str, sender: str, recipient: str, message_id: str, *, now: datetime | None = None,
                recipient_name: str = "") -> EmailMessage:
    """A message from kith with its headers set (UTF-8, auto-generated), no body yet."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = _address(sender, "kith")
    message["To"] = _address(recipient, recipient_name)
    message["Date"] = format_datetime(now or datetime.now(timezone.utc))
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to kith
    return message


def compose_digest_email(
    digest: Digest | date,
    text: str,
    html: str,
    subject: str,
    sender: str,
    recipient: str,
    *,
    now: datetime | None = None,
    recipient_name: str = "",
) -> EmailMessage:
    """One multipart/alternative message: plain text first, then HTML; UTF-8 headers."""
    day = digest.day if isinstance(digest, Digest) else digest
    message = new_message(subject, sender, recipient, message_id_for(day, recipient), now=now, recipient_name=recipient_name)
    message["X-Kith-Digest-Date"] = day.isoformat()
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


# ---------------------------------------------------------------------------------------------
# Senders


def _one_line(exc: BaseException, secret: str | None = None) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        text = f"{exc.smtp_code} {' '.join(detail.split())}"
    if secret:
        text = text.replace(secret, "***")
    return text[:300]


def is_loopback(host: str) -> bool:
    """True when `host` names this machine (plain SMTP is only allowed there)."""
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


class SmtpSender:
    """Send by SMTP: implicit TLS (`tls`, port 465), STARTTLS (`starttls`, 587) or plain (`none`, 25, loopback only)."""

    method = "smtp"

    def __init__(self, smtp: SmtpSettings, *, timeout: float = 30.0, ssl_context: ssl.SSLContext | None = None) -> None:
        self.smtp = smtp
        self.timeout = timeout
        self.ssl_context = ssl_context

    @property
    def port(self) -> int:
        return self.smtp.port or {"tls": 465, "starttls": 587, "none": 25}[self.smtp.security]

    @property
    def where(self) -> str:
        """Where it sends, for progress messages: host:port."""
        return f"{self.smtp.host}:{self.port}"

    def _password(self) -> str | None:
        if not self.smtp.username:
            return None
        variable = self.smtp.password_env
        if not variable:
            raise DeliveryError(
                "digest.smtp.username is set but digest.smtp.password_env is not; name the environment variable that holds the password",
                permanent=True,
            )
        password = os.environ.get(variable)
        if not password:
            raise DeliveryError(f"the SMTP password is not set: export {variable}=<password> (it is never stored)", permanent=True)
        return password

    def _connect(self) -> tuple[smtplib.SMTP, str | None]:
        smtp = self.smtp
        if smtp.security == "none" and not is_loopback(smtp.host):
            raise DeliveryError(
                f"digest.smtp.security is 'none' but {smtp.host} is not this machine; use 'starttls' or 'tls'",
                permanent=True,
            )
        password = self._password()
        context = self.ssl_context or ssl.create_default_context()
        where = f"{smtp.host}:{self.port}"
        try:
            if smtp.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, self.port, timeout=self.timeout, context=context)
            else:
                client = smtplib.SMTP(smtp.host, self.port, timeout=self.timeout)
            try:
                if smtp.security == "starttls":
                    client.starttls(context=context)
                if smtp.username:
                    client.login(smtp.username, password or "")
            except BaseException:
                client.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"SMTP login as {smtp.username} at {where} refused ({_one_line(exc, password)}); check {smtp.password_env}",
                permanent=True,
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"SMTP server {where}: {_one_line(exc, password)}; check digest.smtp.security", permanent=True) from None
        except ssl.SSLError as exc:
            raise DeliveryError(f"TLS with {where} failed ({_one_line(exc)}); check digest.smtp.security and port", permanent=True) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP server {where} unreachable: {_one_line(exc, password)}") from None
        return client, password

    def check(self) -> None:
        """Connect, secure, log in and say goodbye: what `kith doctor` runs. Raises `DeliveryError`."""
        client, _ = self._connect()
        try:
            client.noop()
        finally:
            _close(client)

    def send(self, message: EmailMessage) -> None:
        client, password = self._connect()
        try:
            refused = client.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise DeliveryError(f"SMTP server refused the message: {_one_line(exc, password)}", permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP server refused the message: {_one_line(exc, password)}", permanent=exc.smtp_code >= 500) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP send to {self.smtp.host}:{self.port} failed: {_one_line(exc, password)}") from None
        finally:
            _close(client)
        if refused:
            raise DeliveryError(f"SMTP server refused recipient(s) {', '.join(refused)}", permanent=True)


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


class FileSender:
    """Write each message as `<Message-ID-derived name>.eml` in `directory` (method = "file")."""

    method = "file"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @property
    def where(self) -> str:
        return str(self.directory)

    def path_for(self, message: EmailMessage) -> Path:
        name = re.sub(r"[^A-Za-z0-9.-]+", "_", str(message["Message-ID"]).strip("<>"))
        return self.directory / f"{name}.eml"

    def send(self, message: EmailMessage) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.path_for(message)
            partial = path.with_suffix(".eml.partial")
            partial.write_bytes(message.as_bytes())
            os.replace(partial, path)
        except OSError as exc:
            raise DeliveryError(f"could not write {self.directory}: {_one_line(exc)}") from None


def sender_address(settings: Settings) -> str:
    """The From address: digest.smtp.from, the sending account's address (an API sender), else
    the user's first address, else kith@localhost."""
    if settings.digest.method == "smtp" and settings.digest.smtp is not None:
        return settings.digest.smtp.sender
    sending = next((a for a in settings.accounts if a.name == settings.digest.account), None)
    if settings.digest.method != "file" and getattr(sending, "address", None):
        return f"{settings.user.name} <{sending.address}>"
    if settings.digest.smtp is not None:
        return settings.digest.smtp.sender
    user = settings.user
    return f"{user.name} <{user.addresses[0]}>" if user.addresses else "kith <kith@localhost>"


def build_sender(settings: Settings, api_senders: Mapping[str, Callable[[Settings], Sender]] | None = None) -> Sender:
    """The sender digest.method asks for; `file` writes to KITH_HOME/outbox. `api_senders` builds
    the senders that need a provider's API client (method name -> factory), given by the flows."""
    method = settings.digest.method
    if api_senders and method in api_senders:
        return api_senders[method](settings)
    if method not in ("smtp", "file"):
        raise DeliveryError(f"digest.method {method!r} cannot be used here; use 'smtp' or 'file'", permanent=True)
    if settings.digest.method == "smtp":
        if settings.digest.smtp is None:
            raise DeliveryError("digest.method is 'smtp' but there is no [digest.smtp] table in kith.toml; add host and from", permanent=True)
        return SmtpSender(settings.digest.smtp)
    return FileSender(settings.home / "outbox")


# ---------------------------------------------------------------------------------------------
# Exactly-once delivery

# (database, ledger, day, recipient) being sent by a thread of this process right now.
_CLAIMS: set[tuple[str, str, date, str]] = set()
_CLAIMS_LOCK = threading.Lock()


@dataclass
class Delivery:
    """What happened to one recipient's copy in this run."""

    recipient: str
    status: str  # sent | failed | already_sent | in_progress | skipped_empty
    attempts: int = 0
    message_id: str | None = None
    error: str | None = None

    @property
    def domain(self) -> str:
        return self.recipient.rsplit("@", 1)[-1].strip(">").lower()


@dataclass
class StoredDigest:
    day: date
    item_count: int
    text: str
    html: str
    digest: Digest


def load_stored_digest(conn: duckdb.DuckDBPyConnection, day: date, user_name: str = "") -> StoredDigest | None:
    """The digest of `day` as stored by `save_digest`, or None when none was built that day."""
    found = stored_digest(conn, day)
    if found is None:
        return None
    row, rows = found
    items = []
    for item in rows:
        item["name"] = item["name"] or item["address"] or item["person_id"] or ""
        item["score"] = item["score"] or 0.0
        items.append(DigestItem(**item))
    digest = Digest(day=day, user_name=user_name, items=items, new_connections_this_week=row["new_connections"])
    return StoredDigest(day, row["item_count"], row["text_body"], row["html_body"], digest)


def _claim(conn: duckdb.DuckDBPyConnection, key: tuple[str, str, date, str], method: str) -> int | None:
    """Take the row for sending; None when it is sent, or being sent by someone else."""
    _, ledger, day, recipient = key
    with _CLAIMS_LOCK:
        if key in _CLAIMS:
            return None
        if recipient in sending_recipients(conn, day, ledger=ledger):
            # Nobody in this process is sending it and we hold the writer lock: a crashed run left it.
            log.warning("the %s of %s to a recipient at %s was interrupted while sending; sending it again", ledger, day, recipient.rsplit("@", 1)[-1])
            mark_failed(conn, day, recipient, INTERRUPTED, ledger=ledger)
        attempts = claim_delivery(conn, day, recipient, method, ledger=ledger)
        if attempts is not None:
            _CLAIMS.add(key)
        return attempts


def deliver_digest(
    conn: duckdb.DuckDBPyConnection,
    day: date,
    settings: Settings,
    sender: Sender,
    *,
    subject: str | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    max_attempts: int = 3,
    backoff: Sequence[float] = DEFAULT_BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send the stored digest of `day` to every `digest.to` recipient that has not had it yet.

    Tries each recipient up to `max_attempts` times in this run, waiting `backoff[i]` seconds
    between tries (a permanent error stops at once); what is still failed is left for the next run.
    With `on_empty = "skip"` a digest with no items is not sent (it stays stored).
    """
    stored = load_stored_digest(conn, day, settings.user.name)
    if stored is None:
        raise DeliveryError(f"no digest stored for {day}; build it first (`kith digest --date {day}`)", permanent=True)
    recipients = digest_recipients(settings)
    if stored.item_count == 0 and settings.digest.on_empty == "skip":
        return [Delivery(r, "skipped_empty") for r in recipients]
    subject = subject or _subject(stored)

    def compose(display: str) -> EmailMessage:
        return compose_digest_email(stored.digest, stored.text, stored.html, subject, sender_address(settings), display, now=now())

    return deliver_once(conn, "digest", day, recipients, sender, compose, now=now, max_attempts=max_attempts,
                        backoff=backoff, sleep=sleep)


def digest_recipients(settings: Settings) -> list[str]:
    """Who gets the digest (and the report by mail): digest.to, else the user's first address."""
    recipients = settings.digest.to or settings.user.addresses[:1]
    if not recipients:
        raise DeliveryError("nobody to send the digest to; set digest.to in kith.toml", permanent=True)
    return recipients


def deliver_once(
    conn: duckdb.DuckDBPyConnection,
    ledger: str,
    day: date,
    recipients: Sequence[str],
    sender: Sender,
    compose: Callable[[str], EmailMessage],
    *,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    max_attempts: int = 3,
    backoff: Sequence[float] = DEFAULT_BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send `compose(recipient)` to each recipient whose row of `day` in `ledger` (warehouse/deliveries.py)
    is not sent yet: exactly once per (day, recipient), retried as `deliver_digest` says."""
    database = database_path(conn)
    results = []
    for recipient in recipients:
        address = recipient_address(recipient)
        with _CLAIMS_LOCK:
            add_delivery(conn, day, address, sender.method, ledger=ledger)
        key = (database, ledger, day, address)
        results.append(_deliver_one(conn, key, recipient, compose, sender, now, max_attempts, backoff, sleep))
    return results


def recipient_address(recipient: str) -> str:
    """The bare, lower-cased address of `Name <address>`: the key of a delivery."""
    return (getaddresses([recipient])[0][1] or recipient).strip().lower()


def _deliver_one(conn, key, display, compose, sender, now, max_attempts, backoff, sleep) -> Delivery:
    _, ledger, day, recipient = key
    tries = 0
    last_error = None
    while True:
        attempts = _claim(conn, key, sender.method)
        if attempts is None:
            status, attempts, error, message_id = delivery_status(conn, day, recipient, ledger=ledger)
            if status == "sent":
                return Delivery(recipient, "already_sent" if tries == 0 else "sent", attempts, message_id)
            if tries == 0 and status == "sending":
                return Delivery(recipient, "in_progress", attempts)
            return Delivery(recipient, "failed", attempts, error=last_error or error)
        tries += 1
        try:
            try:
                message = compose(display)
                sender.send(message)
            except DeliveryError as exc:
                last_error = str(exc)
                mark_failed(conn, day, recipient, last_error, ledger=ledger)
                permanent = exc.permanent
            except Exception as exc:  # a bug in a sender must not leave the row 'sending'
                last_error = _one_line(exc)
                mark_failed(conn, day, recipient, last_error, ledger=ledger)
                permanent = False
            else:
                # Nothing between the server's OK and this line: it is the duplicate window.
                mark_sent(conn, day, recipient, message["Message-ID"], now().astimezone(timezone.utc).replace(tzinfo=None), ledger=ledger)
                return Delivery(recipient, "sent", attempts, str(message["Message-ID"]))
        finally:
            with _CLAIMS_LOCK:
                _CLAIMS.discard(key)
        if permanent or tries >= max_attempts:
            # Not a warning: the run reports the failure itself, once, at its end.
            log.info("%s of %s to a recipient at %s: attempt %d failed: %s", ledger, day, recipient.rsplit("@", 1)[-1], tries, last_error)
            return Delivery(recipient, "failed", attempts, error=last_error)
        wait = backoff[min(tries - 1, len(backoff) - 1)] if backoff else 0
        # Said before the wait, so that a stalled server never leaves the user looking at nothing.
        log.warning(
            "waiting %g s before retrying delivery to %s (attempt %d of %d): %s",
            wait, getattr(sender, "where", sender.method), tries + 1, max_attempts, last_error,
        )
        sleep(wait)


def _subject(stored: StoredDigest) -> str:
    try:
        from kith.digests.render import digest_subject
    except ImportError:
        return f"kith: {stored.item_count} things for {stored.day:%A %-d %B}" if stored.item_count else f"kith: nothing today ({stored.day})"
    return digest_subject(stored.digest)
