"""Reading the bytes of an .ics file into VCALENDARs; a component that will not parse costs
only itself.

icalendar parses a file whole and gives up at the first error it does not tolerate: a
VTIMEZONE without TZOFFSETFROM, an unreadable property in a VALARM or a VTODO. When it does,
the file is split into its top-level components and each is parsed on its own (time zones
first, so that events can use them); the ones that still fail become skips.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import icalendar
from icalendar.parser import Contentlines

from kith.models import Skip

BOM = b"\xef\xbb\xbf"


@dataclass
class _Outline:
    """One VCALENDAR as content lines: its own properties and each top-level component."""

    properties: list[str] = field(default_factory=list)
    components: list[list[str]] = field(default_factory=list)


def read_calendars(data: bytes, stream: str) -> tuple[list[icalendar.Calendar], list[Skip]]:
    """The VCALENDARs of a file, and a skip for each part that could not be read.

    A file with no readable VCALENDAR at all gives one skip located at `stream`.
    """
    text = data.lstrip(BOM)
    try:
        return icalendar.Calendar.from_ical(text, multiple=True), []
    except Exception as error:  # noqa: BLE001 - then read it component by component
        whole = error
    try:
        outlines = _outlines(Contentlines.from_ical(text))
    except Exception:  # noqa: BLE001 - not even content lines
        outlines = []
    if not outlines:
        return [], [Skip(location=stream, reason=f"not an iCalendar file: {one_line(whole)}")]
    calendars: list[icalendar.Calendar] = []
    skips: list[Skip] = []
    for outline in outlines:
        calendars.append(_calendar_of(outline, stream, skips))
    return calendars, skips


def _outlines(lines: list[str]) -> list[_Outline]:
    """Split unfolded content lines into VCALENDARs and their top-level components.

    Lines outside a VCALENDAR are dropped; a component left open at END:VCALENDAR (or at the
    end of the file) is kept as it is, and fails to parse on its own.
    """
    outlines: list[_Outline] = []
    current: _Outline | None = None
    block: list[str] | None = None
    depth = 0
    for line in lines:
        upper = line.upper()
        begins, ends = upper.startswith("BEGIN:"), upper.startswith("END:")
        if current is None:
            if begins and upper[6:].strip() == "VCALENDAR":
                current = _Outline()
                outlines.append(current)
            continue
        if ends and upper[4:].strip() == "VCALENDAR" and (block is None or depth == 1):
            if block is not None:
                current.components.append(block)
            current, block = None, None
            continue
        if block is None:
            if begins:
                block, depth = [line], 1
            elif line:
                current.properties.append(line)
            continue
        block.append(line)
        depth += 1 if begins else -1 if ends else 0
        if depth == 0:
            current.components.append(block)
            block = None
    if current is not None and block is not None:
        current.components.append(block)
    return outlines


def _calendar_of(outline: _Outline, stream: str, skips: list[Skip]) -> icalendar.Calendar:
    """A Calendar with the outline's properties and every component that parses alone."""
    try:
        calendar = _parse(outline.properties)
    except Exception as error:  # noqa: BLE001
        calendar = icalendar.Calendar()
        skips.append(Skip(location=stream, reason=f"calendar properties ignored: {one_line(error)}"))
    time_zones_first = sorted(outline.components, key=lambda block: _name(block) != "VTIMEZONE")
    for block in time_zones_first:
        try:
            calendar.subcomponents.extend(_parse(block).subcomponents)
        except Exception as error:  # noqa: BLE001 - this component only
            skips.append(
                Skip(
                    location=f"{stream}#{_label(block)}",
                    reason=f"{_name(block)} not usable: {one_line(error)}",
                )
            )
    return calendar


def _parse(lines: list[str]) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical("\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR", ""]))


def _name(block: list[str]) -> str:
    return block[0][6:].strip().upper()


def _label(block: list[str]) -> str:
    """What names a component in a skip: its UID, a time zone's TZID, else its kind."""
    for line in block[1:]:
        upper = line.upper()
        if upper.startswith(("UID:", "TZID:")):
            return line.split(":", 1)[1].strip() or _name(block)
    return _name(block)


def one_line(error: BaseException) -> str:
    """An error as one line of at most 200 characters, for a skip's reason."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."
