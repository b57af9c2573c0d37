"""Opening an authenticated IMAP session: secrets, transport security, login.

Secrets come from the environment (`password_env`), the system keyring (`keyring_service`), a
Prefect Secret block (`prefect_secret`) or, for XOAUTH2, a `TokenProvider`. They are never logged
and never put in an exception's text.
"""

from __future__ import annotations

import imaplib
import os
import ssl

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from kith.connectors.errors import AuthFailed, SourceRefused, SourceUnavailable
from kith.connectors.tokens import EnvTokenProvider, TokenProvider
from kith.models.settings import ImapAccount, SettingsError

DEFAULT_PORTS = {"tls": 993, "starttls": 143, "none": 143}
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

# Errors that mean the connection broke (and a reconnect may help), as opposed to the server
# answering NO or BAD. `IMAP4.abort` subclasses `IMAP4.error`, so test for it first.
TRANSIENT = (OSError, imaplib.IMAP4.abort)


def check_security(account: ImapAccount) -> None:
    """Refuse clear-text IMAP to anything but this machine."""
    if account.security == "none" and account.host not in LOOPBACK:
        raise SettingsError(
            f"account {account.name!r}: security = \"none\" would send the password in clear text; "
            f"it is only allowed for 127.0.0.1, localhost or ::1 (host is {account.host!r}); "
            'use security = "tls" or "starttls"'
        )


def token_provider_for(account: ImapAccount, given: TokenProvider | None) -> TokenProvider | None:
    """The XOAUTH2 token source: the one given, else `oauth_token_env`, else none (password)."""
    if given is not None:
        return given
    if account.oauth_token_env:
        return EnvTokenProvider(account.oauth_token_env, account=account.name)
    return None


def read_password(account: ImapAccount) -> str:
    """The account's password from the first source its settings name."""
    if account.password_env:
        password = os.environ.get(account.password_env)
        if not password:
            raise AuthFailed(
                f"no password: environment variable {account.password_env} (password_env) is not set",
                account=account.name,
            )
        return password
    if account.keyring_service:
        import keyring

        try:
            password = keyring.get_password(account.keyring_service, account.username)
        except keyring.errors.KeyringError as exc:
            raise AuthFailed(
                f"the keyring could not be read ({type(exc).__name__}); check keyring_service "
                f"{account.keyring_service!r} or use password_env",
                account=account.name,
            ) from None
        if not password:
            raise AuthFailed(
                f"no password in the keyring for service {account.keyring_service!r} and user "
                f"{account.username!r}; store one with `keyring set {account.keyring_service} {account.username}`",
                account=account.name,
            )
        return password
    if account.prefect_secret:
        from prefect.blocks.system import Secret  # Prefect takes ~2 s to import: only when asked

        try:
            return str(Secret.load(account.prefect_secret).get())
        except ValueError:
            raise AuthFailed(
                f"no Prefect Secret block named {account.prefect_secret!r} (prefect_secret); create it "
                "in the Prefect UI or with `prefect block create secret`",
                account=account.name,
            ) from None
    raise AuthFailed(
        "no password configured: set password_env, keyring_service or prefect_secret "
        "(or oauth_token_env for XOAUTH2)",
        account=account.name,
    )


def open_session(account: ImapAccount, tokens: TokenProvider | None) -> IMAPClient:
    """Connect, secure and log in; CONDSTORE is enabled when the server offers it."""
    port = account.port or DEFAULT_PORTS[account.security]
    where = f"{account.host}:{port}"
    secret = tokens.access_token() if tokens else read_password(account)
    try:
        context = ssl.create_default_context()
        client = IMAPClient(
            account.host,
            port=port,
            ssl=account.security == "tls",
            ssl_context=context if account.security == "tls" else None,
            timeout=account.timeout_seconds,
        )
    except ssl.SSLError as exc:
        raise SourceUnavailable(f"TLS with {where} failed: {exc.reason or exc}", account=account.name) from None
    except TRANSIENT as exc:
        raise SourceUnavailable(f"cannot connect to {where}: {_describe(exc)}", account=account.name) from None
    try:
        if account.security == "starttls":
            client.starttls(context)
        try:
            if tokens:
                client.oauth2_login(account.username, secret)
            else:
                client.login(account.username, secret)
        except LoginError:
            raise AuthFailed(_refused_login(account, tokens is not None), account=account.name) from None
        if b"CONDSTORE" in client.capabilities():
            client.enable("CONDSTORE")
    except AuthFailed:
        _abandon(client)
        raise
    except TRANSIENT as exc:
        _abandon(client)
        raise SourceUnavailable(f"the connection to {where} broke at login: {_describe(exc)}", account=account.name) from None
    except imaplib.IMAP4.error as exc:
        _abandon(client)
        if "STARTTLS" in str(exc).upper():
            raise SourceRefused(f"{where} does not offer STARTTLS; use security = \"tls\"", account=account.name) from None
        raise AuthFailed(_refused_login(account, tokens is not None), account=account.name) from None
    return client


def _refused_login(account: ImapAccount, oauth: bool) -> str:
    if oauth:
        return f"the server refused the XOAUTH2 login for {account.username}; re-authorize the account's token"
    return f"the server refused the login for {account.username}; check password_env/app password"


def _abandon(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:  # noqa: BLE001 - the connection is being dropped anyway
        pass


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
