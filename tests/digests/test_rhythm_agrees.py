"""`kith person` (the `relationships` view) and the digest's reconnect ranking show one rhythm: the
typical gap `kith person` prints is the one the digest says "You usually talk every ..." with, and
it is unknown exactly where the digest has only one conversation to go by."""

from datetime import date, timedelta

import pytest

from kith.digests.reconnect import reconnect_candidates
from kith.warehouse.overrides import person_history

# A network dated well before any day the suite runs on (faketime included): `relationships` is
# as of now, so everything generated, meetings ahead of TODAY too, is in the past for it.
TODAY = date(2025, 3, 3)


@pytest.mark.slow
def test_kith_person_and_reconnect_show_the_same_typical_gap_for_everyone(tmp_path):
    from kith.flows.evaluation import sync_generated_network

    conn, _settings, _truth = sync_generated_network(tmp_path, 2, TODAY)
    # Years later every two-way contact is overdue, so the uncapped ranking holds them all but the
    # few the guard on ignored messages keeps out; the rhythm depends on the history alone.
    later = TODAY + timedelta(days=3 * 365)
    candidates = reconnect_candidates(conn, later)
    two_way = [row[0] for row in conn.execute("SELECT person_id FROM relationships WHERE two_way").fetchall()]
    assert len(candidates) >= 0.8 * len(two_way) > 50
    # What `kith person` prints is the person's `relationships` row (person_history reads it).
    typical_gap = dict(conn.execute("SELECT person_id, typical_gap_days FROM relationships").fetchall())
    shown = {c.person_id: typical_gap[c.person_id] for c in candidates}
    used = {c.person_id: c.gap_days if c.basis in ("usual", "twice") else None for c in candidates}
    assert shown == used
    for c in candidates[:3]:
        assert person_history(conn, c.person_id)[0]["typical_gap_days"] == used[c.person_id]
    assert sum(gap is not None for gap in used.values()) > 30  # most have a learned rhythm
