"""The report's named queries (warehouse/sql/report_<name>.sql), read from the documented views only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import duckdb

from kith.warehouse.queries import Zone, set_user_zone, zone_name
from kith.warehouse.schema import read_sql

NAMES = ("weekly", "tiers", "fading", "growing", "reciprocity", "suggestions", "met_most")
# The views every report query reads more than once, computed once per report (see `snapshot`).
# No report query reads a title or a link, so the snapshot of `interactions` leaves them NULL:
# the subjects of every kept mail are then never read, about a tenth of the view's cost at 1 M messages.
SNAPSHOTS = {
    "interactions": "SELECT * REPLACE (NULL::VARCHAR AS title, NULL::VARCHAR AS link) FROM main.interactions",
    "relationships": "SELECT * FROM main.relationships",
}


# The snapshot of `interactions` dates each one by the user's wall clock (time zone $zone), so that
# the report queries' days and weeks (`happened_at::DATE`, `$today::DATE + INTERVAL 1 DAY`) are the
# user's; the conversion runs once per row here, not in every query.
_TO_WALL_CLOCK = "UPDATE temp.interactions SET happened_at = timezone($zone, timezone('UTC', happened_at))"


@contextmanager
def snapshot(conn: duckdb.DuckDBPyConnection, zone: Zone = "UTC") -> Iterator[None]:
    """Within the block, `interactions` and `relationships` are temporary tables holding the views'
    rows (a temp table shadows the view of the same name), so seven queries compute them once.
    Both count the user's days in `zone`: `relationships` through the connection's zone, and
    `interactions` is dated by the user's wall clock once `relationships` is made from it."""
    set_user_zone(conn, zone)  # for `relationships`; it stays the connection's zone
    for view, select in SNAPSHOTS.items():  # in order: relationships is computed from the snapshot of interactions
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS {select}")
    if zone_name(zone) != "UTC":
        conn.execute(_TO_WALL_CLOCK, {"zone": zone_name(zone)})
    try:
        yield
    finally:
        for view in SNAPSHOTS:
            conn.execute(f"DROP TABLE IF EXISTS temp.{view}")


def report_rows(conn: duckdb.DuckDBPyConnection, name: str, today: date, since: date) -> list[dict]:
    """Run the named report query for the period `since`..`today`; rows as dicts in column order."""
    if name not in NAMES:
        raise ValueError(f"no report query named {name!r}")
    sql = read_sql(f"report_{name}.sql")
    used = {key: value for key, value in (("today", today), ("since", since)) if f"${key}" in sql}
    cursor = conn.execute(sql, used)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
