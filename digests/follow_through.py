"""Follow through: replies owed, replies awaited, promises made, people just met.

- reply_owed: a message to the user from someone the user has written to or met before, that asks a
  question expecting an answer (a `question` signal, `digests.questions`), at least
  `REPLY_OWED_DAYS` old, with no later message from the user in that thread nor to that person (for a
  question put to several people, a later answer from anyone in the thread settles it).
- awaiting_reply: the user's question, at least `AWAITING_DAYS` old, with no later message in the
  thread from anyone.
- promise: a promise in the user's sent mail with no later message in that thread (from the user,
  who may have delivered, or from the other side, which usually closes the matter).
- new_person: someone whose first interaction was a meeting in the last `NEW_PERSON_DAYS` days,
  not written to since (a meeting past the size limit is no interaction at all).
- the week's new connections: people first seen in the last `NEW_PERSON_DAYS` days with whom there
  has been a two-way exchange (each side wrote) or a meeting; a stranger's mail to the user,
  however much of it, is no connection.

Only items from the last `RECENT_DAYS` days, oldest (most pressing) first, `PER_SECTION` each, and
only about people who may be suggested that day (the warehouse's `suggestible_people`: not muted,
not snoozed). Days are the user's, in their time zone: windows start at their midnight and "3 days
ago" counts their calendar days. The queries are warehouse/sql/queries/reply_owed.sql,
unfollowed.sql, new_people.sql.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from kith.digests import wording
from kith.digests.items import DigestItem
from kith.warehouse.queries import Zone, day_end, day_start, interactions_as_of, local_date, run_query

REPLY_OWED_DAYS = 3
AWAITING_DAYS = 4
PROMISE_DAYS = 1
NEW_PERSON_DAYS = 7
RECENT_DAYS = 21
PER_SECTION = 5


def _with_contact(conn: duckdb.DuckDBPyConnection, day: date, zone: Zone, contact: str | None, run):
    """run(snapshot name): with the caller's snapshot of the interactions, or one made for this call."""
    if contact is not None:
        return run(contact)
    with interactions_as_of(conn, day, zone) as made:
        return run(made)


def _signal_items(conn: duckdb.DuckDBPyConnection, day: date, zone: Zone, contact: str | None, section: str,
                  query: str, kind: str, min_days: int, reason) -> list[DigestItem]:
    """Items of one follow-through section, oldest first; `reason(days, sent_on, evidence)` words each."""
    params = {
        "kind": kind,
        "day": day,
        "cutoff": day_end(day, zone),
        "since": day_start(day - timedelta(days=RECENT_DAYS), zone),
        "ripe": day_start(day - timedelta(days=min_days - 1), zone),
    }
    rows = _with_contact(conn, day, zone, contact, lambda name: run_query(conn, query, {**params, "contact": name}))
    out = []
    for row in rows[:PER_SECTION]:
        sent_on = local_date(row["sent_at"], zone)
        days = (day - sent_on).days
        out.append(_item(section, row["person_id"], row["display_name"], row["primary_address"],
                         reason(days, sent_on, row["evidence"]), row["subject"], sent_on, row["link"],
                         row["account"], row["source_id"], days))
    return out


def reply_owed_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None,
                     zone: Zone = "UTC") -> list[DigestItem]:
    """People who asked the user something and are still waiting, oldest first."""
    return _signal_items(conn, day, zone, contact, "reply_owed", "reply_owed", "question", REPLY_OWED_DAYS,
                         lambda days, _on, evidence: wording.reply_owed_reason(days, evidence))


def awaiting_reply_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None,
                         zone: Zone = "UTC") -> list[DigestItem]:
    """The user's questions nobody has answered, oldest first."""
    return _signal_items(conn, day, zone, contact, "awaiting_reply", "unfollowed", "question", AWAITING_DAYS,
                         lambda days, _on, _evidence: wording.awaiting_reason(days))


def promise_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None,
                  zone: Zone = "UTC") -> list[DigestItem]:
    """Promises in the user's sent mail with nothing after them in the thread, oldest first."""
    return _signal_items(conn, day, zone, contact, "promise", "unfollowed", "promise", PROMISE_DAYS,
                         lambda _days, on, evidence: wording.promise_reason(on, evidence))


def new_person_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None,
                     zone: Zone = "UTC") -> tuple[list[DigestItem], int]:
    """People first met at a meeting this week and not written to since; and the week's new
    connections (the user's last `NEW_PERSON_DAYS` days, in `zone`)."""
    params = {"day": day, "cutoff": day_end(day, zone), "since": day_start(day - timedelta(days=NEW_PERSON_DAYS), zone)}
    rows = _with_contact(conn, day, zone, contact,
                         lambda name: run_query(conn, "new_people", {**params, "contact": name}))
    rows = [row for row in rows if row["connected"]]
    items = []
    for row in rows:
        if row["first_kind"] != "meeting" or row["written_since"] or not row["suggestible"]:
            continue
        first_on, title = local_date(row["first_at"], zone), row["first_title"]
        items.append(
            DigestItem(
                section="new_person",
                person_id=row["person_id"],
                name=wording.shown_name(row["display_name"], row["primary_address"]),
                address=row["primary_address"],
                reason=wording.new_person_reason(first_on, title, day),
                last_interaction=wording.last_interaction("meeting", title, first_on),
                link=row["first_link"],
                score=float((day - first_on).days),
                account=row["account"],
                source_id=row["source_id"],
            )
        )
    return items[:PER_SECTION], len(rows)


def _item(section, person_id, name, address, reason, subject, sent_on, link, account, source_id, days) -> DigestItem:
    return DigestItem(
        section=section,
        person_id=person_id,
        name=wording.shown_name(name, address),
        address=address,
        reason=reason,
        last_interaction=wording.last_interaction("email", subject, sent_on),
        link=link,
        score=float(days),
        account=account,
        source_id=source_id,
    )
