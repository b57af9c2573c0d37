"""Ordered migrations, recorded in `schema_migrations`; opening an old file upgrades it."""

from __future__ import annotations

from importlib.resources import files

import duckdb

from kith.warehouse.transaction import in_transaction

# (version, file under warehouse/sql). Append only: a released migration never changes.
MIGRATIONS: list[tuple[int, str]] = [
    (1, "001_core.sql"),
    (2, "002_digests.sql"),
    (3, "003_source_keys.sql"),
    (4, "004_report_deliveries.sql"),
    (5, "005_mail_contacts.sql"),
]
# Derived tables, rebuilt by `refresh_people` after every sync, and after any migration here (one
# that creates the table, or one that changes what it derives from) from what the warehouse holds.
DERIVED = ("mail_contacts.sql",)
# Recreated at every open, in this order: views.sql uses what rules.sql defines.
VIEW_FILES = ("rules.sql", "views.sql")
NOT_UPGRADED = "free space and run kith again (nothing of the failed upgrade step was kept)"


def read_sql(name: str) -> str:
    return files("kith.warehouse").joinpath("sql", name).read_text(encoding="utf-8")


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations this file lacks, then (re)create the views. Returns what it applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name in MIGRATIONS:
        if version in done:
            continue
        with in_transaction(conn, if_full=NOT_UPGRADED):  # a migration applies whole or not at all
            conn.execute(read_sql(name))
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, name])
        applied.append(version)
    with in_transaction(conn, if_full=NOT_UPGRADED):
        for name in VIEW_FILES:
            conn.execute(read_sql(name))
        for name in DERIVED if applied else ():  # after the views: they read `address_people`
            conn.execute(read_sql(name))
    return applied
