"""Fixtures for the daily loop: a real SMTP server on loopback (aiosmtpd), TLS material made here,
a temporary KITH_HOME with a small generated network, Prefect's test harness, recorded events."""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from needs import require

SMTP_USER = "kith-sender"
SMTP_PASSWORD = "correct horse battery staple"
PASSWORD_ENV = "KITH_TEST_SMTP_PASSWORD"
DAY = dt.date(2026, 3, 2)  # the "today" of the generated network and of every digest here


def free_port() -> int:
    """A free loopback port: aiosmtpd does not accept port 0, so bind 0, read it, close."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    """What the server received, parsed."""

    envelopes: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.envelopes.append(envelope)
        return "250 OK: queued"

    @property
    def messages(self) -> list[EmailMessage]:
        raw = [(e.original_content or e.content).replace(b"\r\n", b"\n") for e in self.envelopes]
        return [message_from_bytes(content, policy=policy.default) for content in raw]


def require_aiosmtpd() -> None:
    """aiosmtpd is in the test extras: missing, SMTP tests skip on a laptop and fail under CI."""
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        require(False, "aiosmtpd is needed for the SMTP tests (pip install -e '.[test]')")


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox
    controller: object | None = None  # aiosmtpd.controller.Controller
    options: dict = field(default_factory=dict)

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname=self.host, port=self.port, **self.options)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _authenticator(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1/localhost and its key (made with `cryptography`)."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        require(False, "cryptography is needed to make the test TLS certificate (pip install cryptography)")
    from tls_material import make_certificate

    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def client_tls(tls_files) -> ssl.SSLContext:
    """What kith uses to trust the test server: the default context plus the self-signed cert."""
    return ssl.create_default_context(cafile=str(tls_files[0]))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Plain SMTP on loopback, no login (digest.smtp.security = 'none')."""
    require_aiosmtpd()
    server = SmtpServer("127.0.0.1", free_port(), Inbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def secure_smtp_server(request, tls_files, monkeypatch) -> Iterator[SmtpServer]:
    """STARTTLS or implicit TLS (param), AUTH required, password in PASSWORD_ENV."""
    require_aiosmtpd()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(str(tls_files[0]), str(tls_files[1]))
    options = {"authenticator": _authenticator, "auth_required": True}
    if request.param == "starttls":
        options.update(tls_context=server_tls, require_starttls=True)
    else:
        # aiosmtpd does not see implicit TLS as TLS when deciding whether to offer AUTH
        options.update(ssl_context=server_tls, server_hostname="127.0.0.1", auth_require_tls=False)
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    server = SmtpServer("127.0.0.1", free_port(), Inbox(), options=options)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def network(tmp_path_factory) -> dict:
    """A small generated network (mbox + calendars) and its ground truth, made once per session."""
    from kith.generator import generate_network

    folder = tmp_path_factory.mktemp("network")
    truth = generate_network(folder, seed=11, today=DAY, messages=2000)  # smaller scales trip a generator bug (IndexError in writer.emit_thread)
    return {"dir": folder, "truth": truth}


def write_settings(home: Path, network: dict, *, smtp: dict | None, extra: str = "") -> Path:
    """kith.toml for the generated network, delivering by SMTP when `smtp` is given."""
    user = network["truth"]["user"]
    addresses = ", ".join(json.dumps(a) for a in user["addresses"])
    digest = 'method = "smtp"\nto = ["reader@example.org"]\n' if smtp else 'method = "file"\nto = ["reader@example.org"]\n'
    text = f"""[user]
name = {json.dumps(user["name"])}
addresses = [{addresses}]
timezone = "UTC"

[[accounts]]
name = "mail"
kind = "mbox"
path = {json.dumps(str(network["dir"] / "mail"))}

[[accounts]]
name = "calendar"
kind = "ics"
path = {json.dumps(str(network["dir"]))}

[digest]
{digest}{extra}"""
    if smtp:
        text += "\n[digest.smtp]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in smtp.items())
    path = home / "kith.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def prefect_harness():
    """Prefect's test harness (a temporary server and database), started once: ~12 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def recorded_events(monkeypatch):
    """Every event emitted during the test, via Prefect's AssertingEventsClient."""
    from prefect.events.clients import AssertingEventsClient
    from prefect.events.worker import EventsWorker

    worker = EventsWorker.instance(AssertingEventsClient)
    monkeypatch.setattr(EventsWorker, "instance", lambda *_: worker)

    def kith_events() -> list:
        worker.wait_until_empty() if hasattr(worker, "wait_until_empty") else None
        return [e for e in worker._client.events if e.event.startswith("kith.")] if hasattr(worker, "_client") else []

    yield kith_events
    worker.drain()
