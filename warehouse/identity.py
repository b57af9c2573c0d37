"""Identity resolution: which addresses are one person, and which person is the user.

Rules, each recorded as the `evidence` of an address:

- `normalized`: one address after normalisation (case, Gmail dots and `+tags`, `+tags` anywhere).
- `user`: the user's own addresses from settings, and everything merged with them.
- `name`: a display name (or an Exchange/Lotus `X-From`/`X-To` name) that the address itself
  proves (`Phillip K Allen` <-> `phillip.allen@`, `pallen@`, `allen.phillip@`, `phillip@allen.me`).
  Addresses proven for the same name are one person. An address that is the first name alone
  (`emeka@`) joins them when its headers show the same full name; a name that the address does
  not bear out at all merges nothing. An address with no display name anywhere speaks for itself
  when it reads `first.last@`.
- `manual`: `kith merge` / `kith split`, which always win.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable

import duckdb
import pyarrow as pa

_GMAIL = {"gmail.com", "googlemail.com"}
_NOT_A_NAME = re.compile(r"[@/\\<>]|^\W*$")
_NAME_NOISE = re.compile(r"\(.*?\)|\[.*?\]|\b(jr|sr|ii|iii|iv|phd|md|mba|dr|mr|mrs|ms)\b\.?", re.IGNORECASE)
_GENERIC_NAMES = {"team", "support", "info", "admin", "office", "the", "and", "no", "reply", "enron", "news"}


def normalize_address(address: str) -> str:
    """One spelling per mailbox: lower case; Gmail ignores dots; `+tags` are dropped."""
    address = address.strip().strip("<>").lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    if "+" in local[1:]:
        local = local.split("+", 1)[0]
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def name_key(name: str | None) -> tuple[str, ...] | None:
    """A display name as (first, last) tokens, accents and titles removed; None if not a name."""
    if not name or _NOT_A_NAME.search(name):
        return None
    name = _NAME_NOISE.sub(" ", name)
    if "," in name:  # "Allen, Phillip K."
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    tokens = [t for t in re.split(r"[^a-z]+", ascii_name) if t]
    if len(tokens) < 2 or any(t in _GENERIC_NAMES for t in tokens):
        return None
    first, last = tokens[0], tokens[-1]
    middles = tokens[1:-1]
    if len(first) == 1 and middles:  # "J. Paul Smith": the first name is the middle one
        first = middles[0]
    return (first, last)


def name_proven_by(key: tuple[str, ...], address: str) -> bool:
    """True when the address spells the name: `dana.kim@`, `dkim@`, `kimd@`, or `dana@kim.me`."""
    local, _, domain = address.rpartition("@")
    flat = re.sub(r"[^a-z]", "", local.split("+", 1)[0])
    first, last = key
    if len(flat) < 3:
        return False
    if flat == first and domain.split(".")[0] == last:
        return True
    return flat in {first + last, last + first, first[0] + last, last + first[0], first + last[0]}


def name_consistent(key: tuple[str, ...], address: str) -> bool:
    """Weaker than proof: the local part is the first name alone (`emeka@`)."""
    flat = re.sub(r"[^a-z]", "", address.rpartition("@")[0].split("+", 1)[0])
    return len(flat) >= 3 and flat == key[0]


def name_in_address(address: str) -> tuple[str, ...] | None:
    """The name an address spells out by itself, `first.last@` or `first_last@`, also with a
    middle initial (`mac.d.hargrove@`, `andrew_m_ozuna@`): (first, last)."""
    parts = re.split(r"[._]", address.rpartition("@")[0].split("+", 1)[0])
    if len(parts) == 3 and len(parts[1]) == 1:
        parts = [parts[0], parts[2]]
    if len(parts) == 2 and all(len(p) >= 2 and p.isalpha() for p in parts):
        return (parts[0], parts[1])
    return None


class _Groups:
    """Union-find over addresses."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def resolve_identities(
    names_by_address: dict[str, list[str | None]],
    user_addresses: Iterable[str],
    merges: Iterable[tuple[str, str]] = (),
    splits: Iterable[str] = (),
) -> dict[str, tuple[str, str]]:
    """Map each address to (person_id, evidence). `person_id` is the group's smallest normalized address."""
    groups = _Groups()
    evidence: dict[str, str] = {}
    split_set = {normalize_address(a) for a in splits}
    by_name: dict[tuple[str, ...], list[str]] = defaultdict(list)
    weak_by_name: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for address, names in names_by_address.items():
        normal = normalize_address(address)
        groups.union(f"n:{normal}", f"a:{address}")
        evidence[address] = "normalized" if normal != address else "address"
        if normal in split_set:
            continue
        keys = {key for key in map(name_key, names) if key is not None}
        if not keys and (spelled := name_in_address(address)):
            keys = {spelled}
        for key in keys:
            if name_proven_by(key, normal):
                by_name[key].append(normal)
            elif name_consistent(key, normal):
                weak_by_name[key].append(normal)
    for key, weak in weak_by_name.items():
        # A first-name-only address joins the people its full display name proves, or pairs
        # with another such address showing the same full name.
        by_name[key].extend(weak)
    for key, addresses in by_name.items():
        for other in addresses[1:]:
            if groups.find(f"n:{other}") != groups.find(f"n:{addresses[0]}"):
                groups.union(f"n:{addresses[0]}", f"n:{other}")
                for address in (addresses[0], other):
                    _mark(evidence, names_by_address, address, "name")
    for a, b in merges:
        groups.union(f"n:{normalize_address(a)}", f"n:{normalize_address(b)}")
        for address in (a, b):
            _mark(evidence, names_by_address, normalize_address(address), "manual")
    user_roots = {groups.find(f"n:{normalize_address(a)}") for a in user_addresses}
    members: dict[str, list[str]] = defaultdict(list)
    for address in names_by_address:
        members[groups.find(f"a:{address}")].append(normalize_address(address))
    result = {}
    for address in names_by_address:
        root = groups.find(f"a:{address}")
        person_id = min(members[root])
        reason = "user" if root in user_roots else evidence[address]
        result[address] = (person_id, reason)
    return result


def _mark(evidence: dict[str, str], names: dict[str, list], normal: str, reason: str) -> None:
    for address in names:
        if normalize_address(address) == normal and evidence.get(address) in ("address", "normalized"):
            evidence[address] = reason


_ADDRESS_NAMES = """
    SELECT address, list(DISTINCT name) FILTER (WHERE name IS NOT NULL) AS names
    FROM (
        SELECT address, name FROM message_addresses
        UNION ALL SELECT address, name FROM meeting_attendees
        UNION ALL SELECT organizer_address, NULL FROM meetings WHERE organizer_address IS NOT NULL
        UNION ALL SELECT address, NULL FROM signals WHERE address NOT LIKE 'name:%'
    )
    GROUP BY address
"""


def rebuild_identities(conn: duckdb.DuckDBPyConnection, user_addresses: list[str]) -> int:
    """Recompute `identities` from every address the warehouse holds. Returns the address count."""
    names_by_address = {address: names or [] for address, names in conn.execute(_ADDRESS_NAMES).fetchall()}
    for address in user_addresses:
        names_by_address.setdefault(address, [])
    links = conn.execute("SELECT address_a, address_b, kind FROM identity_links ORDER BY created_at").fetchall()
    merges = [(a, b) for a, b, kind in links if kind == "merge"]
    splits = [a for a, _, kind in links if kind == "split"]
    resolved = resolve_identities(names_by_address, user_addresses, merges, splits)
    table = pa.table(
        {
            "address": list(resolved),
            "person_id": [p for p, _ in resolved.values()],
            "normalized": [normalize_address(a) for a in resolved],
            "evidence": [e for _, e in resolved.values()],
        }
    )
    conn.execute("DELETE FROM identities")
    conn.register("resolved", table)
    try:
        conn.execute("INSERT INTO identities SELECT * FROM resolved")
    finally:
        conn.unregister("resolved")
    return len(resolved)


def address_resolver(conn: duckdb.DuckDBPyConnection) -> Callable[[str], str | None]:
    """A look-up from an address, as written or in any spelling of the same mailbox, to the
    person holding it (None for an address the warehouse has not seen)."""
    by_address = dict(conn.execute("SELECT address, person_id FROM identities").fetchall())
    by_normal = dict(conn.execute("SELECT normalized, any_value(person_id) FROM identities GROUP BY 1").fetchall())

    def resolve(address: str) -> str | None:
        address = address.lower()
        return by_address.get(address) or by_normal.get(normalize_address(address))

    return resolve
