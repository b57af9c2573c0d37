"""Gmail through the real googleapiclient against the loopback fake: first sync, history,
expiry, rate limits inside batches, and what is left out."""

from __future__ import annotations

import json
from datetime import datetime

from google_world import ADDRESS, mail_headers
from kith.connectors.google.gmail import METADATA_HEADERS
from kith.flows.syncing import sync_accounts
from kith.warehouse import open_warehouse

SELECT_MESSAGES = ("SELECT source_id, message_id, thread_id, subject, sent_at, from_address, folder, link "
                   "FROM messages ORDER BY sent_at")


def row(fake, gid: str, n: int, *, sender: str = "ann@example.com", folder: str = "INBOX", prefix: str = "g") -> tuple:
    thread = fake.messages[gid].thread_id if gid in fake.messages else gid
    return (gid, f"<{prefix}-{n}@kith.test>", thread, f"{prefix} message {n}", datetime(2024, 1, 1, 9 + n), sender,
            folder, f"https://mail.google.com/mail/?authuser={ADDRESS}#all/{thread}")


def cursor(google) -> dict:
    return json.loads(google.query("SELECT cursor FROM sync_state WHERE stream = 'gmail'")[0][0])


def test_first_sync_pages_and_batches_every_message_once(google):
    fake = google.fake
    fake.page_size_limit = 4  # 11 messages: three list pages, each got in batches
    ids = [fake.add_message(mail_headers(n), record=False) for n in range(11)]
    sent = fake.add_message(mail_headers(11, sender=f"Alex <{ADDRESS}>", to="Ann <ann@example.com>"), labels=["SENT"], record=False)
    profile_history = fake.history_id

    reports = google.sync(google.settings(google.account(calendars=[])))

    assert [(r.stream, r.messages, r.skipped, r.error) for r in reports] == [("gmail", 12, 0, None)]
    expected = [row(fake, gid, n) for n, gid in enumerate(ids)] + [row(fake, sent, 11, sender=ADDRESS, folder="SENT")]
    assert google.query(SELECT_MESSAGES) == expected
    assert cursor(google) == {"history_id": str(profile_history)}
    assert fake.calls["list"] == 3
    assert fake.calls["profile"] == 1


def test_metadata_get_asks_only_for_kept_headers_and_bodies_only_for_person_to_person_mail(google):
    fake = google.fake
    personal = fake.add_message(mail_headers(1), body="Congrats on the new role!", record=False)
    bulk = fake.add_message({**mail_headers(2), "List-Unsubscribe": "<mailto:u@news.example>"}, body="Sale", record=False)
    google.sync(google.settings(google.account(calendars=[])))
    assert fake.calls["get"] == 3  # two in metadata, one more in full for the personal message
    assert "CONTENT-TYPE" not in METADATA_HEADERS and "MESSAGE-ID" in METADATA_HEADERS
    assert google.query("SELECT source_id FROM messages ORDER BY source_id") == [(personal,), (bulk,)]


def test_incremental_sync_reads_history_adds_deletes_and_label_changes(google):
    fake = google.fake
    first = [fake.add_message(mail_headers(n), record=False) for n in range(4)]
    settings = google.settings(google.account(calendars=[]))
    google.sync(settings)
    before = cursor(google)["history_id"]

    added = fake.add_message(mail_headers(5))
    fake.delete_message(first[0])
    fake.change_labels(first[1], add=["TRASH"], remove=["INBOX"])  # moved to the bin: left out
    fake.change_labels(first[2], add=["SENT"])  # relabelled: stored again with its new folder
    fake.history_page_size = 2  # four records: two history pages

    reports = google.sync(settings)

    assert [(r.stream, r.messages, r.error) for r in reports] == [("gmail", 2, None)]
    assert google.query(SELECT_MESSAGES) == [
        row(fake, first[2], 2, folder="SENT"), row(fake, first[3], 3), row(fake, added, 5),
    ]
    assert int(cursor(google)["history_id"]) == fake.history_id > int(before)
    assert fake.calls["history"] == 2
    assert fake.calls["list"] == 1  # no second listing: history did the work

    reports = google.sync(settings)  # nothing new: one history call, nothing stored
    assert [(r.messages, r.batches) for r in reports] == [(0, 0)]
    assert fake.calls["history"] == 3


def test_expired_history_id_resyncs_the_mailbox(google):
    fake = google.fake
    ids = [fake.add_message(mail_headers(n), record=False) for n in range(3)]
    settings = google.settings(google.account(calendars=[]))
    google.sync(settings)
    later = fake.add_message(mail_headers(3))
    fake.delete_message(ids[0])
    fake.expire_history()  # the stored historyId is now older than what Gmail keeps: 404

    reports = google.sync(settings)

    assert [(r.stream, r.resynced, r.messages, r.error) for r in reports] == [("gmail", True, 3, None)]
    assert google.query(SELECT_MESSAGES) == [row(fake, ids[1], 1), row(fake, ids[2], 2), row(fake, later, 3)]
    assert cursor(google) == {"history_id": str(fake.history_id)}


def test_rate_limits_inside_batches_lose_and_duplicate_nothing(google):
    fake = google.fake
    ids = [fake.add_message(mail_headers(n), record=False) for n in range(8)]
    fake.inject("get", 429, "rateLimitExceeded", match=ids[2])
    fake.inject("get", 403, "userRateLimitExceeded", match=ids[5], times=2)
    fake.inject("get", 503, "backendError", match=ids[7])
    fake.inject("batch", 429, times=1)  # the first batch request refused whole
    fake.inject("list", 429, "rateLimitExceeded")

    reports = google.sync(google.settings(google.account(calendars=[], batch_size=3)))

    assert [(r.messages, r.error) for r in reports] == [(8, None)]
    assert google.query(SELECT_MESSAGES) == [row(fake, gid, n) for n, gid in enumerate(ids)]
    assert google.query("SELECT count(*), count(DISTINCT source_id) FROM messages") == [(8, 8)]
    assert all(f.remaining == 0 for f in fake.faults)


def test_spam_trash_and_drafts_are_left_out(google):
    fake = google.fake
    kept = fake.add_message(mail_headers(1), record=False)
    fake.add_message(mail_headers(2), labels=["SPAM"], record=False)
    fake.add_message(mail_headers(3), labels=["TRASH"], record=False)
    fake.add_message(mail_headers(4), labels=["DRAFT"], record=False)
    google.sync(google.settings(google.account(calendars=[])))
    assert google.query("SELECT source_id FROM messages") == [(kept,)]
    assert google.query("SELECT count(*) FROM skipped_records") == [(0,)]


def test_a_first_sync_reports_done_of_the_total_gmail_gives(google, caplog):
    fake = google.fake
    fake.page_size_limit = 5
    for n in range(10):
        fake.add_message(mail_headers(n), record=False)
    seen = []
    with open_warehouse(google.home / "kith.duckdb") as warehouse, caplog.at_level("INFO", logger="kith.sync"):
        sync_accounts(warehouse.conn, google.settings(google.account(calendars=[])),
                      on_batch=lambda batch: seen.append((len(batch), batch.total)))
    assert seen == [(5, 10), (5, 10)]
    assert [r.getMessage() for r in caplog.records if "records" in r.getMessage()] == [
        "google gmail: 5 of 10 records (50%)", "google gmail: 10 of 10 records (100%)"]
