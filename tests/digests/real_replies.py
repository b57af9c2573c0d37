"""Scoring "Replies you owe" on real mail: Kenneth Lay's Enron folders against the labels in
`real_reply_labels.json`. Shared by test_real_replies.py and by hand runs
(`python -m tests.digests.real_replies`, which also prints every item shown).

The digest is built for the first day each labelled message could be owed (its date plus
`REPLY_OWED_DAYS`); every reply-owed item shown on those days is scored. An item is right when
its message is labelled owed and it quotes the labelled question; an item whose message has no
label counts as wrong, so that the labels cannot silently fall behind the code.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from kith.digests.follow_through import REPLY_OWED_DAYS, reply_owed_items
from kith.flows.syncing import sync_accounts
from kith.models import Settings
from kith.warehouse.queries import interactions_as_of
from kith.warehouse.schema import ensure_schema

LABELS = Path(__file__).with_name("real_reply_labels.json")
FOLDERS = ("inbox", "sent", "family", "elizabeth")
OWNER = ("kenneth.lay@enron.com", "klay@enron.com", "ken.lay@enron.com", "kenneth.lay@enron.net",
         "chairman.ken@enron.com", "rosalee.fleming@enron.com", "tori.wells@enron.com")
_QUOTED = re.compile(r"“(?P<question>.*)”")


@dataclass
class Score:
    """Items shown (right and wrong, each listed) and owed questions never shown."""

    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        shown = len(self.right) + len(self.wrong)
        return len(self.right) / shown if shown else 1.0

    @property
    def recall(self) -> float:
        owed = len(self.right) + len(self.missed)
        return len(self.right) / owed if owed else 1.0


def labels() -> list[dict]:
    return json.loads(LABELS.read_text())["messages"]


def lay_warehouse(corpora: Path, folder: Path) -> tuple[duckdb.DuckDBPyConnection, Settings]:
    """Kenneth Lay's four folders synced into a new warehouse under `folder`."""
    mail = folder / "mail"
    mail.mkdir(parents=True)
    for name in FOLDERS:
        shutil.copy(corpora / "email" / "enron" / "mailboxes" / f"enron.lay-k.{name}.mbox", mail)
    settings = Settings.model_validate({"home": folder / "home", "user": {"name": "Kenneth Lay", "addresses": list(OWNER)},
                                        "accounts": [{"name": "enron", "kind": "mbox", "path": str(mail)}]})
    conn = duckdb.connect(str(folder / "kith.duckdb"))
    ensure_schema(conn)
    sync_accounts(conn, settings)
    return conn, settings


def score(conn: duckdb.DuckDBPyConnection, entries: list[dict]) -> Score:
    """Reply-owed items on the days the labelled messages ripen, against the labels."""
    by_id = {entry["message_id"]: entry for entry in entries}
    sent = dict(conn.execute("SELECT message_id, min(sent_at)::DATE FROM messages WHERE message_id IN "
                             "(SELECT unnest($ids)) GROUP BY 1", {"ids": list(by_id)}).fetchall())
    days = sorted({day + timedelta(days=REPLY_OWED_DAYS) for day in sent.values()})
    shown: dict[str, str] = {}
    for day in days:
        with interactions_as_of(conn, day) as contact:
            for item in reply_owed_items(conn, day, contact=contact):
                (message_id,) = conn.execute("SELECT message_id FROM messages WHERE account = ? AND source_id = ?",
                                             [item.account, item.source_id]).fetchone()
                quoted = _QUOTED.search(item.reason)
                shown.setdefault(message_id, quoted.group("question") if quoted else item.reason)
    result = Score()
    for message_id, question in shown.items():
        entry = by_id.get(message_id)
        line = f"{message_id[:24]} “{question}”"
        if entry and entry["owed"] and entry["question"] and _same(question, entry["question"]):
            result.right.append(line)
        else:
            result.wrong.append(f"{line} <- {entry['why'] if entry else 'not labelled'}")
    for entry in entries:
        if entry["owed"] and entry["question"] and entry["message_id"] not in shown:
            result.missed.append(f"{entry['message_id'][:24]} “{entry['question']}”")
    return result


def _same(shown: str, labelled: str) -> bool:
    """The question shown is the labelled one (a long one may end in "…" where it was cut)."""
    labelled = " ".join(labelled.split())
    return shown == labelled or (shown.endswith("…") and labelled.startswith(shown[:-1]))


if __name__ == "__main__":  # python -m tests.digests.real_replies
    import os
    import tempfile

    corpora = Path(os.environ.get("KITH_CORPORA", Path(__file__).resolve().parents[3] / "shared" / "corpora"))
    with tempfile.TemporaryDirectory() as folder:
        conn, _ = lay_warehouse(corpora, Path(folder))
        result = score(conn, labels())
    print(f"replies owed: precision {result.precision:.2f} recall {result.recall:.2f} "
          f"(right {len(result.right)}, wrong {len(result.wrong)}, missed {len(result.missed)})")
    for kind, lines in (("RIGHT", result.right), ("WRONG", result.wrong), ("MISSED", result.missed)):
        for line in lines:
            print(" ", kind, line)
