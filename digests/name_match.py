"""A person named in text, resolved to a known person by name or address.

Names come in the forms mail headers and memos write them: "First Last", "First M. Last",
"Last, First M." (Exchange), "First Last/HOU/ECT@ECT" (Lotus Notes), "Dr. First Last, Jr.",
quoted or with an address attached. `name_key` reduces each to (first, last); `Directory`
matches a key to known people, with the usual nicknames ("Jim" for "James"), and refuses when the
name is ambiguous, is the user's, or belongs to the sender of news that is not theirs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kith.models.names import SUFFIXES, display_name  # the one rule for a name as people write it

_HONORIFIC = {"dr", "mr", "mrs", "ms", "prof", "sir"}
_SUFFIX = SUFFIXES
_PARTICLES = {"de", "van", "von", "da", "del", "della", "la", "le", "du", "bin", "al"}

# Usual nicknames and the given names they stand for (both ways when matching).
NICKNAMES = {
    "al": "albert", "alex": "alexander", "andy": "andrew", "ben": "benjamin", "bill": "william",
    "billy": "william", "bob": "robert", "bobby": "robert", "cathy": "catherine", "chris": "christopher",
    "cindy": "cynthia", "dan": "daniel", "danny": "daniel", "dave": "david", "dick": "richard",
    "don": "donald", "doug": "douglas", "ed": "edward", "fred": "frederick", "greg": "gregory",
    "jeff": "jeffrey", "jerry": "gerald", "jim": "james", "jimmy": "james", "joe": "joseph",
    "ken": "kenneth", "kathy": "katherine", "kate": "katherine", "larry": "lawrence", "liz": "elizabeth",
    "matt": "matthew", "mike": "michael", "nick": "nicholas", "pat": "patrick", "pete": "peter",
    "phil": "phillip", "ray": "raymond", "rich": "richard", "rick": "richard", "rob": "robert",
    "ron": "ronald", "sam": "samuel", "stan": "stanley", "steve": "steven", "sue": "susan",
    "ted": "edward", "tim": "timothy", "tom": "thomas", "tony": "anthony", "vince": "vincent",
}
_SAME_GIVEN = {("steven", "stephen"), ("phillip", "philip"), ("jeffrey", "geoffrey")}


def name_key(raw: str | None) -> tuple[str, str] | None:
    """(first, last) of a person's name in any of its written forms, lower-cased and without
    accents, middle names or initials; None for a single word or no name."""
    words = _name_words(raw)
    if len(words) < 2:
        return None
    last = words[-1]
    if len(words) >= 3 and words[-2] in _PARTICLES:
        last = f"{words[-2]} {last}"
    first = words[0]
    if len(first) == 1 and len(words) >= 3:  # "J. Mark Smith" goes by the middle name
        first = words[1]
    return first, last


def first_name_key(raw: str | None) -> str | None:
    """A name written as one given name alone ("Dana", "Dr. Dana"), lower-cased and without
    accents; None for a full name or no name."""
    words = _name_words(raw)
    return words[0] if len(words) == 1 and len(words[0]) >= 2 and words[0].isalpha() else None


def _name_words(raw: str | None) -> list[str]:
    """The words of a person's name as `display_name` reads it, lower-cased and without accents,
    honorifics ("Dr.") or suffixes ("Jr")."""
    name = display_name(raw)
    if not name:
        return []
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w.strip(".'’\"") for w in re.split(r"[\s,]+", name) if w.strip(".'’\"")]
    words = [w for w in words if w not in _SUFFIX]
    while words and words[0] in _HONORIFIC:
        words.pop(0)
    return words


def address_key(address: str) -> tuple[str, str] | None:
    """(first, last) from an address like first.last@ or first_m_last@; None otherwise."""
    local = address.lower().partition("@")[0]
    parts = [p for p in re.split(r"[._]", local) if p]
    if len(parts) < 2 or not all(p.isalpha() for p in parts) or len(parts[0]) < 2 or len(parts[-1]) < 2:
        return None
    return parts[0], parts[-1]


def same_first(a: str, b: str) -> bool:
    """Whether two given names may be the same person's ("Jim" and "James")."""
    if a == b:
        return True
    a_full, b_full = NICKNAMES.get(a, a), NICKNAMES.get(b, b)
    return a_full == b_full or (a_full, b_full) in _SAME_GIVEN or (b_full, a_full) in _SAME_GIVEN


@dataclass(frozen=True)
class Known:
    """A known person: `person` is their id (several addresses may share one), with one of
    their addresses and a name headers or calendars give for them (None when none)."""

    person: str
    address: str
    name: str | None = None


class Directory:
    """Known people by name and address, for resolving names found in mail."""

    def __init__(self, known: Iterable[Known], user_addresses: Iterable[str] = ()):
        self._user_addresses = frozenset(a.lower() for a in user_addresses)
        self._by_address: dict[str, str] = {}
        self._by_last: dict[str, list[tuple[str, str]]] = {}  # last -> [(first, person)]
        self._user_people: set[str] = set()
        self._by_first: dict[str, set[str]] = {}  # given name -> people (the user's among them)
        for entry in known:
            address = entry.address.lower()
            self._by_address.setdefault(address, entry.person)
            if address in self._user_addresses:
                self._user_people.add(entry.person)
            for key in {name_key(entry.name), address_key(address)} - {None}:
                pairs = self._by_last.setdefault(key[1], [])
                if (key[0], entry.person) not in pairs:
                    pairs.append((key[0], entry.person))
                self._by_first.setdefault(key[0], set()).add(entry.person)
            if first := first_name_key(entry.name):  # a calendar may give a given name alone
                self._by_first.setdefault(first, set()).add(entry.person)

    def resolve(self, name: str | None, *, address: str | None = None, sender: str | None = None,
                about_sender: bool = False, first_name_alone: bool = False) -> str | None:
        """The one known person `name` (or `address`, when the news gives one) stands for.

        None when nobody or more than one person matches, or when the match is the user. News
        is about the sender (`sender`, an address) only when it is their own (`about_sender`,
        first-person news in their new text) or names them: an announcement is never filed
        under whoever sent it for want of a name. A given name alone ("Dana") stands for someone
        only with `first_name_alone` (a birthday event's title) and when one known person has it,
        the user counted: "Alex's birthday" is nobody's when the user is an Alex too.
        """
        if about_sender and sender:
            address = sender
        person = self._by_address.get(address.lower()) if address else None
        if person is None:
            person = self._by_name(name)
        if person is None and first_name_alone:
            person = self._by_first_name(name)
        if person is None or person in self._user_people:
            return None
        return person

    def _by_name(self, name: str | None) -> str | None:
        key = name_key(name)
        if key is None:
            return None
        first, last = key
        people = {person for known_first, person in self._by_last.get(last, ()) if same_first(first, known_first)}
        return next(iter(people)) if len(people) == 1 else None

    def _by_first_name(self, name: str | None) -> str | None:
        first = first_name_key(name)
        if first is None:
            return None
        people = {person for known, found in self._by_first.items() if same_first(first, known) for person in found}
        return next(iter(people)) if len(people) == 1 else None
