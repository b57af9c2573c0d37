"""`kith doctor` names each problem with its fix; `kith init` writes kith.toml and never overwrites it."""

from __future__ import annotations

from typer.testing import CliRunner

from kith.flows.cli import app
from kith.models.settings import load_settings

from .conftest import free_port


def test_doctor_names_each_problem_and_its_fix(kith_home, monkeypatch):
    monkeypatch.delenv("KITH_TEST_MISSING_PASSWORD", raising=False)
    monkeypatch.delenv("KITH_TEST_IMAP_PASSWORD", raising=False)
    smtp_port, imap_port = free_port(), free_port()  # nothing listens on either
    (kith_home / "kith.toml").write_text(
        f"""[user]
name = "Zoë"
addresses = ["zoe@example.org"]

[[accounts]]
name = "archive"
kind = "mbox"
path = "{kith_home}/no-such-file.mbox"

[[accounts]]
name = "work"
kind = "imap"
host = "127.0.0.1"
port = {imap_port}
security = "none"
username = "zoe"
password_env = "KITH_TEST_IMAP_PASSWORD"

[digest]
method = "smtp"
to = ["zoe@example.org"]

[digest.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "starttls"
username = "zoe"
password_env = "KITH_TEST_MISSING_PASSWORD"
from = "kith@example.org"
""",
        encoding="utf-8",
    )

    result = CliRunner().invoke(app, ["doctor"])

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"problem: account 'archive': {kith_home}/no-such-file.mbox does not exist; fix its path in kith.toml",
        "problem: account 'work': environment variable KITH_TEST_IMAP_PASSWORD is not set; export it with the password",
        f"problem: account 'work': IMAP server 127.0.0.1:{imap_port} unreachable (Connection refused); check host and port in kith.toml",
        "problem: SMTP: environment variable KITH_TEST_MISSING_PASSWORD is not set; export it with the SMTP password",
        f"problem: SMTP server 127.0.0.1:{smtp_port} unreachable (Connection refused); check digest.smtp.host and port",
    ]


def test_doctor_checks_a_working_smtp_login(kith_home, smtp_server):
    (kith_home / "mail.mbox").write_bytes(b"")
    (kith_home / "kith.toml").write_text(
        f"""[user]
addresses = ["zoe@example.org"]

[[accounts]]
name = "archive"
kind = "mbox"
path = "{kith_home / 'mail.mbox'}"

[digest]
method = "smtp"
to = ["zoe@example.org"]

[digest.smtp]
host = "127.0.0.1"
port = {smtp_server.port}
security = "none"
from = "kith@example.org"
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["doctor"])
    assert (result.exit_code, result.output) == (0, "All good.\n")


def test_doctor_on_a_config_with_nothing_to_read(kith_home):
    (kith_home / "kith.toml").write_text("[user]\nname = \"Zoë\"\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["doctor"])
    config = kith_home / "kith.toml"
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"problem: [user] addresses is empty in {config}: list every address you write from, "
        "or your own mail will look like other people's",
        f"problem: no accounts in {config}: add an [[accounts]] table (see README: Configuration)",
    ])


def test_init_from_flags_then_refuses_to_overwrite(kith_home):
    runner = CliRunner()
    args = ["init", "--name", "Zoë Martin", "--address", "zoe@example.org", "--address", "zoe@perso.fr", "--timezone", "Europe/Paris", "--non-interactive"]

    created = runner.invoke(app, args)
    again = runner.invoke(app, args)
    forced = runner.invoke(app, [*args[:-3], "--timezone", "Asia/Tokyo", "--non-interactive", "--force"])

    assert created.exit_code == 0, created.output
    assert again.exit_code == 1 and "already exists" in again.output and "--force" in again.output
    assert forced.exit_code == 0
    settings = load_settings(kith_home, require_file=True)
    assert (settings.user.name, settings.user.addresses, settings.user.timezone) == ("Zoë Martin", ["zoe@example.org", "zoe@perso.fr"], "Asia/Tokyo")
    assert settings.digest.to == ["zoe@example.org"]


def test_init_asks_when_interactive(kith_home):
    result = CliRunner().invoke(app, ["init"], input="Ana Lima\nana@example.com, ana@home.net\nAmerica/Sao_Paulo\n")
    assert result.exit_code == 0, result.output
    settings = load_settings(kith_home, require_file=True)
    assert (settings.user.name, settings.user.addresses, settings.user.timezone) == ("Ana Lima", ["ana@example.com", "ana@home.net"], "America/Sao_Paulo")
