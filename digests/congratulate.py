"""Congratulate: birthdays coming up, and recent new roles, promotions, anniversaries and launches.

Signals are matched to people the user has interacted with: by address, or for a notification
that only names someone (`name:dana kim`, see `digests.signals`) by display name, when exactly
one known person has it. Unknown people are dropped. A contact whose mail recently started coming
from a new company domain is asked about ("Dana now writes from @newco.com: new role?").
"""

from __future__ import annotations

from datetime import date

import duckdb

from kith.digests import wording
from kith.digests.items import DigestItem
from kith.models.automated import notification_service
from kith.warehouse.queries import day_end, interactions_as_of, run_query

RECENT_DAYS = 14  # new roles, promotions, anniversaries, launches, domain changes
BIRTHDAY_AHEAD_DAYS = 3  # birthdays from today to today + 3
FREEMAIL = (
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com", "live.com",
    "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
    "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "fastmail.com", "hey.com", "mailbox.org",
    "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com", "comcast.net", "att.net", "verizon.net",
)


def congratulate_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None) -> list[DigestItem]:
    """All of today's congratulations: dated signals about known people, then domain changes.
    `contact`: the digest's snapshot of the interactions when the caller has one (see
    `warehouse.queries.interactions_as_of`)."""
    if contact is None:
        with interactions_as_of(conn, day) as contact:
            return congratulate_items(conn, day, contact=contact)
    params = {"contact": contact, "day": day, "recent_days": RECENT_DAYS}
    items: list[DigestItem] = []
    seen: set[str] = set()
    for row in run_query(conn, "congratulate_signals", {**params, "birthday_ahead_days": BIRTHDAY_AHEAD_DAYS}):
        reason = wording.congratulate_reason(row["kind"], row["happened_on"], day, source=_source(row["source_address"]),
                                             company=row["company"], title=row["title"], evidence=row["evidence"])
        items.append(
            DigestItem(
                section="congratulate",
                person_id=row["person_id"],
                name=row["display_name"] or row["primary_address"],
                address=row["primary_address"],
                reason=reason,
                score=float(row["confidence"]),
                account=row["account"],
                source_id=row["source_id"],
            )
        )
        seen.add(row["person_id"])
    for row in run_query(conn, "domain_changes", {**params, "cutoff": day_end(day), "freemail": list(FREEMAIL)}):
        if row["person_id"] in seen:
            continue
        seen.add(row["person_id"])
        items.append(
            DigestItem(
                section="congratulate",
                person_id=row["person_id"],
                name=row["display_name"] or row["address"],
                address=row["address"],
                reason=wording.domain_change_reason(row["display_name"], row["domain"]),
                last_interaction=wording.last_interaction("email", row["subject"], row["first_seen"]),
                link=row["link"],
                score=0.5,
            )
        )
    return items


def _source(address: str | None) -> str:
    """Where a signal came from, in the reason's brackets: a notification service, the person's
    own mail, or the calendar."""
    return notification_service(address) or ("their email" if address else "calendar")
