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
from datetime import date, datetime, timedelta, timezone
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo

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


Zone = ZoneInfo | str


def zone_name(zone: Zone) -> str:
    """The IANA name of `zone`, as SQL's `local_day(ts, zone)` takes it."""
    return zone.key if isinstance(zone, ZoneInfo) else zone


def day_start(day: date, zone: Zone = "UTC") -> datetime:
    """The first instant of `day` in the user's time zone `zone`, as stored times are: naive UTC."""
    local = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone_name(zone)))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def day_end(day: date, zone: Zone = "UTC") -> datetime:
    """The first instant after `day` in `zone` (naive UTC): what happened before it counts as of `day`."""
    return day_start(day + timedelta(days=1), zone)


def local_time(moment: datetime, zone: Zone = "UTC") -> datetime:
    """A stored time (naive UTC) as the user's wall-clock time in `zone` (naive)."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone_name(zone))).replace(tzinfo=None)


def local_date(moment: datetime, zone: Zone = "UTC") -> date:
    """The user's calendar day (in `zone`) of a stored time (naive UTC): SQL's `local_day`."""
    return local_time(moment, zone).date()


def set_user_zone(conn: duckdb.DuckDBPyConnection, zone: Zone) -> None:
    """Tell the views the user's time zone (rules.sql `user_zone`, read by `relationships`)."""
    conn.execute("SET VARIABLE kith_zone = ?", [zone_name(zone)])


@contextmanager
def interactions_as_of(conn: duckdb.DuckDBPyConnection, day: date, zone: Zone = "UTC") -> Iterator[str]:
    """The `interactions` view as of `day` (everything before the next midnight in the user's time
    zone `zone`) in a TEMP table, dropped afterwards; yields its name, the `$contact` parameter of
    the digest's queries. Reads only: TEMP tables work on a read-only connection."""
    name = f"interactions_as_of_{next(_SNAPSHOTS)}"
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM interactions WHERE happened_at < $cutoff",
        {"cutoff": day_end(day, zone)},
    )
    try:
        yield name
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
