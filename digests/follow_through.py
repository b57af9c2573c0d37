"""Follow through: replies owed, replies awaited, promises made, people just met.

- reply_owed: a person's message to the user that asks a question (a `question` signal), at least
  `REPLY_OWED_DAYS` old, with no later message from the user in that thread nor to that person (for a
  question put to several people, a later answer from anyone in the thread settles it).
- awaiting_reply: the user's question, at least `AWAITING_DAYS` old, with no later message in the
  thread from anyone.
- promise: a promise in the user's sent mail with no later message in that thread (from the user,
  who may have delivered, or from the other side, which usually closes the matter).
- new_person: someone whose first interaction was a meeting in the last `NEW_PERSON_DAYS` days,
  not written to since.

Only items from the last `RECENT_DAYS` days, oldest (most pressing) first, `PER_SECTION` each.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb

from kith.digests import wording
from kith.digests.items import DigestItem

REPLY_OWED_DAYS = 3
AWAITING_DAYS = 4
PROMISE_DAYS = 1
NEW_PERSON_DAYS = 7
RECENT_DAYS = 21
PER_SECTION = 5

# Signals of one kind on messages (one row per RFC message), with the person they concern.
_SIGNALLED = """
    signalled AS (
        SELECT s.account, s.source_id, s.evidence, m.sent_at, coalesce(m.thread_id, m.message_id, m.source_id) AS thread,
               m.message_id, m.subject, m.link, m.recipient_count, i.person_id, p.display_name, p.primary_address,
               (sf.person_id IS NOT NULL) AS from_self
        FROM signals s
        JOIN messages m ON m.account = s.account AND m.source_id = s.source_id
        JOIN identities i ON i.address = s.address
        JOIN people p ON p.person_id = i.person_id
        LEFT JOIN (SELECT i2.address, i2.person_id FROM identities i2 JOIN people p2 USING (person_id)
                   WHERE p2.is_self) sf ON sf.address = m.from_address
        WHERE s.kind = $kind AND NOT p.is_self AND NOT p.is_automated
          AND m.sent_at < $cutoff AND m.sent_at >= $since
        QUALIFY row_number() OVER (PARTITION BY coalesce(m.message_id, m.account || m.source_id)
                                   ORDER BY m.account, m.source_id) = 1
    ),
    later AS (
        SELECT coalesce(m.thread_id, m.message_id, m.source_id) AS thread, m.sent_at,
               coalesce(p.is_self, false) AS from_self
        FROM messages m
        LEFT JOIN identities i ON i.address = m.from_address
        LEFT JOIN people p ON p.person_id = i.person_id
        WHERE m.sent_at < $cutoff AND m.sent_at >= $since
    ),
    muted AS (
        SELECT DISTINCT i.person_id FROM person_overrides o JOIN identities i ON i.address = o.address
        WHERE o.muted
    )
"""

_COLUMNS = "x.person_id, x.display_name, x.primary_address, x.sent_at, x.evidence, x.subject, x.link, x.account, x.source_id"

REPLY_OWED_SQL = f"""
WITH {_SIGNALLED}
SELECT {_COLUMNS} FROM signalled x
WHERE NOT x.from_self AND x.sent_at < $ripe
  AND x.person_id NOT IN (SELECT person_id FROM muted)
  -- asked of several people: anyone's later answer in the thread settles it; 1:1: only the user's
  AND NOT EXISTS (SELECT 1 FROM later l WHERE l.thread = x.thread AND l.sent_at > x.sent_at
                    AND (l.from_self OR coalesce(x.recipient_count, 1) > 1))
  AND NOT EXISTS (SELECT 1 FROM __CONTACT__ i
                  WHERE i.person_id = x.person_id AND i.direction = 'sent'
                    AND i.happened_at > x.sent_at AND i.happened_at < $cutoff)
QUALIFY row_number() OVER (PARTITION BY x.person_id ORDER BY x.sent_at DESC) = 1
ORDER BY x.sent_at, x.person_id
"""

# The user's own question or promise with nothing after it in the thread: no answer yet to the
# question; for a promise, a later message from the user may be the delivery, and a reply from the
# other side usually closes the matter ("Thanks, that's perfect").
UNFOLLOWED_SQL = f"""
WITH {_SIGNALLED}
SELECT {_COLUMNS} FROM signalled x
WHERE x.from_self AND x.sent_at < $ripe
  AND x.person_id NOT IN (SELECT person_id FROM muted)
  AND NOT EXISTS (SELECT 1 FROM later l WHERE l.thread = x.thread AND l.sent_at > x.sent_at)
QUALIFY row_number() OVER (PARTITION BY x.person_id ORDER BY x.sent_at DESC) = 1
ORDER BY x.sent_at, x.person_id
"""

NEW_PEOPLE_SQL = """
WITH firsts AS (
    SELECT i.person_id,
           arg_min(i.kind, i.happened_at) AS first_kind, min(i.happened_at) AS first_at,
           arg_min(i.title, i.happened_at) AS first_title, arg_min(i.link, i.happened_at) AS first_link,
           arg_min(i.account, i.happened_at) AS account, arg_min(i.source_id, i.happened_at) AS source_id
    FROM __CONTACT__ i  -- genuine contacts before the cutoff (see digests.build.contact_table)
    GROUP BY i.person_id
),
attendee_names AS (
    SELECT i.person_id, mode(a.name) AS name
    FROM meeting_attendees a JOIN identities i ON i.address = a.address
    WHERE a.name IS NOT NULL GROUP BY i.person_id
)
SELECT f.person_id, coalesce(p.display_name, n.name) AS display_name, p.primary_address, f.first_kind, f.first_at, f.first_title, f.first_link,
       f.account, f.source_id,
       EXISTS (SELECT 1 FROM __CONTACT__ i WHERE i.person_id = f.person_id AND i.direction = 'sent'
                 AND i.happened_at > f.first_at AND i.happened_at < $cutoff) AS written_since,
       f.person_id IN (SELECT i.person_id FROM person_overrides o JOIN identities i ON i.address = o.address
                       WHERE o.muted) AS muted
FROM firsts f JOIN people p USING (person_id) LEFT JOIN attendee_names n USING (person_id)
WHERE f.first_at >= $since
ORDER BY f.first_at, f.person_id
"""


def _cutoff(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time())


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def _with_contact(conn: duckdb.DuckDBPyConnection, day: date, contact: str | None, run):
    """run(contact table name): with the caller's contact table, or one made for this call."""
    if contact is not None:
        return run(contact)
    from kith.digests.build import contact_table

    with contact_table(conn, day) as made:
        return run(made)


def _signalled(conn: duckdb.DuckDBPyConnection, sql: str, kind: str, day: date, min_days: int,
               contact: str | None = None) -> list[tuple]:
    if "__CONTACT__" in sql:
        return _with_contact(conn, day, contact,
                             lambda name: _signalled(conn, sql.replace("__CONTACT__", name), kind, day, min_days))
    params = {
        "kind": kind,
        "cutoff": _cutoff(day),
        "since": _midnight(day - timedelta(days=RECENT_DAYS)),
        "ripe": _midnight(day - timedelta(days=min_days - 1)),
    }
    return conn.execute(sql, params).fetchall()


def _signal_items(conn: duckdb.DuckDBPyConnection, day: date, contact: str | None, section: str, sql: str,
                  kind: str, min_days: int, reason) -> list[DigestItem]:
    """Items of one follow-through section, oldest first; `reason(days, sent_on, evidence)` words each."""
    out = []
    for person_id, name, address, sent_at, evidence, subject, link, account, source_id in _signalled(
        conn, sql, kind, day, min_days, contact
    )[:PER_SECTION]:
        days = (day - sent_at.date()).days
        out.append(_item(section, person_id, name, address, reason(days, sent_at.date(), evidence),
                         subject, sent_at, link, account, source_id, days))
    return out


def reply_owed_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None) -> list[DigestItem]:
    """People who asked the user something and are still waiting, oldest first."""
    return _signal_items(conn, day, contact, "reply_owed", REPLY_OWED_SQL, "question", REPLY_OWED_DAYS,
                         lambda days, _on, evidence: wording.reply_owed_reason(days, evidence))


def awaiting_reply_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None) -> list[DigestItem]:
    """The user's questions nobody has answered, oldest first."""
    return _signal_items(conn, day, contact, "awaiting_reply", UNFOLLOWED_SQL, "question", AWAITING_DAYS,
                         lambda days, _on, _evidence: wording.awaiting_reason(days))


def promise_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None) -> list[DigestItem]:
    """Promises in the user's sent mail with nothing after them in the thread, oldest first."""
    return _signal_items(conn, day, contact, "promise", UNFOLLOWED_SQL, "promise", PROMISE_DAYS,
                         lambda _days, on, evidence: wording.promise_reason(on, evidence))


def new_person_items(conn: duckdb.DuckDBPyConnection, day: date, *,
                     contact: str | None = None) -> tuple[list[DigestItem], int]:
    """People first met at a meeting this week and not written to since; and the week's new connections."""
    params = {"cutoff": _cutoff(day), "since": _midnight(day - timedelta(days=NEW_PERSON_DAYS))}
    rows = _with_contact(
        conn, day, contact,
        lambda name: conn.execute(NEW_PEOPLE_SQL.replace("__CONTACT__", name), params).fetchall(),
    )
    items = []
    for (person_id, name, address, kind, first_at, title, link, account, source_id, written_since,
         muted) in rows:
        if kind != "meeting" or written_since or muted:
            continue
        items.append(
            DigestItem(
                section="new_person",
                person_id=person_id,
                name=name or address,
                address=address,
                reason=wording.new_person_reason(first_at.date(), title, day),
                last_interaction=wording.last_interaction("meeting", title, first_at),
                link=link,
                score=float((day - first_at.date()).days),
                account=account,
                source_id=source_id,
            )
        )
    return items[:PER_SECTION], len(rows)


def _item(section, person_id, name, address, reason, subject, sent_at, link, account, source_id, days) -> DigestItem:
    return DigestItem(
        section=section,
        person_id=person_id,
        name=name or address,
        address=address,
        reason=reason,
        last_interaction=wording.last_interaction("email", subject, sent_at),
        link=link,
        score=float(days),
        account=account,
        source_id=source_id,
    )
