"""`kith doctor`: every problem kith can see before a run, each as one line with its fix."""

from __future__ import annotations

import os
import socket
from pathlib import Path

TIMEOUT = 5.0  # seconds for each network check


def run_checks(home: Path | None = None) -> list[str]:
    """All problems found, in the order a user would fix them; empty when all is well."""
    from kith.flows.doctor_report import check_report
    from kith.models.settings import SettingsError, load_settings

    try:
        settings = load_settings(home, require_file=True)
    except SettingsError as exc:
        return [str(exc)]
    problems: list[str] = []
    if not settings.user.addresses:
        problems.append(f"[user] addresses is empty in {settings.config_file}: list every address you write from, "
                        "or your own mail will look like other people's")
    if not settings.accounts:
        problems.append(f"no accounts in {settings.config_file}: add an [[accounts]] table (see README: Configuration)")
    for account in settings.accounts:
        if account.kind == "microsoft":
            problems.extend(check_microsoft(account, settings))
        elif account.kind == "google":
            from kith.connectors.google.connector import check_google_account

            problems.extend(check_google_account(account, settings))
        else:
            problems.extend(check_account(account))
    if settings.digest.method == "smtp":
        problems.extend(check_smtp(settings))
    if settings.digest.method == "graph":
        problems.extend(check_graph_delivery(settings))
    problems.extend(check_report(settings))
    problems.extend(check_warehouse(settings))
    return problems


def check_account(account) -> list[str]:
    if account.kind != "imap":
        if not account.path.exists():
            return [f"account {account.name!r}: {account.path} does not exist; fix its path in kith.toml"]
        return []
    problems = []
    secrets = [account.password_env, account.oauth_token_env]
    named = [s for s in secrets if s]
    if named and not any(os.environ.get(s) for s in named):
        problems.append(f"account {account.name!r}: environment variable {named[0]} is not set; export it with the password")
    elif not named and not (account.keyring_service or account.prefect_secret):
        problems.append(f"account {account.name!r}: no secret configured; set password_env (or keyring_service / prefect_secret) in kith.toml")
    port = account.port or (993 if account.security == "tls" else 143)
    problem = reachable(account.host, port)
    if problem:
        problems.append(f"account {account.name!r}: IMAP server {account.host}:{port} unreachable ({problem}); check host and port in kith.toml")
    return problems


def check_microsoft(account, settings) -> list[str]:
    from kith.connectors.microsoft.check import check_microsoft_account

    return check_microsoft_account(account, settings)


def check_graph_delivery(settings) -> list[str]:
    name = settings.digest.account
    kinds = {a.name: a.kind for a in settings.accounts}
    if not name or kinds.get(name) != "microsoft":
        return [f"digest.method is 'graph' but digest.account ({name or 'unset'}) names no Microsoft account in kith.toml; "
                "set it to the account that sends the digest"]
    return []


def check_smtp(settings) -> list[str]:
    from kith.digests.delivery import DeliveryError, SmtpSender

    smtp = settings.digest.smtp  # settings refuse method "smtp" without it
    if smtp.username and smtp.password_env and not os.environ.get(smtp.password_env):
        problems = [f"SMTP: environment variable {smtp.password_env} is not set; export it with the SMTP password"]
        sender = SmtpSender(smtp, timeout=TIMEOUT)
        problem = reachable(smtp.host, sender.port)
        if problem:
            problems.append(f"SMTP server {smtp.host}:{sender.port} unreachable ({problem}); check digest.smtp.host and port")
        return problems
    try:
        SmtpSender(smtp, timeout=TIMEOUT).check()
    except DeliveryError as exc:
        return [f"{exc}" if str(exc).startswith("SMTP") else f"SMTP: {exc}"]
    return []


def check_warehouse(settings) -> list[str]:
    """A damaged warehouse is a problem; a missing one (not synced yet) or a busy one is not."""
    from kith.warehouse import WarehouseBusy, WarehouseError, open_warehouse
    from kith.warehouse.errors import WarehouseMissing

    try:
        open_warehouse(settings.database, read_only=True).close()
    except (WarehouseBusy, WarehouseMissing):
        return []  # a sync is running, or none has run yet: nothing wrong with the file
    except WarehouseError as exc:
        return [str(exc)]
    except Exception as exc:  # noqa: BLE001 - doctor reports, never crashes
        return [f"warehouse {settings.database}: cannot open ({' '.join(str(exc).split())[:200]}); check KITH_DB / KITH_HOME"]
    return []


def reachable(host: str, port: int) -> str | None:
    """None when a TCP connection to host:port opens within TIMEOUT, else why not."""
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT):
            return None
    except OSError as exc:
        return exc.strerror or type(exc).__name__
