"""Settings: `kith.toml` under KITH_HOME, overridable by environment variables.

Layout of KITH_HOME (default `~/.local/share/kith`):

    kith.toml        settings (this module)
    kith.duckdb      the warehouse
    tokens/          OAuth token caches, mode 0600
    digests/         every digest written, as .html and .txt
"""

from __future__ import annotations

import os
import tomllib
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the setting and the fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserSettings(_Strict):
    name: str = "Me"
    addresses: list[str] = Field(default_factory=list)
    timezone: str = "UTC"

    @field_validator("addresses")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [a.strip().lower() for a in value if a.strip()]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value)


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as 'Europe/Paris'")
    return value


class FileAccount(_Strict):
    """A local export: an mbox file, a maildir, a folder of .eml files, or .ics files."""

    name: str
    kind: Literal["mbox", "maildir", "eml", "ics"]
    path: Path

    @field_validator("path")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()


class ImapAccount(_Strict):
    name: str
    kind: Literal["imap"]
    host: str
    port: int | None = None
    security: Literal["tls", "starttls", "none"] = "tls"
    username: str
    password_env: str | None = None
    keyring_service: str | None = None
    prefect_secret: str | None = None
    oauth_token_env: str | None = None
    folders: list[str] | None = None
    extra_folders: list[str] = Field(default_factory=list)
    batch_size: int = 5000
    timeout_seconds: float = 60.0


GRAPH_ENDPOINT = "https://graph.microsoft.com/v1.0"


class MicrosoftAccount(_Strict):
    """A Microsoft 365 or Outlook.com mailbox read through Microsoft Graph (mail and calendar)."""

    name: str
    kind: Literal["microsoft"]
    address: str
    # The user's own app registration: a public client with device-code sign-in allowed.
    client_id: str | None = None
    # organizations (work and school), consumers (Outlook.com), common (both), or a tenant id.
    authority: str = "https://login.microsoftonline.com/organizations"
    mail_folders: list[str] = Field(default_factory=lambda: ["inbox", "sentitems", "archive"])
    calendar: bool = True
    # Tests, national clouds (graph.microsoft.us, microsoftgraph.chinacloudapi.cn) and proxies.
    graph_endpoint: str = GRAPH_ENDPOINT
    # An access token from the environment instead of a sign-in (scripts, tokens from other tools).
    token_env: str | None = None
    page_size: int = Field(default=100, ge=1, le=1000)  # Prefer: odata.maxpagesize
    calendar_days_back: int = Field(default=730, ge=1)
    calendar_days_ahead: int = Field(default=31, ge=1)

    @field_validator("address")
    @classmethod
    def _lower_address(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("graph_endpoint", "authority")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def model_post_init(self, _context: object) -> None:
        if not self.client_id and not self.token_env:
            raise ValueError(
                f"account {self.name!r}: set client_id (your app registration, see README: Microsoft 365) "
                "or token_env (an environment variable holding an access token)"
            )


AccountSettings = Annotated[FileAccount | ImapAccount | MicrosoftAccount, Field(discriminator="kind")]
Account = FileAccount | ImapAccount | MicrosoftAccount


class PrivacySettings(_Strict):
    # "snippets": bodies read in memory for signals, only short evidence kept (default);
    # "metadata": no bodies read, no subjects or snippets stored.
    mode: Literal["snippets", "metadata"] = "snippets"


class SmtpSettings(_Strict):
    host: str
    port: int | None = None
    security: Literal["tls", "starttls", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    sender: str = Field(alias="from")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DigestSettings(_Strict):
    to: list[str] = Field(default_factory=list)
    send_at: time = time(7, 0)
    timezone: str | None = None
    method: Literal["smtp", "file", "graph"] = "file"
    account: str | None = None  # method "graph": the Microsoft account that sends
    on_empty: Literal["skip", "send"] = "skip"
    max_reconnects: int = 5
    max_follow_ups: int = 8  # across replies owed, promises, people just met, awaiting replies
    smtp: SmtpSettings | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_zone(value)


class Settings(_Strict):
    home: Path
    user: UserSettings = Field(default_factory=UserSettings)
    accounts: list[AccountSettings] = Field(default_factory=list)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)

    @property
    def database(self) -> Path:
        return Path(os.environ.get("KITH_DB") or self.home / "kith.duckdb")

    @property
    def config_file(self) -> Path:
        return self.home / "kith.toml"

    def account(self, name: str) -> Account:
        for account in self.accounts:
            if account.name == name:
                return account
        known = ", ".join(a.name for a in self.accounts) or "none"
        raise SettingsError(f"no account named {name!r} in {self.config_file} (accounts: {known})")


def default_home() -> Path:
    """KITH_HOME if set, else the XDG data directory."""
    if os.environ.get("KITH_HOME"):
        return Path(os.environ["KITH_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "kith"


# Environment variables that override kith.toml, and where each lands.
ENV_OVERRIDES = {
    "KITH_USER_NAME": ("user", "name"),
    "KITH_USER_ADDRESSES": ("user", "addresses"),
    "KITH_TIMEZONE": ("user", "timezone"),
    "KITH_PRIVACY": ("privacy", "mode"),
    "KITH_DIGEST_TO": ("digest", "to"),
    "KITH_DIGEST_METHOD": ("digest", "method"),
}


def load_settings(home: Path | None = None, *, require_file: bool = False) -> Settings:
    """Read `kith.toml` under `home` (default: KITH_HOME), apply environment overrides, check."""
    home = home or default_home()
    path = home / "kith.toml"
    raw: dict = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path} is not valid TOML ({exc}); fix the line it names") from exc
    elif require_file:
        raise SettingsError(f"no settings at {path}; run `kith init` or `kith demo` to create them")
    for variable, (table, key) in ENV_OVERRIDES.items():
        if os.environ.get(variable):
            value: object = os.environ[variable]
            if key in ("addresses", "to"):
                value = [part.strip() for part in str(value).split(",") if part.strip()]
            raw.setdefault(table, {})[key] = value
    raw["home"] = home
    _anchor_paths(raw, path.parent)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, path)) from exc


def _anchor_paths(raw: dict, folder: Path) -> None:
    """Relative account paths in kith.toml name places beside the file, wherever kith runs from."""
    for account in raw.get("accounts") or []:
        if isinstance(account, dict) and isinstance(account.get("path"), str):
            path = Path(account["path"]).expanduser()
            if not path.is_absolute():
                account["path"] = str(folder.absolute() / path)


def _describe(exc: ValidationError, path: Path) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        problems.append(f"{where}: {error['msg']}")
    return f"{path}: " + "; ".join(problems)
