"""The `interactions` view, built for speed from the messages that can matter, and the digest's
snapshot of it (warehouse.queries.interactions_as_of) hold exactly the rows of the straightforward
definition below: every message and meeting joined to its people, then the genuine contacts'
rows kept."""

from datetime import date, datetime, timedelta

import duckdb
import pytest

from kith.digests.build import build_digest
from kith.models import Address, Batch, Message
from kith.warehouse.load import save_batch
from kith.warehouse.people import refresh_people
from kith.warehouse.queries import interactions_as_of
from kith.warehouse.schema import ensure_schema

ME = "me@example.com"
DAY = date(2026, 11, 20)
STRAIGHTFORWARD = """
    WITH everyone AS (
        WITH mail AS (
            SELECT u.account, u.source_id, u.thread_id, u.subject, u.sent_at, u.link, u.from_self,
                   u.sender_id
            FROM unique_messages u
        ),
        counted AS (
            -- people other than the user on each message: 1 means a 1:1 exchange
            SELECT account, source_id, count(*) AS others
            FROM message_participants WHERE NOT is_self GROUP BY ALL
        ),
        sent AS (
            SELECT m.*, mp.person_id, c.others
            FROM mail m
            JOIN message_participants mp ON mp.account = m.account AND mp.source_id = m.source_id
            JOIN counted c ON c.account = m.account AND c.source_id = m.source_id
            WHERE m.from_self AND NOT mp.is_self AND NOT mp.is_sender
        ),
        received AS (
            SELECT m.*, m.sender_id AS person_id, c.others
            FROM mail m
            JOIN counted c ON c.account = m.account AND c.source_id = m.source_id
            WHERE NOT m.from_self AND m.sender_id IS NOT NULL
        ),
        meeting_people AS (
            SELECT g.account, g.source_id, g.title, g.start_at, g.link, i.person_id, p.is_self,
                   coalesce(a.response, 'accepted') AS response
            FROM meetings g
            JOIN meeting_attendees a ON a.account = g.account AND a.source_id = g.source_id
            JOIN identities i ON i.address = a.address
            JOIN people p ON p.person_id = i.person_id
            WHERE g.status <> 'cancelled' AND g.event_type = 'default' AND NOT g.all_day
        ),
        met AS (
            SELECT mp.*, count(*) OVER (PARTITION BY mp.account, mp.source_id) AS others
            FROM meeting_people mp
            WHERE NOT mp.is_self AND mp.response <> 'declined'
              AND NOT EXISTS (SELECT 1 FROM meeting_people me
                              WHERE me.account = mp.account AND me.source_id = mp.source_id
                                AND me.is_self AND me.response = 'declined')
        )
        SELECT person_id, sent_at AS happened_at, 'email' AS kind, 'sent' AS direction,
               others > 1 AS is_group, CASE WHEN others > 1 THEN 0.5 ELSE 1.0 END AS weight,
               account, source_id, thread_id, subject AS title, link
        FROM sent
        UNION ALL
        SELECT person_id, sent_at, 'email', 'received', others > 1, CASE WHEN others > 1 THEN 0.5 ELSE 1.0 END,
               account, source_id, thread_id, subject, link
        FROM received
        UNION ALL
        SELECT person_id, start_at, 'meeting', 'both', others > 1, meeting_weight(others),
               account, source_id, NULL, title, link
        FROM met WHERE others + 1 <= meeting_size_limit()  -- a bigger meeting is no evidence of a tie
    )
    SELECT i.person_id, i.happened_at, i.kind, i.direction, i.is_group, i.weight, i.account, i.source_id,
           i.thread_id, i.title, i.link
    FROM everyone i JOIN people p USING (person_id)
    WHERE NOT p.is_self AND NOT p.is_automated AND i.happened_at < $cutoff
"""


def assert_same(conn: duckdb.DuckDBPyConnection, day: date) -> int:
    cutoff = datetime.combine(day + timedelta(days=1), datetime.min.time())
    with interactions_as_of(conn, day) as name:
        columns = "person_id, happened_at, kind, direction, is_group, weight, account, source_id, thread_id, title, link"
        missing, extra = conn.execute(
            f"SELECT (SELECT count(*) FROM (({STRAIGHTFORWARD}) EXCEPT ALL (SELECT {columns} FROM {name}))),"
            f"       (SELECT count(*) FROM ((SELECT {columns} FROM {name}) EXCEPT ALL ({STRAIGHTFORWARD})))",
            {"cutoff": cutoff},
        ).fetchone()
        rows = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    assert (missing, extra) == (0, 0)
    assert conn.execute(f"SELECT count(*) FROM duckdb_tables() WHERE table_name = '{name}'").fetchone()[0] == 0
    return rows


def message(account, source_id, sender, to, when, message_id=None, cc=()):
    return Message(account=account, source_id=source_id, stream="s", message_id=message_id, subject=f"On {source_id}",
                   sent_at=when, sender=Address(email=sender), to=[Address(email=a) for a in to],
                   cc=[Address(email=a) for a in cc], thread_id=message_id or source_id)


def test_hand_built_edge_cases():
    conn = duckdb.connect()
    ensure_schema(conn)
    t = datetime(2026, 11, 1, 10)
    first = [
        message("a", "1", ME, ["ann@example.com"], t, "<1@x>"),                              # 1:1 sent
        message("a", "2", "ann@example.com", [ME], t + timedelta(hours=1), "<2@x>"),         # 1:1 received
        message("a", "3", ME, ["ann@example.com", "bob@example.com"], t, "<3@x>",
                cc=["noreply@shop.example"]),                                                  # group, automated cc
        message("a", "4", "bob@example.com", [ME, "bob@example.com"], t, "<4@x>"),          # sender also a recipient
        message("a", "5", "bob@example.com", [ME], t + timedelta(days=30), "<5@x>"),        # after the cutoff
        message("a", "6", "noreply@shop.example", [ME], t, "<6@x>"),                          # automated
        message("a", "7", "carl@example.com", [ME], t, None),                                 # no Message-ID
    ]
    save_batch(conn, Batch(account="a", stream="s", messages=first), kind="mbox")
    # A second account: a copy (same Message-ID, sender and time) counts once, from the first copy
    # ('a' sorts before 'b'); a Message-ID reused by another sender or at another time is a
    # message of its own.
    copies = [
        message("b", "0-copy", "ann@example.com", [ME], t + timedelta(hours=1), "<2@x>"),
        message("b", "8", "ann@example.com", [ME], t - timedelta(days=2), "<2@x>"),
        message("b", "9", "eve@example.com", [ME], t, "<1@x>"),
    ]
    save_batch(conn, Batch(account="b", stream="s", messages=copies), kind="mbox")
    refresh_people(conn, [ME])
    for day in (DAY, date(2026, 11, 1), date(2026, 10, 30), date(2026, 12, 31)):
        assert_same(conn, day)
    assert assert_same(conn, DAY) > 0
    assert conn.execute("SELECT person_id, source_id FROM interactions WHERE account = 'b' ORDER BY ALL").fetchall() == [
        ("ann@example.com", "8"), ("eve@example.com", "9")
    ]


@pytest.mark.slow
def test_generated_network_and_digest_unchanged(tmp_path):
    from kith.flows.evaluation import sync_generated_network

    conn, settings, _truth = sync_generated_network(tmp_path, 2, DAY)
    for day in (DAY, DAY - timedelta(days=45), DAY - timedelta(days=400)):
        assert assert_same(conn, day) > 0
    build_digest(conn, settings, DAY)
    assert not conn.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0]
