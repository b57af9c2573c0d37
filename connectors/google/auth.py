"""Signing in to Google: the scopes kith asks for, the stored grant, and the installed-app flow.

Scopes follow the privacy setting (least access that works):

    gmail.metadata     headers and labels only (privacy mode "metadata"); refuses `q` and bodies
    gmail.readonly     also bodies, read in memory for signal detection (mode "snippets")
    calendar.readonly  events and attendees of the calendars listed
    gmail.send         only when the digest is sent through this account (digest.method "gmail")

The grant (Google's authorized-user JSON with the refresh token) lives in the token store under
KITH_HOME (0600); an access token from `token_env` replaces it for tests and service set-ups.
Nothing here logs or prints a token.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from google.auth.exceptions import RefreshError, TransportError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

from kith.connectors.errors import AuthFailed, SourceUnavailable
from kith.connectors.token_store import TokenStore
from kith.models.settings import GoogleAccount, Settings

PREFIX = "https://www.googleapis.com/auth/"
GMAIL_METADATA = PREFIX + "gmail.metadata"
GMAIL_READONLY = PREFIX + "gmail.readonly"
GMAIL_SEND = PREFIX + "gmail.send"
CALENDAR_READONLY = PREFIX + "calendar.readonly"
# Broader scopes that also allow what a narrower one does (a user may have granted more).
IMPLIED_BY = {
    GMAIL_METADATA: {GMAIL_READONLY, "https://mail.google.com/", PREFIX + "gmail.modify"},
    GMAIL_READONLY: {"https://mail.google.com/", PREFIX + "gmail.modify"},
    GMAIL_SEND: {"https://mail.google.com/", PREFIX + "gmail.compose", PREFIX + "gmail.modify"},
    CALENDAR_READONLY: {PREFIX + "calendar"},
}
GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


def scopes_for(account: GoogleAccount, settings: Settings) -> list[str]:
    """The scopes this account needs under the current settings, narrowest that work."""
    scopes = []
    if account.mail:
        scopes.append(GMAIL_METADATA if settings.privacy.mode == "metadata" else GMAIL_READONLY)
    if account.calendars:
        scopes.append(CALENDAR_READONLY)
    if settings.digest.method == "gmail" and settings.digest.account == account.name:
        scopes.append(GMAIL_SEND)
    return scopes


def missing_scopes(granted: set[str], needed: list[str]) -> list[str]:
    """The needed scopes that `granted` neither holds nor implies."""
    return [scope for scope in needed if scope not in granted and not granted & IMPLIED_BY.get(scope, set())]


def fix_command(account: GoogleAccount) -> str:
    return f"kith auth google {account.name}"


def load_credentials(account: GoogleAccount, home: Path, needed: list[str]) -> Credentials:
    """Credentials for the account: its `token_env` access token, else its stored grant.

    Raises `AuthFailed` naming the command that fixes it when there is no grant or it lacks a
    scope the settings need.
    """
    if account.token_env:
        token = os.environ.get(account.token_env, "").strip()
        if not token:
            raise AuthFailed(
                f"no Google access token: environment variable {account.token_env} (token_env) is not set",
                account=account.name,
            )
        return Credentials(token=token)
    text = TokenStore(home).read(account.name)
    if text is None:
        raise AuthFailed(f"not signed in to Google; run `{fix_command(account)}`", account=account.name)
    try:
        credentials = _from_stored(json.loads(text), account)
    except (ValueError, KeyError, TypeError) as exc:
        raise AuthFailed(
            f"the stored Google sign-in is unreadable ({exc}); run `{fix_command(account)}`", account=account.name
        ) from None
    lacking = missing_scopes(set(credentials.scopes or ()), needed)
    if lacking:
        raise AuthFailed(
            f"the Google sign-in lacks {', '.join(short(s) for s in lacking)} that the settings need; "
            f"run `{fix_command(account)}` to grant it",
            account=account.name,
        )
    return credentials


def _from_stored(info: dict, account: GoogleAccount) -> Credentials:
    """Credentials from the stored JSON. Built by hand: google-auth's own reader always sends
    refreshes to Google, and with `api_endpoint` set they go there instead."""
    expiry = info.get("expiry")
    return Credentials(
        token=info.get("token"),
        refresh_token=info["refresh_token"],
        token_uri=token_uri(account),
        client_id=info["client_id"],
        client_secret=info.get("client_secret"),
        scopes=info.get("scopes"),
        expiry=datetime.fromisoformat(expiry.rstrip("Z")) if expiry else None,
    )


def refresh(credentials: Credentials, account: GoogleAccount) -> None:
    """Get a fresh access token now; a revoked or expired grant becomes `AuthFailed`."""
    try:
        credentials.refresh(Request())
    except RefreshError as exc:
        raise refresh_failed(exc, account) from None
    except TransportError as exc:
        raise SourceUnavailable(f"Google's token endpoint is unreachable ({_first_line(exc)})", account=account.name) from None


def refresh_failed(exc: BaseException, account: GoogleAccount) -> AuthFailed:
    """The one line for a refresh Google refused."""
    text = str(exc)
    if account.token_env:
        return AuthFailed(
            f"Google refused the access token in {account.token_env} and it cannot be refreshed; set a fresh one",
            account=account.name,
        )
    if "invalid_grant" in text:
        return AuthFailed(
            "Google refused the stored sign-in (invalid_grant: revoked, or a 7-day token of an unpublished "
            f"OAuth app); run `{fix_command(account)}`",
            account=account.name,
        )
    return AuthFailed(f"Google refused to refresh the sign-in ({_first_line(exc)}); run `{fix_command(account)}`", account=account.name)


def save_credentials(credentials: Credentials, account: GoogleAccount, home: Path) -> Path | None:
    """Keep a (refreshed) grant in the token store; nothing to keep for a `token_env` token."""
    if account.token_env or not credentials.refresh_token:
        return None
    return TokenStore(home).write(account.name, credentials.to_json())


def short(scope: str) -> str:
    return scope.removeprefix(PREFIX)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


# -- the installed-app flow ---------------------------------------------------------------------


def token_uri(account: GoogleAccount) -> str:
    return account.api_endpoint + "token" if account.api_endpoint else GOOGLE_TOKEN_URI


def client_config(account: GoogleAccount) -> dict:
    """The OAuth client: the user's client_secrets JSON, pointed at `api_endpoint` when one is set."""
    if account.client_secrets is None:
        if not account.api_endpoint:
            raise AuthFailed(
                "no OAuth client: set client_secrets to the JSON of your Desktop-app OAuth client "
                "(README: Google accounts)",
                account=account.name,
            )
        config = {"installed": {"client_id": "kith-test", "client_secret": "kith-test-secret"}}
    else:
        try:
            config = json.loads(account.client_secrets.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AuthFailed(f"cannot read client_secrets {account.client_secrets} ({exc})", account=account.name) from None
    kind = "installed" if "installed" in config else "web" if "web" in config else None
    if kind is None:
        raise AuthFailed(
            f"{account.client_secrets} is not an OAuth client JSON; download the Desktop-app client from Google Cloud",
            account=account.name,
        )
    client = dict(config[kind])
    client.setdefault("auth_uri", GOOGLE_AUTH_URI)
    client.setdefault("token_uri", GOOGLE_TOKEN_URI)
    if account.api_endpoint:
        client["auth_uri"] = account.api_endpoint + "o/oauth2/auth"
        client["token_uri"] = token_uri(account)
    return {kind: client}


def _flow(account: GoogleAccount, scopes: list[str]):
    from google_auth_oauthlib.flow import InstalledAppFlow

    if account.api_endpoint and urlsplit(account.api_endpoint).hostname in ("127.0.0.1", "localhost", "::1"):
        # oauthlib insists on https; a loopback endpoint (tests) is plain http by design.
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")  # Google may grant more than asked
    return InstalledAppFlow.from_client_config(client_config(account), scopes=scopes)


def sign_in(
    account: GoogleAccount,
    settings: Settings,
    *,
    open_browser: bool = True,
    port: int = 0,
    timeout: float | None = 300,
) -> Path:
    """The installed-app flow with a loopback redirect; stores the grant, returns its file."""
    scopes = scopes_for(account, settings)
    flow = _flow(account, scopes)
    try:
        credentials = flow.run_local_server(
            host="127.0.0.1", port=port, open_browser=open_browser, timeout_seconds=timeout,
            access_type="offline", prompt="consent", login_hint=account.address,
            authorization_prompt_message="Open this address in a browser to let kith read {url}" if not open_browser
            else "If no browser opened, open this address: {url}",
            success_message="kith is signed in; you can close this window.",
        )
    except Exception as exc:  # noqa: BLE001 - oauthlib raises many kinds; the user needs one line
        raise AuthFailed(f"the Google sign-in did not finish ({_first_line(exc)}); run `{fix_command(account)}` again",
                         account=account.name) from None
    return _store_grant(credentials, account, settings, scopes)


def sign_in_by_paste(
    account: GoogleAccount,
    settings: Settings,
    *,
    ask: Callable[[str], str],
    show: Callable[[str], None],
) -> Path:
    """For a machine with no browser: show the address to open elsewhere, then take the address
    the browser was sent to (it fails to load; its `code` is what counts) pasted back."""
    scopes = scopes_for(account, settings)
    flow = _flow(account, scopes)
    flow.redirect_uri = "http://127.0.0.1:1/"
    url, state = flow.authorization_url(access_type="offline", prompt="consent", login_hint=account.address)
    show(f"Open this address in a browser on any machine and allow access:\n\n{url}\n\n"
         "The browser then fails to load a 127.0.0.1 page: copy that page's full address.")
    pasted = ask("Address the browser ended on").strip()
    query = parse_qs(urlsplit(pasted).query)
    if query.get("state", [None])[0] != state or "code" not in query:
        raise AuthFailed(f"that address holds no code from this sign-in; run `{fix_command(account)}` again",
                         account=account.name)
    try:
        flow.fetch_token(code=query["code"][0])
    except Exception as exc:  # noqa: BLE001
        raise AuthFailed(f"Google refused the code ({_first_line(exc)}); run `{fix_command(account)}` again",
                         account=account.name) from None
    return _store_grant(flow.credentials, account, settings, scopes)


def _store_grant(credentials: Credentials, account: GoogleAccount, settings: Settings, scopes: list[str]) -> Path:
    if not credentials.refresh_token:
        raise AuthFailed("Google sent no refresh token; remove kith's access at myaccount.google.com/permissions "
                         f"and run `{fix_command(account)}` again", account=account.name)
    lacking = missing_scopes(set(credentials.granted_scopes or credentials.scopes or scopes), scopes)
    if lacking:
        raise AuthFailed(f"the consent screen left out {', '.join(short(s) for s in lacking)}; "
                         f"run `{fix_command(account)}` again and tick every box", account=account.name)
    return TokenStore(settings.home).write(account.name, credentials.to_json())


def sign_in_account(
    settings: Settings,
    name: str,
    *,
    no_browser: bool = False,
    port: int = 0,
    ask: Callable[[str], str] = input,
    show: Callable[[str], None] = print,
) -> str:
    """`kith auth google NAME`: sign the named account in; the line to show when it is done."""
    from kith.models.settings import SettingsError

    account = settings.account(name)
    if not isinstance(account, GoogleAccount):
        raise SettingsError(f"account {name!r} is of kind {account.kind!r}, not 'google'")
    show(f"Asking Google for: {', '.join(short(s) for s in scopes_for(account, settings))}")
    if no_browser:
        path = sign_in_by_paste(account, settings, ask=ask, show=show)
    else:
        path = sign_in(account, settings, port=port)
    return f"Signed in as {account.address}; the grant is kept in {path} (mode 0600)."
