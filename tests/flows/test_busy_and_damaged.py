"""Answers that do not mislead: a warehouse another process is writing (who, and when to retry),
a damaged one (not "already syncing", and not "All good."), and one that does not exist yet."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kith.flows.cli import app

from homes import write_config

RETRY = "try again when it finishes, usually within a minute (a first sync takes longer)"


@pytest.fixture
def sync_in_progress(synced_home: Path) -> Iterator[int]:
    """Another process holding the warehouse for writing, as `kith sync` does; yields its pid."""
    code = textwrap.dedent(f"""
        import sys
        from kith.warehouse.store import open_warehouse, set_holder
        set_holder("kith sync")
        with open_warehouse({str(synced_home / 'kith.duckdb')!r}):
            print("writing", flush=True)
            sys.stdin.readline()
    """)
    writer = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        yield writer.pid
    finally:
        writer.communicate("done\n", timeout=30)


@pytest.mark.parametrize(
    "args",
    [["sql", "SELECT count(*) FROM people"], ["people"], ["person", "alice@example.org"], ["mute", "alice@example.org"], ["digest"], ["sync"]],
)
def test_readers_and_writers_during_a_sync_are_told_who_writes_and_when_to_retry(sync_in_progress: int, args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.output) == (1, f"kith: kith sync is writing the warehouse (pid {sync_in_progress}); {RETRY}\n")


@pytest.mark.parametrize(
    "damage, duckdb_says",
    [
        (lambda data: data[:100], 'IO Error: Could not read enough bytes from file "{path}": attempted to read 3996 bytes from location 100'),
        (lambda data: b"not a database\n" * 500, 'IO Error: The file "{path}" exists, but it is not a valid DuckDB database file!'),
    ],
    ids=["truncated", "overwritten"],
)
def test_a_damaged_warehouse_is_named_as_such(synced_home: Path, damage, duckdb_says: str) -> None:
    path = synced_home / "kith.duckdb"
    path.write_bytes(damage(path.read_bytes()))
    expected = (
        f"the warehouse {path} is damaged or is not a DuckDB file ({duckdb_says.format(path=path)}); "
        f"move it aside (e.g. `mv {path} {path}.broken`) and run `kith sync` to rebuild it from your accounts"
    )
    runner = CliRunner()

    for args in (["sql", "SELECT 1"], ["people"], ["mute", "alice@example.org"], ["sync"]):
        result = runner.invoke(app, args)
        assert (result.exit_code, result.output) == (1, f"kith: {expected}\n"), args
    doctor = runner.invoke(app, ["doctor"])
    assert (doctor.exit_code, doctor.output) == (1, f"problem: {expected}\n")


def test_digest_in_a_home_that_does_not_exist_creates_nothing(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "no-such-home"
    monkeypatch.setenv("KITH_HOME", str(home))
    monkeypatch.delenv("KITH_DB", raising=False)
    result = CliRunner().invoke(app, ["digest"])
    assert (result.exit_code, result.output) == (1, f"kith: no warehouse at {home / 'kith.duckdb'}; run `kith sync` (or `kith demo`) first\n")
    assert not home.exists()


def test_doctor_before_the_first_sync_is_content(kith_home: Path) -> None:
    write_config(kith_home)
    result = CliRunner().invoke(app, ["doctor"])
    assert (result.exit_code, result.output) == (0, "All good.\n")
    assert not (kith_home / "kith.duckdb").exists()  # looking is not creating
