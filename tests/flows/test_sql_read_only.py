"""`kith sql` reads the warehouse and nothing else: every file, network, extension, attach and
write escape is refused by DuckDB itself with one line, and nothing on disk changes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kith.flows.cli import app

REFUSED = "kith: kith sql only reads the warehouse: "
OFF = "file system operations are disabled by configuration"


def escapes(home: Path, outside: Path) -> list[tuple[str, str]]:
    """(statement, DuckDB's first line) for each way out that `kith sql` must refuse."""
    locked = 'Invalid Input Error: Cannot change configuration option "{}" - the configuration has been locked'
    read_only = 'Invalid Input Error: Cannot execute statement of type "{}" on database "kith" which is attached in read-only mode!'
    return [
        (f"COPY relationships TO '{home / 'kith.toml'}'", f'Permission Error: Cannot access file "{home / "kith.toml"}" - {OFF}'),
        (f"COPY messages TO '{outside / 'messages.parquet'}' (FORMAT parquet)", f'Permission Error: Cannot access file "{outside / "messages.parquet"}" - {OFF}'),
        (f"EXPORT DATABASE '{outside / 'export'}'", f'Permission Error: Cannot access file "{outside / "export" / "accounts.csv"}" - {OFF}'),
        ("SELECT * FROM read_text('/etc/passwd')", f'Permission Error: Cannot access file "/etc/passwd" - {OFF}'),
        (f"SELECT * FROM read_csv('{home / 'mail.mbox'}')", f'Permission Error: Cannot access file "{home / "mail.mbox"}" - {OFF}'),
        (f"SELECT * FROM '{outside / 'data.csv'}'", f'Permission Error: Cannot access file "{outside / "data.csv"}" - {OFF}'),
        ("SELECT * FROM glob('/root/*')", f'Permission Error: Cannot access file "/root/*" - {OFF}'),
        ("LOAD httpfs", "Permission Error: Loading external extensions is disabled through configuration"),
        ("SELECT * FROM read_parquet('https://example.test/x.parquet')", f'Permission Error: Cannot access file "https://example.test/x.parquet" - {OFF}'),
        (f"ATTACH '{outside / 'other.duckdb'}' AS other", f'Permission Error: Cannot access file "{outside / "other.duckdb"}" - {OFF}'),
        ("ATTACH ':memory:' AS scratch", "Catalog Error: Cannot launch in-memory database in read-only mode!"),
        ("SET enable_external_access = true", locked.format("enable_external_access")),
        ("SET lock_configuration = false", locked.format("lock_configuration")),
        ("RESET lock_configuration", locked.format("lock_configuration")),
        ("SET autoinstall_known_extensions = true", locked.format("autoinstall_known_extensions")),
        ("CREATE TABLE notes (a INTEGER)", read_only.format("CREATE")),
        ("INSERT INTO accounts (name, kind) VALUES ('x', 'mbox')", read_only.format("INSERT")),
        ("UPDATE people SET display_name = 'x'", read_only.format("UPDATE")),
        ("DELETE FROM messages", read_only.format("DELETE")),
        ("DROP VIEW relationships", read_only.format("DROP")),
    ]


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file below the folders and the sha256 of its bytes."""
    files = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def test_every_escape_is_refused_with_one_line_and_nothing_changes(synced_home: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.csv").write_text("a\n1\n")
    before = snapshot(synced_home, outside)
    runner = CliRunner()

    outcomes = []
    for statement, duckdb_says in escapes(synced_home, outside):
        result = runner.invoke(app, ["sql", statement])
        outcomes.append((statement, result.exit_code, result.output))
        assert (result.exit_code, result.output) == (1, REFUSED + duckdb_says + "\n"), statement

    assert len(outcomes) == 20
    assert snapshot(synced_home, outside) == before
    assert sorted(os.listdir(outside)) == ["data.csv"]


def test_install_never_reaches_the_network_or_the_extension_folder(synced_home: Path) -> None:
    result = CliRunner().invoke(app, ["sql", "INSTALL httpfs"])
    folder = Path.home() / ".duckdb" / "extensions"
    assert result.exit_code == 1
    assert result.output.startswith(REFUSED + f'Permission Error: Cannot access directory "{folder}/')
    assert result.output.endswith(f'" - {OFF}\n') and result.output.count("\n") == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("SELECT primary_address, sent_count, received_count, two_way FROM relationships", ["primary_address,sent_count,received_count,two_way", "alice@example.org,1,1,True"]),
        ("SELECT kind, direction, title FROM interactions ORDER BY happened_at", ["kind,direction,title", "email,received,Lunch?", "email,sent,Re: Lunch?"]),
        ("SELECT count(*) FROM unique_messages", ["count_star()", "2"]),
        ("SELECT count(*) FROM message_participants", ["count_star()", "4"]),
        ("SELECT count(*) FROM digest_outcomes", ["count_star()", "0"]),
        ("CREATE TEMP TABLE t AS SELECT 1 AS one", ["Count", "1"]),  # in memory only: gone with the connection
    ],
)
def test_plain_queries_and_every_reporting_view_still_work(synced_home: Path, query: str, expected: list[str]) -> None:
    result = CliRunner().invoke(app, ["sql", query, "--csv"])
    assert (result.exit_code, result.output.splitlines()) == (0, expected)


def test_a_wrong_query_is_not_called_a_refusal(synced_home: Path) -> None:
    result = CliRunner().invoke(app, ["sql", "SELECT nope FROM relationships"])
    assert result.exit_code == 1
    assert result.output.startswith('kith: the query failed: Binder Error: Referenced column "nope" not found in FROM clause!')
    assert result.output.count("\n") == 1
