"""The generator writes the calendar forms of issue 10 (generator/calendar_forms.py): big company
meetings with named attendees who are not contacts, and birthdays named only in event titles, with
the ground truth to score them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
import pytest

from kith.digests.birthdays import birthday_name
from kith.generator import generate_network

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("net")
    return out, generate_network(out, seed=3, today=TODAY, messages=3000)


def events(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_the_all_hands_has_over_a_hundred_named_attendees_and_few_of_them_are_contacts(network):
    out, truth = network
    contacts = {a for c in truth["contacts"] for a in c["addresses"]}
    big = [e for e in events(out / "calendar.ics") if len(e.get("ATTENDEE", [])) > 100]
    assert sorted(str(e["SUMMARY"]) for e in big) == ["Company all-hands", "Company all-hands (monthly)"]
    attendees = [a for a in big[0]["ATTENDEE"]]
    assert all(a.params.get("CN") for a in attendees)  # every attendee is named
    addresses = {str(a).removeprefix("mailto:") for a in attendees}
    assert len(addresses & contacts) == 6  # the user's regulars; the rest are strangers
    assert not addresses & {p["address"] for p in truth["new_people"]}


def test_a_town_hall_this_week_brings_nobody_new(network):
    out, truth = network
    town_hall = [e for e in events(out / "calendar.ics") if str(e["SUMMARY"]) == "Q4 town hall"]
    assert len(town_hall) == 1 and len(town_hall[0]["ATTENDEE"]) == 41
    assert (TODAY - town_hall[0].decoded("DTSTART").date()).days in range(1, 6)
    addresses = {str(a).removeprefix("mailto:") for a in town_hall[0]["ATTENDEE"]}
    known = {a for c in truth["contacts"] for a in c["addresses"]} | {p["address"] for p in truth["new_people"]}
    assert not addresses & known  # strangers all, met nowhere else


def test_title_birthdays_are_in_the_truth_and_not_in_the_birthdays_calendar(network):
    out, truth = network
    titles = [str(e["SUMMARY"]) for e in events(out / "personal.ics")]
    google = {str(a).removeprefix("mailto:") for e in events(out / "birthdays.ics") for a in [e["ATTENDEE"]]}
    by_title = {s["address"] for s in truth["signals"] if s["kind"] == "birthday" and s["source"] == "calendar_title"}
    assert len(titles) >= 5 and len(by_title) == 3
    assert not by_title & google
    assert all(birthday_name(title) for title in titles)
    assert "Alex's birthday" in titles  # the user's own name: nobody to congratulate
