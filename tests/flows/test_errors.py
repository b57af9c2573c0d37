"""Every error that reaches the command line is one line that says what happened and what to do;
the traceback only with --debug or KITH_DEBUG=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kith.flows.cli import app

from homes import run_kith, write_config

SMTP_WITHOUT_TABLE = '[user]\naddresses = ["me@example.com"]\n\n[digest]\nmethod = "smtp"\nto = ["me@example.com"]\n'


def one_line(*args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env or None)
    return result.exit_code, result.output


def test_kith_toml_that_is_not_utf8_or_is_a_folder(kith_home: Path) -> None:
    config = kith_home / "kith.toml"
    config.write_bytes(b'[user]\nname = "Zo\xeb"\n')  # Latin-1, as an old editor saves it
    assert one_line("people") == (1, f"kith: {config} is not UTF-8 text (byte 18); save it as UTF-8\n")
    config.unlink()
    config.mkdir()
    assert one_line("sync") == (1, f"kith: {config} is a folder; kith.toml must be a file (move the folder away, then `kith init`)\n")


def test_unreadable_kith_toml(kith_home: Path) -> None:
    config = kith_home / "kith.toml"
    write_config(kith_home)
    os.chmod(config, 0o000)
    result = run_kith("people")
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", f"kith: cannot read {config} (Permission denied); check its permissions (chmod 600 {config})\n"
    )


def test_smtp_without_its_table_stops_before_any_flow_starts(kith_home: Path) -> None:
    (kith_home / "kith.toml").write_text(SMTP_WITHOUT_TABLE)
    assert one_line("run", "daily") == (
        1,
        f"kith: {kith_home / 'kith.toml'}: digest: Value error, method is 'smtp' but there is no "
        "[digest.smtp] table; add one with host and from\n",
    )
    assert not (kith_home / "kith.duckdb").exists()


def test_a_read_only_home(kith_home: Path) -> None:
    write_config(kith_home)
    os.chmod(kith_home, 0o500)
    try:
        result = run_kith("sync")
    finally:
        os.chmod(kith_home, 0o700)
    database = kith_home / "kith.duckdb"
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", f"kith: cannot open the warehouse {database} (Permission denied); check that you may read and write it and its folder\n"
    )


@pytest.mark.parametrize(
    "args, line",
    [
        (["run", "digest", "--date", "2026-13-40"], "kith: Invalid value for --date: '2026-13-40' is not a date; write it as YYYY-MM-DD; see `kith run --help`"),
        (["digest", "--date", "2026-02-30"], "kith: Invalid value for --date: '2026-02-30' is not a date; write it as YYYY-MM-DD; see `kith digest --help`"),
        (["people", "--limit", "many"], "kith: Invalid value for '--limit': Input should be a valid integer, unable to parse string as an integer; see `kith people --help`"),
        (["pin", "Alice"], "kith: Invalid value: give either --every (e.g. --every 30d) or --undo; see `kith pin --help`"),
        (["frobnicate"], "kith: No such command 'frobnicate'; see `kith --help`"),
    ],
)
def test_usage_mistakes_are_one_line(kith_home: Path, args: list[str], line: str) -> None:
    write_config(kith_home)
    assert one_line(*args) == (2, line + "\n")


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(synced_home: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the index went away\nsecond line")

    monkeypatch.setattr("kith.warehouse.overrides.find_people", broken)

    assert one_line("people") == (
        1, "kith: unexpected error: RuntimeError: the index went away; run again with --debug for the traceback\n"
    )
    for args, env in ((["--debug", "people"], {}), (["people"], {"KITH_DEBUG": "1"})):
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 1
        assert isinstance(result.exception, RuntimeError)  # raised through: Python prints the traceback
        assert result.output == ""
    assert one_line("people", KITH_DEBUG="0")[1].startswith("kith: unexpected error: RuntimeError")


def test_debug_is_a_documented_option() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert "--debug" in result.output and "KITH_DEBUG=1" in result.output
