"""Digests on real mailboxes: Phillip Allen's Enron sent mail and inbox as one mbox account, and
Kenneth Lay's four folders (tests/digests/real_replies.py)."""

import shutil
from datetime import date

import duckdb
import pytest

from kith.digests.build import build_digest
from kith.flows.syncing import sync_accounts
from kith.models import Settings
from kith.warehouse.schema import ensure_schema

OWNER = "phillip.allen@enron.com"
FILES = ("enron.allen-p._sent_mail.mbox", "enron.allen-p.inbox.mbox")


@pytest.mark.slow
def test_enron_digest_has_no_automated_senders_nor_the_owner(corpora, tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    for name in FILES:
        shutil.copy(corpora / "email" / "enron" / "mailboxes" / name, folder / name)
    settings = Settings.model_validate({"home": tmp_path / "home", "user": {"name": "Phillip Allen", "addresses": [OWNER]},
                                        "accounts": [{"name": "enron", "kind": "mbox", "path": str(folder)}]})
    conn = duckdb.connect(str(tmp_path / "kith.duckdb"))
    ensure_schema(conn)
    sync_accounts(conn, settings)
    digest = build_digest(conn, settings, date(2001, 5, 15))
    people = [item.person_id for item in digest.items]
    automated = {row[0] for row in conn.execute("SELECT person_id FROM people WHERE is_automated OR is_self").fetchall()}
    own = {row[0] for row in conn.execute("SELECT person_id FROM identities WHERE evidence = 'user'").fetchall()}
    assert not set(people) & automated
    assert not set(people) & own
    assert OWNER not in {item.address for item in digest.items}
    assert {s: len(digest.section(s)) for s in ("reconnect", "congratulate", "reply_owed", "awaiting_reply",
                                                 "promise", "new_person")} == PINNED
    assert len(digest.items) == sum(PINNED.values())


PINNED = {"reconnect": 0, "congratulate": 0, "reply_owed": 0, "awaiting_reply": 5, "promise": 1, "new_person": 0}


@pytest.mark.slow
def test_reconnect_on_kenneth_lays_mail(corpora, tmp_path):
    # Lay's four folders on 1 June 2001: two people with a usual rhythm gone quiet for months, the
    # figure the README gives for real mail.
    from real_replies import lay_warehouse

    conn, settings = lay_warehouse(corpora, tmp_path)
    digest = build_digest(conn, settings, date(2001, 6, 1))
    assert [(item.name, item.address, item.reason, item.last_interaction) for item in digest.section("reconnect")] == [
        ("Elizabeth Lay", "lizard_ar@yahoo.com", "You usually talk every 4 weeks; it has been 7 months.",
         "Email “Re: Get out the Vote” on 6 Nov 2000"),
        ("Sally Keepers", "sally.keepers@enron.com", "You usually talk every 5 weeks; it has been 8 months.",
         "Email “nCUBE, Corp.” on 27 Sep 2000"),
    ]
