"""Scoring `digests.announcements` and `digests.name_match` on the real labelled set
(`real_news_labels.json`): shared by test_real_news.py and by hand runs (`python -m`)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kith.connectors.mailfiles import split_mbox
from kith.connectors.mailparse import parse_message
from kith.digests.announcements import find_news
from kith.digests.name_match import Directory, Known, address_key, display_name, name_key, same_first
from kith.models import Message

LABELS = Path(__file__).with_name("real_news_labels.json")
# The owner of each labelled mailbox: the user whose digest it would be.
OWNERS = {
    "lay-k": ("kenneth.lay@enron.com", "klay@enron.com", "ken.lay@enron.com", "kenneth.lay@enron.net",
              "chairman.ken@enron.com", "rosalee.fleming@enron.com", "tori.wells@enron.com"),
    "kaminski-v": ("vince.kaminski@enron.com", "j.kaminski@enron.com", "vkaminski@aol.com", "vkamins@enron.com"),
    "allen-p": ("phillip.allen@enron.com", "pallen@enron.com"),
    "beck-s": ("sally.beck@enron.com",),
}


@dataclass
class Score:
    """Counts over named people: found and right, found and wrong, labelled and missed."""

    right: int = 0
    wrong: int = 0
    missed: int = 0
    wrong_items: list[str] = field(default_factory=list)
    missed_items: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0


def labels() -> list[dict]:
    return json.loads(LABELS.read_text())["messages"]


def load_messages(corpora: Path, files: set[str]) -> dict[str, list[Message]]:
    """Every message of each labelled file, parsed as kith parses it (bodies included)."""
    out = {}
    for name in sorted(files):
        messages = []
        for _, _, raw in split_mbox(corpora / name, 0):
            try:
                messages.append(parse_message(raw, account="real", stream=name, with_body=True))
            except ValueError:
                continue
        out[name] = messages
    return out


def owner_of(file: str) -> tuple[str, ...]:
    return next((addresses for box, addresses in OWNERS.items() if f".{box}." in file), ())


def directory_for(messages: list[Message], user: tuple[str, ...]) -> Directory:
    """Known people of one mailbox: every address in its headers with the name given for it
    (display name, or the X-From name); each address is its own person."""
    known = []
    for message in messages:
        if message.sender is not None:
            known.append(Known(message.sender.email, message.sender.email,
                               message.sender.name or display_name(message.x_from)))
        for address in (*message.to, *message.cc):
            known.append(Known(address.email, address.email, address.name))
    return Directory(known, user)


def same_person(found: str, labelled: str) -> bool:
    """Whether a name found and a name labelled are written for the same person."""
    a, b = name_key(found), name_key(labelled)
    if a and b:
        return a[1] == b[1] and same_first(a[0], b[0])
    words_a, words_b = found.lower().replace(".", "").split(), labelled.lower().replace(".", "").split()
    return bool(words_a and words_b) and (words_a[-1] == words_b[-1] or words_a[0] == words_b[0])


def score(entries: list[dict], messages: dict[str, list[Message]]) -> tuple[Score, Score]:
    """(detection, resolution) scores over the labelled messages.

    Detection counts every name found against the names labelled (names in a message's
    `ignore` list count neither way). Resolution counts only people the mailbox knows: a
    labelled person counts when the resolver's answer for the labelled name is a known person,
    and a found item counts when it resolves; it is right when both are the same person.
    """
    detection, resolution = Score(), Score()
    by_id = {(file, m.message_id): m for file, ms in messages.items() for m in ms}
    directories = {file: directory_for(ms, owner_of(file)) for file, ms in messages.items()}
    for entry in entries:
        message = by_id[(entry["file"], entry["message_id"])]
        directory = directories[entry["file"]]
        sender_name = message.sender.name or display_name(message.x_from)
        items = find_news(message.subject, message.body_text, sender_name)
        labelled = [name for name, _ in entry["news"]]
        ignored = entry.get("ignore", [])
        where = f"{entry['file'].rsplit('/', 1)[-1]} {entry['message_id'][:14]}"
        matched = set()
        for item in items:
            shown = item.name or f"<author of {message.sender.email}>"
            hit = next((name for name in labelled if item.name and same_person(item.name, name)), None)
            if hit is None and item.author_news and item.from_sender:
                own = sender_name or " ".join(address_key(message.sender.email) or ())
                hit = next((name for name in labelled if own and same_person(own, name)), None)
            if hit is not None:
                detection.right += hit not in matched
                matched.add(hit)
            elif not any(item.name and same_person(item.name, name) for name in ignored):
                detection.wrong += 1
                detection.wrong_items.append(f"{where}: {shown} ({item.kind}) <- {item.evidence}")
        for name in labelled:
            if name not in matched:
                detection.missed += 1
                detection.missed_items.append(f"{where}: {name}")
        _score_resolution(resolution, entry, message, directory, items, where)
    return detection, resolution


def _score_resolution(resolution: Score, entry: dict, message: Message, directory: Directory,
                      items: list, where: str) -> None:
    expected = {directory.resolve(name) for name, _ in entry["news"]} - {None}
    ignored = {directory.resolve(name) for name in entry.get("ignore", [])} - {None}
    got = Counter()
    for item in items:
        person = directory.resolve(item.name, sender=message.sender.email,
                                   about_sender=item.author_news and item.from_sender)
        if person is not None:
            got[person] += 1
    for person in got:
        if person in expected:
            resolution.right += 1
        elif person not in ignored:
            resolution.wrong += 1
            resolution.wrong_items.append(f"{where}: {person}")
    for person in expected - set(got):
        resolution.missed += 1
        resolution.missed_items.append(f"{where}: {person}")


# Labels name kinds as people say them; signals store a few kinds (digests.signals.NEWS_KINDS).
SIGNAL_KIND = {"joined": "new_role", "anniversary": "work_anniversary"}


def kinds(entries: list[dict], messages: dict[str, list[Message]]) -> Score:
    """Whether the kind found (as a signal stores it) is the kind labelled, for each labelled
    person the detector found: `right` agree, `wrong` disagree (listed); `missed` is unused."""
    by_id = {(file, m.message_id): m for file, ms in messages.items() for m in ms}
    result = Score()
    for entry in entries:
        message = by_id[(entry["file"], entry["message_id"])]
        sender_name = message.sender.name or display_name(message.x_from)
        items = find_news(message.subject, message.body_text, sender_name)
        for name, kind in entry["news"]:
            item = next((i for i in items if i.name and same_person(i.name, name)), None)
            if item is None and sender_name and same_person(sender_name, name):
                item = next((i for i in items if i.author_news and i.from_sender), None)
            if item is None:
                continue
            found, labelled = SIGNAL_KIND.get(item.kind, item.kind), SIGNAL_KIND.get(kind, kind)
            if found == labelled:
                result.right += 1
            else:
                result.wrong += 1
                result.wrong_items.append(f"{name}: labelled {labelled}, found {found} <- {item.evidence}")
    return result


if __name__ == "__main__":  # python -m tests.digests.real_news [tuned|held_out]
    import os
    import sys

    part = sys.argv[1] if len(sys.argv) > 1 else "tuned"
    corpora = Path(os.environ.get("KITH_CORPORA", Path(__file__).resolve().parents[3] / "shared" / "corpora"))
    chosen = [e for e in labels() if e["part"] == part]
    loaded = load_messages(corpora, {e["file"] for e in chosen})
    found, resolved = score(chosen, loaded)
    for title, result in (("detection", found), ("resolution", resolved), ("kind", kinds(chosen, loaded))):
        print(f"{part} {title}: precision {result.precision:.2f} recall {result.recall:.2f} "
              f"(right {result.right}, wrong {result.wrong}, missed {result.missed})")
        for line in result.wrong_items:
            print("  WRONG", line)
        for line in result.missed_items:
            print("  MISSED", line)
