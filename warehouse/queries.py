"""Named queries: how the digest reads the warehouse.

Each query is one file, `warehouse/sql/queries/<name>.sql`, with named parameters (`$day`); the
shared rules it relies on are views and table macros (`views.sql`, `rules.sql`). The digest runs a
day's queries against one snapshot of the interactions (`interactions_as_of`), so the view is
computed once per digest; a query names that snapshot as `query_table($contact)`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import cache
from importlib.resources import files

import duckdb

_SNAPSHOTS = itertools.count()
_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")


@cache
def query_text(name: str) -> tuple[str, frozenset[str]]:
    """The text of the named query and the names of its parameters."""
    text = files("kith.warehouse").joinpath("sql", "queries", f"{name}.sql").read_text(encoding="utf-8")
    return text, frozenset(_PARAMETER.findall(text))


def run_query(conn: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[dict]:
    """Run the named query; every row as a dict of column -> value. `params` may hold more than the
    query takes (the sections of one digest share theirs); a missing one is DuckDB's error."""
    text, wanted = query_text(name)
    return rows_of(conn.execute(text, {key: value for key, value in (params or {}).items() if key in wanted}))


def rows_of(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every row of an executed statement as a dict (read fully, as the next statement needs)."""
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def use_meeting_size_limit(conn: duckdb.DuckDBPyConnection, limit: int) -> None:
    """Make this connection's views weigh meetings by the user's `meetings.size_limit`: meetings
    of more than `limit` people are no evidence of a tie (`meeting_size_limit()` in rules.sql)."""
    conn.execute("SET VARIABLE kith_meeting_size_limit = $limit", {"limit": int(limit)})


def day_end(day: date) -> datetime:
    """The first instant after `day` (naive UTC): what happened before it counts as of `day`."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time())


@contextmanager
def interactions_as_of(conn: duckdb.DuckDBPyConnection, day: date) -> Iterator[str]:
    """The `interactions` view as of `day` (everything before the next midnight) in a TEMP table,
    dropped afterwards; yields its name, the `$contact` parameter of the digest's queries. Reads
    only: TEMP tables work on a read-only connection."""
    name = f"interactions_as_of_{next(_SNAPSHOTS)}"
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM interactions WHERE happened_at < $cutoff",
        {"cutoff": day_end(day)},
    )
    try:
        yield name
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
