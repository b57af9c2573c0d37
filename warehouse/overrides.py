"""User data about people: mutes, cadences (pins), snoozes, merges and splits, plus look-ups.

These write only `person_overrides` and `identity_links`, which no sync touches, so they survive
every resync. Overrides are stored under the person's primary address and apply to whichever
person holds that address after identities are rebuilt; when a person already has override rows
under other addresses (after a merge), the same value is written to those rows too, so every row
of one person agrees.

A person is named by any of their addresses or by display name (case-insensitive; an exact name
wins over a partial one). A name that fits several people raises `AmbiguousPerson` listing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from kith.warehouse.errors import WarehouseError
from kith.warehouse.identity import normalize_address
from kith.warehouse.people import refresh_people
from kith.warehouse.transaction import in_transaction


class PersonNotFound(WarehouseError):
    """No person has that address or name."""


class AmbiguousPerson(WarehouseError):
    """A name fits several people; the message lists them so the user can pick an address."""


@dataclass(frozen=True)
class Person:
    person_id: str
    display_name: str | None
    primary_address: str

    @property
    def label(self) -> str:
        return f"{self.display_name} <{self.primary_address}>" if self.display_name else self.primary_address


_PERSON_COLUMNS = "p.person_id, p.display_name, p.primary_address"

_BY_ADDRESS = f"""
    SELECT DISTINCT {_PERSON_COLUMNS}
    FROM identities i JOIN people p USING (person_id)
    WHERE i.address = ? OR i.normalized = ?
"""

_BY_NAME = f"""
    SELECT {_PERSON_COLUMNS}, lower(p.display_name) = lower(?) AS exact
    FROM people p
    WHERE p.display_name ILIKE '%' || ? || '%' ESCAPE '\\' OR p.person_id = lower(?)
    ORDER BY p.display_name, p.primary_address
"""


def find_person(conn: duckdb.DuckDBPyConnection, name_or_address: str) -> Person:
    """The one person with this address or display name; PersonNotFound / AmbiguousPerson otherwise."""
    query = name_or_address.strip()
    if not query:
        raise PersonNotFound("name a person by one of their addresses or their name")
    if "@" in query:
        rows = conn.execute(_BY_ADDRESS, [query.strip("<>").lower(), normalize_address(query)]).fetchall()
        if not rows:
            raise PersonNotFound(f"no one has the address {query!r}; `kith people {query}` searches")
        return Person(*rows[0])
    pattern = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(_BY_NAME, [query, pattern, query]).fetchall()
    exact = [row for row in rows if row[3]]
    candidates = exact or rows
    if not candidates:
        raise PersonNotFound(f"no one is called {query!r}; `kith people` lists everyone")
    if len(candidates) > 1:
        listed = "; ".join(Person(*row[:3]).label for row in candidates[:10])
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        raise AmbiguousPerson(f"{query!r} could be {len(candidates)} people: {listed}{more}; name one by address")
    return Person(*candidates[0][:3])


def person_addresses(conn: duckdb.DuckDBPyConnection, person_id: str) -> list[tuple[str, str]]:
    """(address, evidence) of every address of the person."""
    return conn.execute(
        "SELECT address, evidence FROM identities WHERE person_id = ? ORDER BY address", [person_id]
    ).fetchall()


def _set_override(conn: duckdb.DuckDBPyConnection, name_or_address: str, column: str, value: object) -> Person:
    """Write one override column for a person: at the primary address and every existing row of theirs."""
    assert column in {"muted", "cadence_days", "snoozed_until"}
    person = find_person(conn, name_or_address)
    with in_transaction(conn):
        conn.execute(
            f"INSERT INTO person_overrides (address, {column}, updated_at) VALUES (?, ?, timezone('UTC', now())) "
            f"ON CONFLICT (address) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at",
            [person.primary_address, value],
        )
        conn.execute(
            f"UPDATE person_overrides SET {column} = ?, updated_at = timezone('UTC', now()) "
            "WHERE address IN (SELECT address FROM identities WHERE person_id = ?)",
            [value, person.person_id],
        )
    return person


def mute(conn: duckdb.DuckDBPyConnection, address: str, on: bool = True) -> Person:
    """Keep a person out of every suggestion (`on=False` undoes it)."""
    return _set_override(conn, address, "muted", on)


def pin(conn: duckdb.DuckDBPyConnection, address: str, every_days: int | None) -> Person:
    """Ask to be reminded every `every_days` days, whatever the learned gap; None removes the pin."""
    if every_days is not None and every_days < 1:
        raise WarehouseError(f"a cadence must be at least one day, not {every_days}")
    return _set_override(conn, address, "cadence_days", every_days)


def snooze(conn: duckdb.DuckDBPyConnection, address: str, until: date | None) -> Person:
    """Suggest nothing about this person before `until`; None ends the snooze."""
    return _set_override(conn, address, "snoozed_until", until)


def person_overrides(conn: duckdb.DuckDBPyConnection, person_id: str) -> dict:
    """The person's overrides, combined over their addresses: muted, cadence_days, snoozed_until."""
    rows = conn.execute(
        "SELECT muted, cadence_days, snoozed_until FROM person_preferences WHERE person_id = ?", [person_id]
    ).fetchall()
    muted, cadence, snoozed = rows[0] if rows else (False, None, None)
    return {"muted": muted, "cadence_days": cadence, "snoozed_until": snoozed}


def _own_addresses(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT address FROM identities WHERE evidence = 'user'").fetchall()]


def merge(
    conn: duckdb.DuckDBPyConnection, a: str, b: str, user_addresses: list[str] | None = None
) -> Person:
    """Make the people named by `a` and `b` one person, now and after every resync. Returns it."""
    first, second = find_person(conn, a), find_person(conn, b)
    if first.person_id == second.person_id:
        return first
    conn.execute(
        "INSERT INTO identity_links VALUES (?, ?, 'merge', timezone('UTC', now()))",
        [first.primary_address, second.primary_address],
    )
    refresh_people(conn, user_addresses if user_addresses is not None else _own_addresses(conn))
    return find_person(conn, first.primary_address)


def split(conn: duckdb.DuckDBPyConnection, address: str, user_addresses: list[str] | None = None) -> Person:
    """Take `address` out of the person it was grouped with: forget manual merges that involve it
    and stop grouping it by name. Returns the person the address belongs to afterwards (addresses
    that are one mailbox, such as Gmail dot spellings, stay together)."""
    if "@" not in address:
        raise WarehouseError(f"split takes an address, not a name ({address!r}); `kith person` lists them")
    find_person(conn, address)  # a clear error for an unknown address
    normal = normalize_address(address)
    users = user_addresses if user_addresses is not None else _own_addresses(conn)
    with in_transaction(conn):
        links = conn.execute(
            "SELECT rowid, address_a, address_b FROM identity_links WHERE kind = 'merge'"
        ).fetchall()
        stale = [rowid for rowid, x, y in links if normal in (normalize_address(x), normalize_address(y or ""))]
        if stale:
            conn.execute("DELETE FROM identity_links WHERE rowid IN (SELECT unnest(?))", [stale])
        conn.execute("INSERT INTO identity_links VALUES (?, NULL, 'split', timezone('UTC', now()))", [normal])
    refresh_people(conn, users)
    return find_person(conn, normal)


_SEARCH = """
    SELECT p.person_id, p.display_name, p.primary_address, p.is_automated,
           r.last_contact, r.days_with_contact, r.typical_gap_days, r.strength,
           coalesce(o.muted, false) AS muted, o.cadence_days, o.snoozed_until
    FROM people p
    LEFT JOIN relationships r USING (person_id)
    LEFT JOIN person_preferences o USING (person_id)
    WHERE NOT p.is_self
      AND (? IS NULL AND NOT p.is_automated
           OR p.display_name ILIKE '%' || ? || '%' ESCAPE '\\'
           OR p.person_id IN (SELECT person_id FROM identities WHERE address ILIKE '%' || ? || '%' ESCAPE '\\'))
    ORDER BY r.strength DESC NULLS LAST, p.display_name NULLS LAST, p.primary_address
    LIMIT ?
"""


def find_people(conn: duckdb.DuckDBPyConnection, query: str | None = None, limit: int = 50) -> list[dict]:
    """People whose name or any address contains `query` (case-insensitive), strongest first.
    Without a query: every genuine contact (not you, not automated senders)."""
    pattern = None
    if query and query.strip():
        pattern = query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    cursor = conn.execute(_SEARCH, [pattern, pattern, pattern, limit])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


_FIGURES = "SELECT * FROM relationships WHERE person_id = ?"

_HISTORY = """
    SELECT happened_at, kind, direction, is_group, title, link
    FROM interactions WHERE person_id = ? AND happened_at <= timezone('UTC', now())  -- not meetings ahead
    ORDER BY happened_at DESC
    LIMIT ?
"""


def person_history(
    conn: duckdb.DuckDBPyConnection, person_or_address: str, limit: int = 10
) -> tuple[dict, list[dict]]:
    """(figures, last `limit` interactions) of one person. Figures are the `relationships` row
    (None values when there is no two-way history) plus name, addresses and overrides."""
    person = find_person(conn, person_or_address)
    cursor = conn.execute(_FIGURES, [person.person_id])
    columns = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    cursor.fetchall()  # read results fully before the next statement
    figures = dict(zip(columns, row)) if row else dict.fromkeys(columns)
    figures.update(
        person_id=person.person_id,
        display_name=person.display_name,
        primary_address=person.primary_address,
        addresses=person_addresses(conn, person.person_id),
        **person_overrides(conn, person.person_id),
    )
    cursor = conn.execute(_HISTORY, [person.person_id, limit])
    columns = [d[0] for d in cursor.description]
    return figures, [dict(zip(columns, r)) for r in cursor.fetchall()]
