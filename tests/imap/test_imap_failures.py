"""What goes wrong, against the real server: connections cut mid-sync, refused logins, missing
secrets, folders that vanish, dead cursors, and XOAUTH2 (Dovecot's oauth2 passdb asks a loopback
introspection endpoint, so the token really is checked by the server)."""

from __future__ import annotations

import socket
import threading

import pytest
from conftest import ImapUser, expected_row, make_message

from kith.connectors.errors import AuthFailed, ResyncRequired, SourceUnavailable
from kith.connectors.imap import ImapConnector
from kith.connectors.tokens import EnvTokenProvider
from kith.models.settings import SettingsError


class CuttingProxy:
    """A TCP proxy to Dovecot that drops every connection once the server has sent `cut_after`
    FETCH responses in total (`None`: never); with `stay_down`, it then closes every new
    connection at once, as a server that went away would."""

    def __init__(self, port: int) -> None:
        self.upstream = port
        self.cut_after: int | None = None
        self.refuse = False
        self.stay_down = False
        self.fetched = 0
        self.cuts = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, from_server: bool) -> None:
        try:
            while data := source.recv(65536):
                if from_server:
                    with self._lock:
                        self.fetched += data.count(b" FETCH (")
                        cut = self.cut_after is not None and self.fetched >= self.cut_after
                        if cut:
                            self.cut_after = None
                            self.cuts += 1
                            self.refuse = self.stay_down
                    if cut:
                        break
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def proxy(imap_user: ImapUser):
    proxy = CuttingProxy(imap_user.server.port)
    yield proxy
    proxy.close()


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImapConnector, "retry_delays", (0.0, 0.0, 0.0))


def test_a_cut_connection_is_resumed(imap_user: ImapUser, proxy: CuttingProxy, no_waiting) -> None:
    imap_user.append("INBOX", [make_message(n) for n in range(20)])
    imap_user.sync(imap_user.account(batch_size=20), database="whole.duckdb")

    proxy.cut_after = 14  # two FETCHes per batch of 4 (headers, then bodies): mid-way through the second
    imap_user.sync(imap_user.account(port=proxy.port, batch_size=4))

    assert proxy.cuts == 1
    assert imap_user.tables() == imap_user.tables("whole.duckdb")
    assert imap_user.rows() == sorted(expected_row(n) for n in range(20))


def test_a_sync_that_gives_up_is_finished_by_the_next(imap_user: ImapUser, proxy: CuttingProxy, no_waiting) -> None:
    imap_user.append("INBOX", [make_message(n) for n in range(20)])
    imap_user.sync(imap_user.account(batch_size=20), database="whole.duckdb")
    account = imap_user.account(port=proxy.port, batch_size=4, folders=["INBOX"])

    proxy.cut_after = 18  # two FETCHes per batch of 4: early in the third batch
    proxy.stay_down = True  # every reconnect fails too
    [failed] = imap_user.sync(account)  # the stream's error is reported; the run itself goes on
    assert len(imap_user.rows()) == 8  # the two batches stored before the cut stay
    proxy.refuse = False
    [finished] = imap_user.sync(account)

    assert failed.error.startswith(f"account 'imap-{imap_user.name}': folder 'INBOX': gave up after 4 tries")
    assert "\n" not in failed.error and finished.error is None
    whole = imap_user.tables("whole.duckdb")
    assert imap_user.tables()["messages"] == whole["messages"]
    assert imap_user.tables()["message_addresses"] == whole["message_addresses"]
    assert imap_user.tables()["sync_state"] == [s for s in whole["sync_state"] if s[1] == "INBOX"]


def test_wrong_password(imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(imap_user.env, "not-the-password")
    [report] = imap_user.sync()
    assert report.error == (
        f"account 'imap-{imap_user.name}': the server refused the login for {imap_user.name}; "
        "check password_env/app password"
    )
    assert "not-the-password" not in report.error


def test_missing_password_names_the_setting(imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(imap_user.env)
    with pytest.raises(AuthFailed, match=f"environment variable {imap_user.env} \\(password_env\\) is not set"):
        ImapConnector(imap_user.account()).streams()
    with pytest.raises(AuthFailed, match="set password_env, keyring_service or prefect_secret"):
        ImapConnector(imap_user.account(password_env=None)).streams()


def test_clear_text_only_on_loopback(imap_user: ImapUser) -> None:
    with pytest.raises(SettingsError, match="only allowed for 127.0.0.1"):
        ImapConnector(imap_user.account(host="mail.example.com"))


def test_unreachable_server(imap_user: ImapUser, no_waiting) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with pytest.raises(SourceUnavailable, match=f"cannot connect to 127.0.0.1:{closed_port}"):
        ImapConnector(imap_user.account(port=closed_port)).streams()


def test_a_vanished_folder_is_refused_by_name(imap_user: ImapUser) -> None:
    imap_user.append("Clients", [make_message(1, prefix="c")])
    account = imap_user.account(folders=["Clients"])
    imap_user.sync(account)
    client = imap_user.client()
    client.delete_folder("Clients")
    client.logout()

    [report] = imap_user.sync(account)
    assert "folder 'Clients' does not exist on the server" in report.error
    assert "\n" not in report.error


def test_a_dead_cursor_asks_for_a_resync(imap_user: ImapUser) -> None:
    imap_user.append("INBOX", [make_message(1)])
    connector = ImapConnector(imap_user.account())
    try:
        cursor = list(connector.fetch("INBOX", None))[-1].cursor
        with pytest.raises(ResyncRequired, match="UIDVALIDITY changed"):
            list(connector.fetch("INBOX", {**cursor, "uidvalidity": cursor["uidvalidity"] + 1}))
    finally:
        connector.close()


def test_xoauth2_login(imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch) -> None:
    imap_user.append("INBOX", [make_message(1)])
    imap_user.server.add_token(f"token-of-{imap_user.name}", imap_user.name)
    monkeypatch.setenv("KITH_TEST_TOKEN", f"token-of-{imap_user.name}")

    imap_user.sync(imap_user.account(password_env=None, oauth_token_env="KITH_TEST_TOKEN"))
    assert imap_user.rows() == [expected_row(1)]

    monkeypatch.setenv("KITH_TEST_TOKEN", "stolen-token")
    with pytest.raises(AuthFailed, match="refused the XOAUTH2 login"):
        ImapConnector(imap_user.account(), token_provider=EnvTokenProvider("KITH_TEST_TOKEN")).streams()


def test_bodies_are_fetched_only_where_signals_read_them(imap_user: ImapUser, proxy: CuttingProxy) -> None:
    personal = make_message(1, body="Could you send me the deck?")
    newsletter = make_message(2, prefix="news", sender="news@acme.test").replace(
        b"Content-Type:", b"List-Id: <news.acme.test>\r\nList-Unsubscribe: <mailto:leave@acme.test>\r\nContent-Type:"
    )
    imap_user.append("INBOX", [personal, newsletter])
    imap_user.sync(imap_user.account(port=proxy.port, folders=["INBOX"]))
    # two header responses, then one body: the newsletter's body never crosses the wire
    assert proxy.fetched == 3
    assert imap_user.query("SELECT kind, evidence FROM signals") == [("question", "Could you send me the deck?")]
