"""Whether a suggestion was acted on (`digest_outcomes`, read by the report's "how suggestions
turned out"): a conversation with that person on a later day of the user's, not an all-hands they
both sat in, nor a mail the same evening."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from kith.digests.memory import save_digest
from kith.warehouse.queries import set_user_zone
from tests.digests.calendar_world import USER, build, event, mail

DAY = date(2026, 11, 20)
DANA = "Dana Kim <dana@globex.com>"


def dana_history() -> list[str]:
    """An exchange every three weeks, the last 77 days before the digest: a reconnect."""
    last = datetime(2026, 9, 4, 10)
    return [
        entry
        for k in range(8)
        for entry in (mail(USER, DANA, last - timedelta(days=21 * k), "Catch up", 2 * k),
                      mail(DANA, USER, last - timedelta(days=21 * k, hours=-1), "Re: Catch up", 2 * k + 1))
    ]


def outcomes_after(tmp_path: Path, messages: list[str], events: list[str], zone: str | None = None) -> list[tuple]:
    digest, conn = build(tmp_path, messages, events, DAY)
    assert [(i.section, i.address) for i in digest.items] == [("reconnect", "dana@globex.com")]
    save_digest(conn, digest, "text", "<p>html</p>")
    if zone is not None:
        set_user_zone(conn, zone)
    return conn.execute("SELECT section, person_id, acted, acted_at FROM digest_outcomes").fetchall()


def test_an_all_hands_they_both_sat_in_is_not_acting_on_it_and_a_one_to_one_is(tmp_path: Path) -> None:
    crowd = [("Alex Morgan", USER), ("Dana Kim", "dana@globex.com")] + [
        (f"Person {i}", f"p{i}@globex.com") for i in range(28)
    ]
    events = [
        event("all-hands", "All hands", datetime(2026, 11, 23, 10), crowd),  # 30 people: no conversation
        event("one-to-one", "Dana / Alex", datetime(2026, 11, 24, 15), crowd[:2]),
    ]
    assert outcomes_after(tmp_path, dana_history(), events) == [
        ("reconnect", "dana@globex.com", True, datetime(2026, 11, 24, 15)),
    ]  # on main: acted at the all-hands, 23 November


def test_acting_counts_from_the_next_day_in_the_users_time_zone(tmp_path: Path) -> None:
    late_evening = datetime(2026, 11, 21, 6)  # 20 November, 22:00 in Los Angeles: the digest's own day
    next_morning = datetime(2026, 11, 21, 16)  # 21 November, 08:00 there
    messages = [*dana_history(), mail(USER, DANA, late_evening, "Hello", 90), mail(USER, DANA, next_morning, "Coffee?", 91)]
    assert outcomes_after(tmp_path / "utc", messages, []) == [
        ("reconnect", "dana@globex.com", True, late_evening),
    ]
    assert outcomes_after(tmp_path / "la", messages, [], zone="America/Los_Angeles") == [
        ("reconnect", "dana@globex.com", True, next_morning),
    ]  # on main: the late evening, a UTC day
