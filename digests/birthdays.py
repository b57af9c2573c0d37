"""Birthdays named in a calendar event's title: "Dana's birthday", "Birthday: Dana Kim", "Bday Sam".

People keep birthdays as yearly events of their own, titled with the name and nothing else that
says whose they are. `birthday_name` reads the name from the title in the forms people write
(English, and the common German, French, Spanish, Italian and Dutch ones); the digest then resolves
it to one known person by name (`digests.name_match`; a first name alone only when one known
person has it, never the user), so a name nobody or several people share yields nothing.
"""

from __future__ import annotations

import re

# What a title calls a birthday, in the languages whose forms are cheap to recognise.
_WORD = (
    r"(?:birthday|b-?day|geburtstag|anniversaire|cumplea[ñn]os|compleanno|verjaardag|f[ée]dselsdag|"
    r"f[öo]delsedag|syntym[äa]p[äa]iv[äa])"
)
_AGE = r"(?:\d{1,3}(?:st|nd|rd|th|\.)?\s+)?"  # "Dana's 40th birthday", "Danas 40. Geburtstag"
_TITLE_FORMS = (
    # "Dana's birthday", "James' birthday", "Dana’s Bday", "Dana's Geburtstag"
    re.compile(rf"^(?P<name>.+?)\s*['’]s?\s+{_AGE}{_WORD}$", re.IGNORECASE),
    # "Birthday: Dana Kim", "Birthday - Dana", "Bday Sam", "Happy birthday Sam", "Birthday of Dana",
    # "Geburtstag von Dana", "Anniversaire de Dana", "Anniversaire d'Alix", "Cumpleaños de Ana"
    re.compile(
        rf"^(?:happy\s+)?{_WORD}\b(?:\s+(?:of|for|to|von|de|du|di|van)\b|\s+d['’])?\s*[:\-–—]?\s*(?P<name>.+)$",
        re.IGNORECASE,
    ),
    # "Dana Kim - Birthday", "Dana Kim: birthday", "Dana Geburtstag"
    re.compile(rf"^(?P<name>.+?)\s*[:\-–—]?\s+{_AGE}{_WORD}$", re.IGNORECASE),
)
# A substring of every word above: most titles are rejected by this test alone.
_STEMS = ("birth", "day", "geburt", "anniv", "cumple", "complea", "verjaard", "dselsdag", "delsedag", "syntym")
# Around the title: emoji and punctuation ("🎂 Dana's birthday!"), an age or a year in brackets
# ("(40)", "(1985)"), which say nothing about whose birthday it is.
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
# A name is a few words of letters (with hyphens, apostrophes, initials' dots), not a sentence.
_NAME = re.compile(r"^[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,3}$")
# Words that are not a person's name where one is expected ("Birthday party", "Birthday lunch").
_NOT_NAMES = frozenset({
    "party", "lunch", "dinner", "drinks", "cake", "celebration", "card", "gift", "present", "reminder",
    "my", "mine", "our", "your", "his", "her", "their", "team", "office", "company", "mom", "mum", "dad",
    "feier", "fête", "fete", "mariage", "wedding",
})


def birthday_name(title: str | None) -> str | None:
    """The name of the person whose birthday `title` announces, as written ("Dana",
    "Dana Kim"); None when the title is not a birthday or names no one."""
    lowered = (title or "").lower()
    if not any(stem in lowered for stem in _STEMS):
        return None
    text = _EDGES.sub("", _BRACKETS.sub(" ", title or "")).strip()
    text = " ".join(text.split())
    if not text or len(text) > 80:
        return None
    for form in _TITLE_FORMS:
        match = form.match(text)
        if match is None:
            continue
        name = _EDGES.sub("", match.group("name")).strip()
        if _NAME.match(name) and not any(word.lower() in _NOT_NAMES for word in name.split()):
            return name
        return None
    return None
