"""Congratulations on real mail: the detector and resolver against labels written by reading
Enron mailboxes (tests/digests/real_news_labels.json; issue 10, acceptance 2)."""

import pytest

from real_news import kinds, labels, load_messages, score

LABELLED = labels()


@pytest.fixture(scope="module")
def messages(corpora):
    return load_messages(corpora, {entry["file"] for entry in LABELLED})


def test_the_labelled_set_is_large_enough_and_split():
    news = [item for entry in LABELLED for item in entry["news"]]
    negatives = [entry for entry in LABELLED if not entry["news"]]
    held_out = [item for entry in LABELLED if entry["part"] == "held_out" for item in entry["news"]]
    assert (len(news) >= 60, len(negatives) >= 30, len(held_out) >= len(news) // 3) == (True, True, True)


@pytest.mark.parametrize("part", ["tuned", "held_out"])
def test_news_about_known_people_is_found_and_resolved(messages, part):
    found, resolved = score([e for e in LABELLED if e["part"] == part], messages)
    print(f"\n{part}: detection precision {found.precision:.2f} recall {found.recall:.2f} "
          f"({found.right} right, {found.wrong} wrong, {found.missed} missed); "
          f"known people precision {resolved.precision:.2f} recall {resolved.recall:.2f} "
          f"({resolved.right} right, {resolved.wrong} wrong, {resolved.missed} missed)")
    assert (resolved.precision >= 0.9, resolved.recall >= 0.8) == (True, True), (resolved.wrong_items, resolved.missed_items)
    assert (found.precision >= 0.9, found.recall >= 0.8) == (True, True), (found.wrong_items, found.missed_items)


def test_the_kind_of_news_found_is_the_kind_labelled(messages):
    kind = kinds(LABELLED, messages)
    print(f"\nkind agrees for {kind.right} of {kind.right + kind.wrong} people found")
    assert kind.precision >= 0.9, kind.wrong_items
