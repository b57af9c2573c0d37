"""A small mailbox written by a test, synced into a new warehouse, and its digest for a day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from kith.digests.build import build_digest
from kith.digests.items import Digest
from kith.flows.syncing import sync_accounts
from kith.models import Settings
from kith.warehouse.schema import ensure_schema

USER_NAME = "Alex Morgan"
USER_ADDRESS = "alex.morgan@acme.com"


def mailbox_digest(tmp_path: Path, mbox_text: str, day: date) -> Digest:
    """The digest of `day` for a user (Alex Morgan) whose one mbox holds `mbox_text`."""
    (tmp_path / "mail.mbox").write_text(mbox_text)
    settings = Settings.model_validate({"home": tmp_path / "home", "user": {"name": USER_NAME, "addresses": [USER_ADDRESS]},
                                        "accounts": [{"name": "mail", "kind": "mbox", "path": str(tmp_path / "mail.mbox")}]})
    conn = duckdb.connect(str(tmp_path / "kith.duckdb"))
    ensure_schema(conn)
    sync_accounts(conn, settings)
    return build_digest(conn, settings, day)
