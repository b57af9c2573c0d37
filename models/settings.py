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
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


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


class GoogleAccount(_Strict):
    """A Google account: Gmail and Google Calendar through the official API, one OAuth sign-in."""

    name: str
    kind: Literal["google"]
    address: str
    mail: bool = True
    calendars: list[str] = Field(default_factory=lambda: ["primary"])
    client_secrets: Path | None = None  # the user's own OAuth client (Desktop app) JSON
    api_endpoint: str | None = None  # every Google API call (and batch) goes here: tests, proxies
    token_env: str | None = None  # an access token from the environment instead of a sign-in
    quota_units_per_minute: int = Field(default=15_000, gt=0)  # Gmail's per-user limit
    batch_size: int = Field(default=50, ge=1, le=100)  # calls per batch request; Google advises 50

    @field_validator("address")
    @classmethod
    def _lower_address(cls, value: str) -> str:
        value = value.strip().lower()
        if "@" not in value:
            raise ValueError(f"{value!r} is not an email address; set the account's Google address")
        return value

    @field_validator("client_secrets")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser()

    @field_validator("api_endpoint")
    @classmethod
    def _slash(cls, value: str | None) -> str | None:
        return None if not value else value.rstrip("/") + "/"


Account = FileAccount | ImapAccount | MicrosoftAccount | GoogleAccount
AccountSettings = Annotated[Account, Field(discriminator="kind")]


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
    method: Literal["smtp", "gmail", "graph", "file"] = "file"
    account: str | None = None  # methods "gmail" and "graph": the Google or Microsoft account that sends
    on_empty: Literal["skip", "send"] = "skip"
    max_reconnects: int = 5
    max_follow_ups: int = 8  # across replies owed, promises, people just met, awaiting replies
    smtp: SmtpSettings | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_zone(value)

    @model_validator(mode="after")
    def _smtp_needs_its_table(self) -> DigestSettings:
        if self.method == "smtp" and self.smtp is None:
            raise ValueError("method is 'smtp' but there is no [digest.smtp] table; add one with host and from")
        return self


class MeetingSettings(_Strict):
    # A meeting of more than this many people (the user included, those who declined not) is no
    # evidence of a tie: it makes nobody a contact, a reconnect or a person just met. The
    # warehouse's `meeting_size_limit()` (warehouse/sql/rules.sql) has the same default.
    size_limit: int = Field(default=10, ge=2)


class ReportSettings(_Strict):
    # How often the network report goes out by mail (through the digest's delivery: digest.to,
    # digest.method), once per period; None: never mailed, only written by `kith report`.
    every: Literal["day", "week", "month"] | None = None


class Settings(_Strict):
    home: Path
    user: UserSettings = Field(default_factory=UserSettings)
    accounts: list[AccountSettings] = Field(default_factory=list)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    meetings: MeetingSettings = Field(default_factory=MeetingSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)

    @property
    def database(self) -> Path:
        return Path(os.environ.get("KITH_DB") or self.home / "kith.duckdb")

    @property
    def config_file(self) -> Path:
        return self.home / "kith.toml"

    @model_validator(mode="after")
    def _check_links(self) -> Settings:
        # A Google or Microsoft account's address is one of the user's own, as if listed under [user].
        for account in self.accounts:
            address = getattr(account, "address", None)
            if address and address.lower() not in self.user.addresses:
                self.user.addresses.append(address.lower())
        if self.digest.method == "gmail":
            google = [a.name for a in self.accounts if isinstance(a, GoogleAccount)]
            if self.digest.account not in google:
                raise ValueError(
                    f"digest.method is 'gmail' but digest.account ({self.digest.account!r}) names no Google "
                    f"account (Google accounts: {', '.join(google) or 'none'}); set digest.account"
                )
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The user's time zone for digests: digest.timezone, else user.timezone."""
        return ZoneInfo(self.digest.timezone or self.user.timezone)

    def now(self) -> datetime:
        """The time now in `zone`."""
        return datetime.now(self.zone)

    def today(self) -> date:
        """Today in the user's time zone (`zone`): the day a digest is for, and the day a snooze counts from."""
        return self.now().date()

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
        raw = _read_toml(path)
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


def _read_toml(path: Path) -> dict:
    """The parsed file, or a `SettingsError` saying why it cannot be read and what to do."""
    if path.is_dir():
        raise SettingsError(f"{path} is a folder; kith.toml must be a file (move the folder away, then `kith init`)")
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise SettingsError(f"cannot read {path} ({exc.strerror or exc}); check its permissions (chmod 600 {path})") from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path} is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML ({exc}); fix the line it names") from exc


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
        # A check across settings has no single place: the message names the settings itself.
        problems.append(f"{where}: {error['msg']}" if where else error["msg"].removeprefix("Value error, "))
    return f"{path}: " + "; ".join(problems)
