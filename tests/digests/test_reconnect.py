"""Reconnect on a small hand-built warehouse: the rhythm, the wording, and one test per guard."""

from datetime import date, datetime, timedelta

import duckdb
import pytest

from kith.digests.build import build_digest
from kith.digests.memory import save_digest, suggested_since
from kith.digests.reconnect import reconnect_candidates, reconnect_items
from kith.models import Address, Batch, Message, Settings
from kith.warehouse.load import save_batch
from kith.warehouse.people import refresh_people
from kith.warehouse.schema import ensure_schema

ME = "me@example.com"
DAY = date(2026, 11, 20)


def mail(sender, to, when, subject="Catch up", n=[0]):
    n[0] += 1
    return Message(account="m", source_id=f"<{n[0]}@x>", stream="s", message_id=f"<{n[0]}@x>", subject=subject,
                   sent_at=when, sender=Address(email=sender, name=sender.split("@")[0].title()),
                   to=[Address(email=to)], thread_id=f"<{n[0]}@x>")


def exchange(other, when):
    """The user writes, the other answers an hour later."""
    return [mail(ME, other, when), mail(other, ME, when + timedelta(hours=1))]


def history(other, last: date, every_days=21, count=8):
    out = []
    for k in range(count):
        out += exchange(other, datetime.combine(last - timedelta(days=every_days * k), datetime.min.time()) + timedelta(hours=10))
    return out


@pytest.fixture
def warehouse():
    conn = duckdb.connect()
    ensure_schema(conn)

    def load(*messages, refresh=True):
        save_batch(conn, Batch(account="m", stream="s", messages=list(messages)), kind="mbox")
        if refresh:
            refresh_people(conn, [ME])
        return conn

    return load


def names(conn, day=DAY):
    return [c.address for c in reconnect_candidates(conn, day)]


def test_overdue_contact_is_suggested_with_its_rhythm(warehouse):
    conn = warehouse(*history("dana@acme.com", DAY - timedelta(days=77)))
    (item,) = reconnect_items(conn, DAY, 5)
    assert (item.name, item.address, item.reason, item.last_interaction) == (
        "Dana", "dana@acme.com", "You usually talk every 3 weeks; it has been 11 weeks.",
        "Email “Catch up” on 4 Sep 2026")


def test_data_after_the_digest_day_is_ignored(warehouse):
    conn = warehouse(*history("dana@acme.com", DAY - timedelta(days=77)), *exchange("dana@acme.com", datetime(2026, 11, 25)))
    assert names(conn) == ["dana@acme.com"]
    assert names(conn, date(2026, 11, 26)) == []


def test_guard_contacted_in_the_last_two_weeks(warehouse):
    conn = warehouse(*history("dana@acme.com", DAY - timedelta(days=77)), mail("dana@acme.com", ME, datetime(2026, 11, 10)))
    assert names(conn) == []


def test_guard_suggested_in_the_last_two_weeks(warehouse):
    conn = warehouse(*history("dana@acme.com", DAY - timedelta(days=77)))
    earlier = build_digest(conn, Settings(home="/tmp/unused"), DAY - timedelta(days=3))
    save_digest(conn, earlier, "text", "<p>html</p>")
    assert suggested_since(conn, DAY - timedelta(days=14), DAY) == {"dana@acme.com"}
    assert names(conn) == []
    assert names(conn, DAY + timedelta(days=12)) == ["dana@acme.com"]


def test_guard_last_three_messages_unanswered(warehouse):
    last = DAY - timedelta(days=77)
    unanswered = [mail(ME, "dana@acme.com", datetime.combine(last + timedelta(days=k), datetime.min.time())) for k in (1, 20, 40)]
    conn = warehouse(*history("dana@acme.com", last), *unanswered)
    assert names(conn, DAY + timedelta(days=60)) == []
    conn.execute("DELETE FROM messages WHERE source_id = ?", [unanswered[0].source_id])
    refresh_people(conn, [ME])  # as the sync that changes messages does: it rebuilds the mail contacts
    assert names(conn, DAY + timedelta(days=60)) == ["dana@acme.com"]


def test_guard_no_automated_sender_and_never_the_user(warehouse):
    conn = warehouse(*history("no-reply@shop.com", DAY - timedelta(days=77)), *history("me@example.com", DAY - timedelta(days=77)))
    assert conn.execute("SELECT is_automated FROM people WHERE person_id = 'no-reply@shop.com'").fetchall() == [(True,)]
    assert names(conn) == []


def test_guard_one_way_contact_is_no_relationship(warehouse):
    conn = warehouse(*[mail("dana@acme.com", ME, datetime(2026, 5, 1) + timedelta(days=21 * k)) for k in range(5)])
    assert names(conn) == []


def test_overrides_win(warehouse):
    conn = warehouse(*history("dana@acme.com", DAY - timedelta(days=30), every_days=7))
    assert names(conn) == ["dana@acme.com"]  # weekly rhythm, a month of silence
    now = datetime(2026, 11, 1)
    conn.execute("INSERT INTO person_overrides VALUES ('dana@acme.com', false, 60, NULL, ?)", [now])
    assert names(conn) == []  # pinned to every 60 days: not due yet
    assert names(conn, DAY + timedelta(days=31)) == ["dana@acme.com"]
    assert reconnect_items(conn, DAY + timedelta(days=31), 5)[0].reason == (
        "You asked to keep in touch every 9 weeks; it has been 9 weeks.")
    conn.execute("UPDATE person_overrides SET cadence_days = NULL, snoozed_until = ?", [DAY + timedelta(days=5)])
    assert names(conn) == []
    assert names(conn, DAY + timedelta(days=6)) == ["dana@acme.com"]
    conn.execute("UPDATE person_overrides SET snoozed_until = NULL, muted = true")
    assert names(conn) == []


def test_two_episodes_are_a_rhythm_overdue_at_twice_their_gap(warehouse):
    # Two conversations 30 days apart: one gap is thin evidence, so the nudge waits for 60 days.
    first, second = datetime(2026, 8, 1, 10), datetime(2026, 8, 31, 10)
    conn = warehouse(*exchange("dana@acme.com", first), *exchange("dana@acme.com", second))
    assert names(conn, date(2026, 10, 29)) == []  # 59 days
    (item,) = reconnect_items(conn, date(2026, 10, 30), 5)  # 60 days
    assert (item.reason, item.last_interaction) == (
        "You have talked twice, 4 weeks apart; it has been 9 weeks.", "Email “Catch up” on 31 Aug 2026")


def test_two_episodes_days_apart_are_one_matter_not_a_rhythm(warehouse):
    # Fails on main: two exchanges 4 days apart (Kaminski and a lawyer, about one deposition) were
    # "You have talked twice, 4 days apart; it has been 2 weeks." Less than a week apart they are
    # one matter: a conversation, due after a year like any other.
    conn = warehouse(*exchange("dana@acme.com", datetime(2026, 11, 1, 10)),
                     *exchange("dana@acme.com", datetime(2026, 11, 5, 10)))
    figures = ("SELECT typical_gap_days, rhythm, overdue_after_days FROM contact_figures("
               "'interactions', $day, $day + INTERVAL 1 DAY, 'UTC')")
    assert conn.execute(figures, {"day": DAY}).fetchall() == [(4, "once", 365)]
    assert names(conn) == []


def test_one_episode_is_due_after_a_year_and_claims_no_closeness(warehouse):
    # However much was said in one conversation, it shows no rhythm: a yearly catch-up at most.
    burst = [m for hour in range(0, 40, 4) for m in exchange("dana@acme.com", datetime(2025, 11, 20, 8) + timedelta(hours=hour))]
    conn = warehouse(*burst)
    assert names(conn, date(2026, 11, 19)) == []  # 364 days
    (item,) = reconnect_items(conn, date(2026, 11, 21), 5)  # 365 days after the last message
    assert item.reason == "You have talked once; it has been 12 months."


def test_uneven_rhythm_counts_the_silence_so_far_as_a_gap(warehouse):
    # Conversations 64, 106 and 69 days apart (the median is 69), then quiet. The quiet is a gap too,
    # still running: with it the median is 88, so the nudge waits for 132 days, not 104.
    last = DAY - timedelta(days=117)
    starts = [last - timedelta(days=days) for days in (239, 175, 69, 0)]
    conn = warehouse(*[m for day in starts for m in exchange("dana@acme.com", datetime.combine(day, datetime.min.time()) + timedelta(hours=10))])
    figures = ("SELECT typical_gap_days, rhythm, overdue_after_days, days_since_last_contact FROM contact_figures("
               "'interactions', $day, $day + INTERVAL 1 DAY, 'UTC')")
    assert conn.execute(figures, {"day": DAY}).fetchall() == [(69, "usual", 132, 117)]
    assert names(conn) == []
    assert names(conn, last + timedelta(days=131)) == []
    (item,) = reconnect_items(conn, last + timedelta(days=132), 5)
    assert (item.reason, item.last_interaction) == (
        "You usually talk every 10 weeks; it has been 4 months.", "Email “Catch up” on 26 Jul 2026")


def test_their_unanswered_notes_set_no_rhythm(warehouse):
    # Two conversations 60 days apart, and between them a note from Dana the user never answered:
    # the rhythm is the conversations', not one every 30 days.
    first, second = datetime(2026, 5, 1, 10), datetime(2026, 6, 30, 10)
    conn = warehouse(*exchange("dana@acme.com", first), mail("dana@acme.com", ME, datetime(2026, 5, 31, 10)),
                     *exchange("dana@acme.com", second))
    (item,) = reconnect_items(conn, DAY, 5)
    assert item.reason == "You have talked twice, 9 weeks apart; it has been 5 months."


def test_one_memo_each_way_is_no_conversation(warehouse):
    # A memo from them, and weeks later one from the user: two-way, but never a conversation.
    conn = warehouse(mail("dana@acme.com", ME, datetime(2025, 6, 1, 10)), mail(ME, "dana@acme.com", datetime(2025, 6, 20, 10)))
    assert conn.execute("SELECT two_way, contact_episodes, rhythm FROM contact_figures('interactions', DATE '2026-11-20', "
                        "TIMESTAMP '2026-11-21', 'UTC')").fetchall() == [(True, 1, None)]
    assert names(conn) == []


def test_saving_twice_replaces_the_day(warehouse):
    conn = warehouse(*history("dana@acme.com", DAY - timedelta(days=77)))
    digest = build_digest(conn, Settings(home="/tmp/unused"), DAY)
    save_digest(conn, digest, "one", "<p>one</p>")
    save_digest(conn, digest, "two", "<p>two</p>")
    assert conn.execute("SELECT digest_date, item_count, text_body FROM digests").fetchall() == [(DAY, 1, "two")]
    assert conn.execute("SELECT count(*) FROM digest_items").fetchall() == [(1,)]
    warehouse(*exchange("dana@acme.com", datetime(2026, 11, 23, 9)))
    assert conn.execute("SELECT person_id, acted, acted_at FROM digest_outcomes").fetchall() == [
        ("dana@acme.com", True, datetime(2026, 11, 23, 9))]
