"""People's names as mail headers write them, turned into the form people write them in.

The one home of that rule: the warehouse chooses each person's display name with it
(`warehouse/sql/people.sql`), and the digest reads names in memos and quotes with it
(`digests.name_match`).
"""

from __future__ import annotations

import re

_AT_TAIL = re.compile(r"@[\w.-]+$")  # "...@ENRON" after a Lotus or quoted name
_LOTUS_TAIL = re.compile(r"/[\w./-]*$")  # "/HOU/ECT"
# an address or a note beside the name: <x@y>, [mailto:x@y], (E-mail), Exchange's escaped "\(E-mail\)"
_ADDRESS = re.compile(r"\\?\([^)]*\)|<[^>]*>|\[mailto:[^\]]*\]|\S+@\S+")
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "md", "phd"})


def display_name(raw: str | None) -> str | None:
    """A header's name as people write it: '"Balson, William" <w@x>@ENRON' -> 'William Balson',
    'Cook, Lodwrick' -> 'Lodwrick Cook', 'Vince J Kaminski/HOU/ECT@ECT' -> 'Vince J Kaminski',
    'Mark K. Lay \\(E-mail\\)' -> 'Mark K. Lay'; None when no name is left."""
    if not raw or ("@" in raw and " " not in raw.strip()):
        return None
    name = _LOTUS_TAIL.sub("", _AT_TAIL.sub("", raw.strip()))
    name = _ADDRESS.sub(" ", name).strip().strip("\"'").strip()
    if "," in name:
        last, _, first = name.partition(",")
        if first.strip() and first.strip().split()[0].lower().strip(".") not in SUFFIXES:
            name = f"{first.strip()} {last.strip()}"
    name = " ".join(name.split())
    return name if any(c.isalpha() for c in name) and "@" not in name else None
