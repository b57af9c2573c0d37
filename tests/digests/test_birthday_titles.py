"""Birthdays kept as the user's own yearly events, named only in the title (issue 10, item 2):
"Dana's birthday" on the digest day congratulates Dana; a first name two contacts share, the
user's own first name, and a name nobody known has congratulate nobody."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kith.digests.birthdays import birthday_name
from kith.digests.render import render_text
from tests.digests.calendar_world import USER, build, event, mail

DAY = date(2026, 11, 26)
DANA, KIM = "Dana Whitfield <dana.whitfield@acme.com>", "Kim Nguyen <kim.nguyen@acme.com>"
SAM_ORTIZ, SAM_LEE = "Sam Ortiz <sam.ortiz@acme.com>", "Sam Lee <sam.lee@acme.com>"
ALEX_CHEN = "Alex Chen <alex.chen@acme.com>"


def history() -> list[str]:
    """A short exchange with each colleague this month: they are known contacts."""
    out = []
    for number, person in enumerate((DANA, KIM, SAM_ORTIZ, SAM_LEE, ALEX_CHEN)):
        out.append(mail(f"Alex Morgan <{USER}>", person, datetime(2026, 11, 16, 10), "Catching up", 100 + number))
        out.append(mail(person, f"Alex Morgan <{USER}>", datetime(2026, 11, 17, 10), "Re: Catching up", 200 + number))
    return out


def birthdays(*titles: str) -> list[str]:
    """Yearly all-day events with these titles, first held on the digest day's date in 2019."""
    return [event(f"bday-{n}@example.com", title, date(2019, 11, 26), yearly=True) for n, title in enumerate(titles)]


def congratulate_section(digest) -> str:
    blocks = render_text(digest).split("\n\n")
    if "CONGRATULATE\n------------" not in blocks:
        return ""
    start = blocks.index("CONGRATULATE\n------------")
    end = start + 1
    while end < len(blocks) and blocks[end].startswith("* "):
        end += 1
    return "\n\n".join(blocks[start:end])


def test_a_yearly_event_titled_with_a_contacts_birthday_congratulates_them_on_the_day(tmp_path):
    digest, _ = build(tmp_path, history(), birthdays("Dana's birthday", "Birthday: Kim Nguyen"), DAY)
    assert congratulate_section(digest) == """\
CONGRATULATE
------------

* Dana Whitfield <dana.whitfield@acme.com>
  Birthday today, Thursday 26 Nov.

* Kim Nguyen <kim.nguyen@acme.com>
  Birthday today, Thursday 26 Nov."""


def test_a_title_birthday_is_congratulated_from_three_days_ahead_and_not_after(tmp_path):
    events = birthdays("Bday Dana")
    early, _ = build(tmp_path / "early", history(), events, date(2026, 11, 23))
    late, _ = build(tmp_path / "late", history(), events, date(2026, 11, 27))
    assert [(item.name, item.reason) for item in early.section("congratulate")] == [
        ("Dana Whitfield", "Birthday on Thursday 26 Nov.")]
    assert late.section("congratulate") == []


def test_a_first_name_two_contacts_share_the_users_own_and_a_stranger_congratulate_nobody(tmp_path):
    events = birthdays("Bday Sam", "Alex's birthday", "Birthday: Jordan Blake", "Mom's birthday",
                       "Sam's birthday party")
    digest, _ = build(tmp_path, history(), events, DAY)
    assert digest.section("congratulate") == []


def test_a_first_name_alone_resolves_only_when_one_contact_has_it(tmp_path):
    digest, _ = build(tmp_path, history(), birthdays("🎂 Kim’s 40th Birthday!", "Anniversaire de Dana"), DAY)
    assert sorted((item.name, item.address) for item in digest.section("congratulate")) == [
        ("Dana Whitfield", "dana.whitfield@acme.com"), ("Kim Nguyen", "kim.nguyen@acme.com")]


@pytest.mark.parametrize(("title", "name"), [
    ("Dana's birthday", "Dana"), ("James' birthday", "James"), ("Birthday: Dana Kim", "Dana Kim"),
    ("Birthday - Dana", "Dana"), ("Bday Sam", "Sam"), ("B-day Sam", "Sam"), ("Happy birthday to Sam", "Sam"),
    ("Dana Kim - Birthday", "Dana Kim"), ("🎂 Dana Kim’s Birthday!", "Dana Kim"), ("Dana's 40th birthday", "Dana"),
    ("Dana's birthday (1985)", "Dana"), ("Geburtstag von Anna", "Anna"), ("Anna Geburtstag", "Anna"),
    ("Anniversaire de Marie", "Marie"), ("Anniversaire d'Alix", "Alix"), ("Cumpleaños de Ana", "Ana"),
    ("Jean-Luc's birthday", "Jean-Luc"),
    ("Birthday", None), ("Birthdays", None), ("Birthday party", None), ("Sam's birthday party", None),
    ("My birthday", None), ("Mom's birthday", None), ("Anniversaire de mariage", None), ("Team lunch", None),
    ("Bdayparty", None), (None, None),
])
def test_birthday_titles_in_the_forms_people_write(title, name):
    assert birthday_name(title) == name
