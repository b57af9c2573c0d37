"""A digest on a real mailbox: Phillip Allen's Enron sent mail and inbox as one mbox account."""

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
