"""`kith auth google` up to the token exchange against the fake: the browser step is replaced by a
request to the address the browser would open (the fake's consent page redirects to kith's
loopback listener, as Google's does)."""

from __future__ import annotations

import json
import stat
import threading
import urllib.error
import urllib.request
import webbrowser
from urllib.parse import parse_qs, urlsplit

from typer.testing import CliRunner

from google_world import ADDRESS, mail_headers
from fake_google import CALENDAR_READONLY, GMAIL
from kith.connectors.google.auth import sign_in_by_paste
from kith.connectors.token_store import TokenStore
from kith.flows.cli import app
from kith.flows.syncing import sync_accounts
from kith.models.settings import load_settings
from kith.warehouse import open_warehouse


def write_config(home, fake, extra: str = "") -> None:
    (home / "kith.toml").write_text(
        f'[[accounts]]\nname = "google"\nkind = "google"\naddress = "{ADDRESS}"\n'
        f'api_endpoint = "{fake.url}"\n{extra}'
    )


class ConsentingBrowser:
    """Stands in for the user's browser: opens the address, and the consent is given at once."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=10).read(), daemon=True).start()
        return True


def test_kith_auth_google_signs_in_through_the_loopback_redirect(fake, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KITH_HOME", str(home))
    write_config(home, fake, '\n[digest]\nmethod = "gmail"\naccount = "google"\nto = ["alex@example.com"]\n')
    browser = ConsentingBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser)

    result = CliRunner().invoke(app, ["auth", "google", "google"])

    assert result.exit_code == 0, result.output
    path = TokenStore(home).path("google")
    assert f"Signed in as {ADDRESS}; the grant is kept in" in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    wanted = [GMAIL + "readonly", CALENDAR_READONLY, GMAIL + "send"]
    assert (stored["refresh_token"] in fake.refresh_tokens, stored["token"] in fake.tokens, sorted(stored["scopes"])) == (
        True, True, sorted(wanted))
    query = parse_qs(urlsplit(browser.opened[0]).query)
    assert (query["scope"][0].split(), query["access_type"], query["redirect_uri"][0].startswith("http://127.0.0.1:")) == (
        wanted, ["offline"], True)

    fake.add_message(mail_headers(1), record=False)  # the stored grant works for a sync
    with open_warehouse(home / "kith.duckdb") as warehouse:
        reports = sync_accounts(warehouse.conn, load_settings(home))
    assert [(r.stream, r.messages, r.error) for r in reports] == [("gmail", 1, None), ("calendar:primary", 0, None)]


def test_without_a_browser_the_redirected_address_is_pasted_back(fake, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    write_config(home, fake, '\n[privacy]\nmode = "metadata"\n')
    settings = load_settings(home)
    shown: list[str] = []

    def paste(prompt: str) -> str:
        url = next(line for line in shown[0].splitlines() if line.startswith("http"))
        request = urllib.request.Request(url)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(request, timeout=10)
        except urllib.error.HTTPError as exc:  # the 302 to a page that will not load
            return exc.headers["Location"]
        raise AssertionError("the consent page did not redirect")

    path = sign_in_by_paste(settings.account("google"), settings, ask=paste, show=shown.append)

    assert sorted(json.loads(path.read_text())["scopes"]) == sorted([GMAIL + "metadata", CALENDAR_READONLY])


def test_a_pasted_address_from_another_sign_in_is_refused(fake, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    write_config(home, fake)
    settings = load_settings(home)
    try:
        sign_in_by_paste(settings.account("google"), settings, ask=lambda p: "http://127.0.0.1:1/?code=x&state=forged",
                         show=lambda text: None)
    except Exception as exc:  # noqa: BLE001
        assert str(exc) == ("account 'google': that address holds no code from this sign-in; "
                            "run `kith auth google google` again")
    else:
        raise AssertionError("a forged state was accepted")
    assert TokenStore(home).read("google") is None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
