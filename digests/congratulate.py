"""Congratulate: birthdays coming up, and recent new roles, promotions, awards, anniversaries and
launches.

Signals are matched to people the user has interacted with: by address, or for news that only
names someone (`name:dana kim`: a notification, a memo, a forward; see `digests.signals`) by name,
through `digests.name_match`: the names headers and calendars give each known person ("Kim,
Dana", "Dana J. Kim", X-From names, attendee names), with the usual nicknames; nobody when several
people or the user match. Unknown people are dropped. News the user has already answered with a
congratulation of their own (a `congratulated` signal about that person, on the day of the news
or later) is done and not suggested. A contact whose mail recently started coming from a new
company domain is asked about ("Dana now writes from @newco.com: new role?").
"""

from __future__ import annotations

import itertools
from datetime import date

import duckdb
import pyarrow as pa

from kith.digests import wording
from kith.digests.items import DigestItem
from kith.digests.name_match import Directory, Known
from kith.digests.signals import NAME_PREFIX
from kith.models.automated import notification_service
from kith.warehouse.queries import Zone, day_end, interactions_as_of, local_date, run_query, zone_name

RECENT_DAYS = 14  # new roles, promotions, anniversaries, launches, domain changes
BIRTHDAY_AHEAD_DAYS = 3  # birthdays from today to today + 3
FREEMAIL = (
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com", "live.com",
    "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
    "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "fastmail.com", "hey.com", "mailbox.org",
    "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com", "comcast.net", "att.net", "verizon.net",
)
_names = itertools.count()


def congratulate_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None,
                       zone: Zone = "UTC") -> list[DigestItem]:
    """All of today's congratulations: dated signals about known people, then domain changes.
    `day` is the user's, in `zone`. `contact`: the digest's snapshot of the interactions when the
    caller has one (see `warehouse.queries.interactions_as_of`)."""
    if contact is None:
        with interactions_as_of(conn, day, zone) as contact:
            return congratulate_items(conn, day, contact=contact, zone=zone)
    params = {"contact": contact, "day": day, "zone": zone_name(zone), "recent_days": RECENT_DAYS,
              "birthday_ahead_days": BIRTHDAY_AHEAD_DAYS}
    items: list[DigestItem] = []
    seen: set[str] = set()
    names = f"digest_names_{next(_names)}"
    conn.register(names, resolve_names(conn, params))
    try:
        rows = run_query(conn, "congratulate_signals", {**params, "names": names})
    finally:
        conn.unregister(names)
    for row in rows:
        source = _source(row["source_address"], row["source_name"],
                         about_sender=not row["signal_address"].startswith(NAME_PREFIX))
        reason = wording.congratulate_reason(row["kind"], row["happened_on"], day, source=source,
                                             company=row["company"], title=row["title"], evidence=row["evidence"])
        items.append(
            DigestItem(
                section="congratulate",
                person_id=row["person_id"],
                name=wording.shown_name(row["display_name"], row["primary_address"]),
                address=row["primary_address"],
                reason=reason,
                score=float(row["confidence"]),
                account=row["account"],
                source_id=row["source_id"],
            )
        )
        seen.add(row["person_id"])
    for row in run_query(conn, "domain_changes", {**params, "cutoff": day_end(day, zone), "freemail": list(FREEMAIL)}):
        if row["person_id"] in seen:
            continue
        seen.add(row["person_id"])
        items.append(
            DigestItem(
                section="congratulate",
                person_id=row["person_id"],
                name=wording.shown_name(row["display_name"], row["address"]),
                address=row["address"],
                reason=wording.domain_change_reason(wording.shown_name(row["display_name"], row["address"]), row["domain"]),
                last_interaction=wording.last_interaction("email", row["subject"], local_date(row["first_seen"], zone)),
                link=row["link"],
                score=0.5,
            )
        )
    return items


def resolve_names(conn: duckdb.DuckDBPyConnection, params: dict) -> pa.Table:
    """(address, person_id) for each `name:` signal the digest may show that names exactly one
    known person (never the user; by a first name alone only for a birthday's title): `params`
    are the digest's (contact, day, windows)."""
    named = run_query(conn, "named_signals", params)
    matches: list[tuple[str, str]] = []
    if named:
        rows = run_query(conn, "known_names", params)
        directory = Directory((Known(row["person_id"], row["address"], row["name"]) for row in rows),
                              user_addresses=[row["address"] for row in rows if row["is_self"]])
        for signal in named:
            address = signal["address"]
            person = directory.resolve(address[len(NAME_PREFIX) :], first_name_alone=signal["birthday_only"])
            if person is not None:
                matches.append((address, person))
    return pa.table({"address": pa.array([a for a, _ in matches], pa.string()),
                     "person_id": pa.array([p for _, p in matches], pa.string())})


def _source(address: str | None, name: str | None = None, *, about_sender: bool = True) -> str:
    """Where a signal came from, in the reason's brackets: a notification service, the person's
    own mail, someone else's mail that names them (a memo, a forward), or the calendar."""
    service = notification_service(address)
    if service or not address:
        return service or "calendar"
    return "their email" if about_sender else f"email from {name or address}"
