"""Signing in to Microsoft with msal: least-access scopes, a persisted cache, silent refresh.

`kith auth microsoft NAME` runs the device-code flow once (it prints a URL and a code to enter
there); every later run calls `acquire_token_silent`, which uses the cached access token or
redeems the refresh token. The msal cache is kept, in order of preference:

1. msal-extensions' encrypted persistence (DPAPI on Windows, the Keychain on macOS, libsecret on
   a Linux desktop), in `KITH_HOME/tokens/NAME.msal-cache`;
2. on a headless Linux box, which has no libsecret session, a plain file under
   `KITH_HOME/tokens/NAME.json`, mode 0600 (the shared `TokenStore`). This fallback is
   deliberate, documented in the README, and logged once per run. `KITH_TOKEN_STORE=file`
   chooses it outright.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import msal

from kith.connectors.errors import AuthFailed
from kith.connectors.token_store import TokenStore
from kith.connectors.tokens import EnvTokenProvider, TokenProvider
from kith.models.settings import MicrosoftAccount, Settings

log = logging.getLogger("kith.microsoft")

# What each permission lets kith do (the README repeats this for the consent screen).
READ_MAIL_HEADERS = "Mail.ReadBasic"  # senders, recipients, subjects, dates: no bodies
READ_MAIL = "Mail.Read"  # bodies and internet headers too: only when signals read bodies
READ_CALENDAR = "Calendars.Read"
SEND_MAIL = "Mail.Send"  # only when the digest goes out through Graph
# msal adds offline_access (the refresh token), openid and profile itself and refuses them here.


def scopes_for(account: MicrosoftAccount, settings: Settings) -> list[str]:
    """The fewest Graph permissions that let kith do what the settings ask of this account."""
    scopes = [READ_MAIL if settings.privacy.mode != "metadata" else READ_MAIL_HEADERS]
    if account.calendar:
        scopes.append(READ_CALENDAR)
    if settings.digest.method == "graph" and settings.digest.account == account.name:
        scopes.append(SEND_MAIL)
    return scopes


def fix_command(account: MicrosoftAccount) -> str:
    """What the user runs to repair this account's sign-in."""
    if account.token_env:
        return f"put a fresh access token in {account.token_env}"
    return f"run `kith auth microsoft {account.name}`"


# ---------------------------------------------------------------------------------------------
# Where the msal cache lives


class CacheStore(Protocol):
    where: str

    def load(self) -> str | None: ...

    def save(self, text: str) -> None: ...


class FileCacheStore:
    """The msal cache as a 0600 file through the shared `TokenStore`."""

    def __init__(self, home: Path, account: str) -> None:
        self._store = TokenStore(home)
        self._account = account
        self.where = str(self._store.path(account))

    def load(self) -> str | None:
        return self._store.read(self._account)

    def save(self, text: str) -> None:
        self._store.write(self._account, text)


class EncryptedCacheStore:
    """The msal cache in msal-extensions' encrypted persistence."""

    def __init__(self, persistence) -> None:
        self._persistence = persistence
        self.where = f"{type(persistence).__name__} at {persistence.get_location()}"

    def load(self) -> str | None:
        try:
            return self._persistence.load()
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - msal-extensions raises its own kinds
            if "not found" in str(exc).lower():
                return None
            raise

    def save(self, text: str) -> None:
        self._persistence.save(text)


_FALLBACK_LOGGED = threading.Event()


def open_cache_store(home: Path, account: str) -> CacheStore:
    """The encrypted store where this platform has one, else the 0600 file (logged once)."""
    if os.environ.get("KITH_TOKEN_STORE", "").lower() != "file":
        try:
            from msal_extensions import build_encrypted_persistence

            folder = Path(home) / "tokens"
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            persistence = build_encrypted_persistence(str(folder / f"{TokenStore(home).path(account).stem}.msal-cache"))
            persistence.save(persistence.load() if _exists(persistence) else "{}")  # a trial run
            return EncryptedCacheStore(persistence)
        except Exception as exc:  # noqa: BLE001 - any failure means "no encrypted store here"
            reason = " ".join(str(exc).split())[:160] or type(exc).__name__
    else:
        reason = "KITH_TOKEN_STORE=file"
    store = FileCacheStore(home, account)
    if not _FALLBACK_LOGGED.is_set():
        _FALLBACK_LOGGED.set()
        log.warning(
            "no encrypted token store on this system (%s); Microsoft sign-ins are kept in %s, mode 0600",
            reason,
            Path(store.where).parent,
        )
    return store


def _exists(persistence) -> bool:
    try:
        persistence.load()
    except Exception:  # noqa: BLE001
        return False
    return True


# ---------------------------------------------------------------------------------------------
# msal


def build_app(
    account: MicrosoftAccount, cache: msal.SerializableTokenCache, *, http_client=None
) -> msal.PublicClientApplication:
    """An msal public client for the user's app registration, reading and writing `cache`.

    `instance_discovery=False`: msal would otherwise ask login.microsoftonline.com whether an
    authority it does not know (a national cloud, a test server) is real.
    """
    if not account.client_id:
        raise AuthFailed(
            "no client_id: set it to your app registration's Application (client) ID (README: Microsoft 365)",
            account=account.name,
        )
    kwargs = {"http_client": http_client} if http_client is not None else {}
    try:
        return msal.PublicClientApplication(
            account.client_id, authority=account.authority, token_cache=cache, instance_discovery=False, **kwargs
        )
    except ValueError as exc:
        raise AuthFailed(
            f"authority {account.authority} refused ({_one_line(exc)}); fix `authority` in kith.toml",
            account=account.name,
        ) from None


def _load_cache(store: CacheStore) -> msal.SerializableTokenCache:
    cache = msal.SerializableTokenCache()
    text = store.load()
    if text:
        cache.deserialize(text)
    return cache


def _persist(cache: msal.SerializableTokenCache, store: CacheStore) -> None:
    if cache.has_state_changed:
        store.save(cache.serialize())
        cache.has_state_changed = False


def sign_in(
    account: MicrosoftAccount,
    scopes: list[str],
    store: CacheStore,
    *,
    show: Callable[[str], None] = print,
    http_client=None,
) -> str:
    """Run the device-code flow: show the URL and code, wait for the user, keep the tokens.

    Returns the username that signed in. Raises `AuthFailed` when the code is declined or expires.
    """
    cache = _load_cache(store)
    app = build_app(account, cache, http_client=http_client)
    try:
        flow = app.initiate_device_flow(scopes=scopes)
    except (ValueError, OSError) as exc:
        raise AuthFailed(f"cannot reach {account.authority}: {_one_line(exc)}", account=account.name) from None
    if "user_code" not in flow:
        raise AuthFailed(f"device-code sign-in refused: {_describe(flow)}", account=account.name)
    show(flow["message"])
    result = app.acquire_token_by_device_flow(flow)
    if "access_token" not in result:
        raise AuthFailed(f"sign-in did not complete: {_describe(result)}; {fix_command(account)} to try again", account=account.name)
    _persist(cache, store)
    claims = result.get("id_token_claims") or {}
    return str(claims.get("preferred_username") or account.address)


class MsalTokenProvider:
    """Access tokens for one account from the persisted msal cache, refreshed silently."""

    def __init__(self, account: MicrosoftAccount, scopes: list[str], store: CacheStore, *, http_client=None) -> None:
        self.account = account
        self.scopes = scopes
        self.store = store
        self._cache = _load_cache(store)
        self._app = build_app(account, self._cache, http_client=http_client)
        self._lock = threading.Lock()

    def signed_in(self) -> bool:
        """Whether the cache holds an account to refresh (what `kith doctor` checks first)."""
        return self._cached_account() is not None

    def _cached_account(self) -> dict | None:
        found = self._app.get_accounts(username=self.account.address) or self._app.get_accounts()
        return found[0] if found else None

    def access_token(self) -> str:
        """A valid access token: the cached one, or a new one from the refresh token."""
        with self._lock:
            cached = self._cached_account()
            if cached is None:
                raise AuthFailed(f"not signed in to Microsoft; {fix_command(self.account)}", account=self.account.name)
            try:
                result = self._app.acquire_token_silent_with_error(self.scopes, account=cached)
            except (ValueError, OSError) as exc:
                raise AuthFailed(
                    f"cannot reach {self.account.authority} to refresh the sign-in ({_one_line(exc)})",
                    account=self.account.name,
                ) from None
            if not result or "access_token" not in result:
                why = _describe(result) if result else "no usable token in the cache"
                raise AuthFailed(
                    f"the Microsoft sign-in can no longer be refreshed ({why}); {fix_command(self.account)}",
                    account=self.account.name,
                )
            _persist(self._cache, self.store)
            return result["access_token"]


def token_provider_for(account: MicrosoftAccount, settings: Settings, *, http_client=None) -> TokenProvider:
    """`token_env` when set, else the account's msal sign-in."""
    if account.token_env:
        return EnvTokenProvider(account.token_env, account=account.name)
    store = open_cache_store(settings.home, account.name)
    return MsalTokenProvider(account, scopes_for(account, settings), store, http_client=http_client)


def _describe(result: dict) -> str:
    error = result.get("error") or "unknown error"
    description = (result.get("error_description") or "").strip().splitlines()
    return f"{error}: {description[0][:200]}" if description else str(error)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def sign_in_account(settings: Settings, name: str, *, show: Callable[[str], None] = print, http_client=None) -> str:
    """`kith auth microsoft NAME`: sign the named account in; returns a line saying who and where."""
    account = settings.account(name)
    if not isinstance(account, MicrosoftAccount):
        raise AuthFailed(f"is a {account.kind!r} account, not a Microsoft one", account=name)
    if account.token_env:
        raise AuthFailed(
            f"takes its token from {account.token_env} (token_env); remove token_env to sign in with msal instead",
            account=name,
        )
    store = open_cache_store(settings.home, account.name)
    scopes = scopes_for(account, settings)
    user = sign_in(account, scopes, store, show=show, http_client=http_client)
    return f"signed in as {user} ({', '.join(scopes)}); the sign-in is kept in {store.where}"
