"""Replies owed on real mail: Kenneth Lay's Enron folders against labels written by reading
(`real_reply_labels.json`; scoring in real_replies.py). On main, 2 of 102 items shown were right
(fragments, questions put to others, cold senders' pitches); the goal is precision >= 0.9."""

import pytest

from real_replies import labels, lay_warehouse, score


@pytest.mark.slow
def test_replies_owed_on_a_real_ceo_mailbox(corpora, tmp_path):
    conn, _ = lay_warehouse(corpora, tmp_path)
    result = score(conn, labels())
    assert (result.wrong, result.missed) == ([], [])
    assert (len(result.right), result.precision, result.recall) == (10, 1.0, 1.0)
