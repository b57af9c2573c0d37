"""Expanding one recurring series into its instances, within bounds of time, work and memory.

recurring-ical-events does the expansion (overrides, EXDATE, RDATE, time zones), but it walks
every RRULE from DTSTART and keeps what it walked: `FREQ=SECONDLY` with no end never finishes
and grows without limit. So each rule is first walked here, lazily and without a cache, to
learn how far the library may go; a rule that runs on past the window or past the cap is
rewritten with the COUNT that stops it there. Then the library can only walk what was allowed.

Bounds: instances in the window `[since, until)` (the connector's window is two years back,
one year ahead), at most `MAX_INSTANCES_PER_SERIES` per series and `MAX_INSTANCES_PER_FILE`
per file; at most `MAX_STEPS_PER_SERIES` occurrences walked to get there (a daily series that
began 130 years before the window), `MAX_STEPS_PER_FILE` per file. Every instance copies its
event's title, description and attendees, so the bytes a series expands to are bounded too
(`MAX_BYTES_PER_SERIES`, `MAX_BYTES_PER_FILE`): a 1 MB title or 5,000 attendees on a daily series
keeps its first instances, not 1,096 copies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr

# A daily meeting over the whole three-year window is 1,096 instances.
MAX_INSTANCES_PER_SERIES = 2_000
MAX_INSTANCES_PER_FILE = 50_000  # a meeting costs about 4 KB in memory until it is stored
MAX_STEPS_PER_SERIES = 50_000
MAX_STEPS_PER_FILE = 500_000
# An instance's weight is its event's iCalendar text plus what each attendee costs as an object;
# an ordinary meeting of ten weighs about 5 KB, so ordinary series never meet these bounds.
MAX_BYTES_PER_SERIES = 16 * 2**20
MAX_BYTES_PER_FILE = 200 * 2**20
_BYTES_PER_ATTENDEE = 400


# The parts of a rule that pick days (a yearly rule applies them a year at a time), and the rest
# of what a plain rule may hold.
_DAY_FILTERS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "WKST")
_TIME_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS")
_ORDINAL = re.compile(r"^[+-]?\d+")


class NotExpandable(ValueError):
    """A series whose recurrence is not expanded; the message says why."""


@dataclass
class ExpansionBudget:
    """What one file may still spend on expanding its recurring series."""

    instances: int = field(default_factory=lambda: MAX_INSTANCES_PER_FILE)
    steps: int = field(default_factory=lambda: MAX_STEPS_PER_FILE)
    bytes: int = field(default_factory=lambda: MAX_BYTES_PER_FILE)


@dataclass
class _Walk:
    """What walking one rule found: occurrences walked, and whether the rule ran on."""

    steps: int = 0
    runs_on: bool = False  # the rule has occurrences after the point where the walk stopped
    capped: bool = False  # the walk stopped at the cap, not at the end of the window


def expand_series(
    events: list[icalendar.Component],
    *,
    since: datetime,
    until: datetime,
    budget: ExpansionBudget,
) -> tuple[list[tuple[icalendar.Component, datetime]], list[str]]:
    """The instances of one series (all VEVENTs of one UID) in `[since, until)`, naive UTC.

    Each instance comes with its original start (its recurrence id, naive UTC); the list is
    sorted by start and holds at most the series' cap. The reasons say what the cap cut off.
    Raises `NotExpandable` for a series too dense to walk within the budget, and whatever
    the library raises for a rule it cannot read. Rewrites the RRULEs of `events` in place.
    """
    weight = instance_weight(events)
    by_count = min(MAX_INSTANCES_PER_SERIES, budget.instances)
    by_bytes = min(MAX_BYTES_PER_SERIES, budget.bytes) // weight
    cap = min(by_count, by_bytes)
    if cap <= 0:
        raise NotExpandable(_spent(budget, weight))
    capped = _bound_rules(events, since=since, until=until, cap=cap, budget=budget)
    calendar = icalendar.Calendar()
    calendar.subcomponents = list(events)
    found = recurring_ical_events.of(calendar).between(
        since.replace(tzinfo=UTC), until.replace(tzinfo=UTC)
    )
    instances = sorted(_with_recurrence_ids(found, events), key=lambda pair: start_of(pair[0]))
    capped = capped or len(instances) > cap
    del instances[cap:]
    budget.instances -= len(instances)
    budget.bytes -= len(instances) * weight
    if not capped:
        return instances, []
    reason = f"series capped at {cap:,} instances"
    if by_bytes < by_count:
        reason += f" (each instance carries about {weight // 1024:,} KB of title and attendees)"
    elif cap < MAX_INSTANCES_PER_SERIES:
        reason += f" (the file's budget of {MAX_INSTANCES_PER_FILE:,} is spent)"
    return instances, [reason]


def instance_weight(events: list[icalendar.Component]) -> int:
    """About how many bytes one expanded instance of the series costs until it is stored."""
    heaviest = 0
    for event in events:
        attendees = event.get("ATTENDEE", [])
        count = len(attendees) if isinstance(attendees, list) else 1
        heaviest = max(heaviest, len(event.to_ical()) + count * _BYTES_PER_ATTENDEE)
    return max(heaviest, 1)


def _spent(budget: ExpansionBudget, weight: int) -> str:
    if budget.instances <= 0:
        return f"the file's budget of {MAX_INSTANCES_PER_FILE:,} expanded instances is spent"
    if weight > MAX_BYTES_PER_SERIES:
        return f"one instance carries {weight // 2**20:,} MB, more than a series may expand to"
    return f"the file's budget of {MAX_BYTES_PER_FILE // 2**20:,} MB of expanded instances is spent"


def _bound_rules(
    events: list[icalendar.Component],
    *,
    since: datetime,
    until: datetime,
    cap: int,
    budget: ExpansionBudget,
) -> bool:
    """Give every RRULE that runs past the window or the cap a COUNT that stops it there.

    Returns whether a rule was stopped by the cap.
    """
    behind, ahead = _span_extension(events)
    capped = False
    for event in events:
        if event.get("RECURRENCE-ID") is not None or event.get("RRULE") is None:
            continue
        values = event["RRULE"] if isinstance(event["RRULE"], list) else [event["RRULE"]]
        start, zone = _walk_start(event)
        bounded = []
        for value in values:
            rule = _readable_rule(value)
            if _finds_no_day(rule, start, _plus(until, ahead)):
                continue  # no instance before the window ends: nothing to expand
            allowed = min(MAX_STEPS_PER_SERIES, budget.steps)
            try:
                walk = _walk_rule(
                    rule, start, zone, window=(_minus(since, behind), _plus(until, ahead)),
                    cap=cap, allowed=allowed,
                )  # fmt: skip
            except NotExpandable:
                budget.steps -= allowed
                raise
            budget.steps -= walk.steps
            capped = capped or walk.capped
            bounded.append(_with_count(rule, walk.steps) if walk.runs_on else rule)
        del event["RRULE"]
        for rule in bounded:
            event.add("RRULE", rule)
    return capped


def _walk_rule(
    rule: icalendar.vRecur,
    start: datetime,
    zone: tzinfo | None,
    *,
    window: tuple[datetime, datetime],
    cap: int,
    allowed: int,
) -> _Walk:
    """Walk one rule from `start` (wall clock in `zone`) through the window, lazily.

    Stops at the end of the window, at the rule's own end, or after `cap` occurrences in
    the window; `steps` then counts the occurrences a COUNT must allow to reach that point.
    """
    first, last = window
    count = _count_of(rule)
    end = _until_of(rule)
    walk = _Walk()
    in_window = 0
    for moment in _occurrences(rule, start):
        if count is not None and walk.steps >= count:
            return walk
        at = moment if zone is None else _to_utc(moment, zone)
        if end is not None and at > end:
            return walk
        if at >= last:
            walk.runs_on = True
            return walk
        if at >= first:
            if in_window == cap:
                walk.runs_on = walk.capped = True
                return walk
            in_window += 1
        if walk.steps == allowed:
            raise NotExpandable(_too_dense(allowed))
        walk.steps += 1
    return walk


def _finds_no_day(rule: icalendar.vRecur, start: datetime, last: datetime) -> bool:
    """Whether no day from `start` to `last` passes the rule's day filters (BYMONTH=2;BYMONTHDAY=30).

    dateutil looks for such a day one period at a time up to the year 9999 without a pause:
    minutes for a daily or finer rule. A yearly rule over the same filters looks a year at a
    time; the days it finds include every day the rule itself can reach.
    """
    frequency = str(rule.get("FREQ", [""])[0]).upper()
    if frequency == "YEARLY" or not any(part in rule for part in (*_DAY_FILTERS, "BYDAY")):
        return False
    if any(part not in (*_DAY_FILTERS, *_TIME_PARTS) for part in rule):
        return False  # a part that is not a plain filter (BYEASTER): walk the rule itself
    days = icalendar.vRecur({part: rule[part] for part in _DAY_FILTERS if part in rule})
    days["FREQ"] = ["YEARLY"]
    weekdays = [_ORDINAL.sub("", str(day)) for day in rule.get("BYDAY", [])]  # 1MO: any MO
    days["BYDAY"] = weekdays or ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        first = next(iter(rrulestr(days.to_ical().decode(), dtstart=midnight, cache=False)), None)
    except (ValueError, TypeError, OverflowError):
        return False  # the walk meets the same error and says so
    return first is None or first > _plus(last, timedelta(days=1))


def _occurrences(rule: icalendar.vRecur, start: datetime) -> Iterator[datetime]:
    """Every occurrence of the rule without its COUNT and UNTIL, as naive wall clock times."""
    endless = icalendar.vRecur({k: v for k, v in rule.items() if k not in ("COUNT", "UNTIL")})
    return iter(rrulestr(endless.to_ical().decode(), dtstart=start, cache=False))


def _too_dense(allowed: int) -> str:
    if allowed < MAX_STEPS_PER_SERIES:
        return f"the file's budget of {MAX_STEPS_PER_FILE:,} recurrence steps is spent"
    return f"more than {MAX_STEPS_PER_SERIES:,} occurrences from its start to the window"


def _readable_rule(value: Any) -> icalendar.vRecur:
    """The RRULE value as a vRecur; one icalendar could not read raises ValueError."""
    if isinstance(value, icalendar.vRecur):
        return value
    text = value.to_ical()
    return icalendar.vRecur.from_ical(text.decode() if isinstance(text, bytes) else str(text))


def _with_count(rule: icalendar.vRecur, count: int) -> icalendar.vRecur:
    bounded = icalendar.vRecur({k: v for k, v in rule.items() if k not in ("COUNT", "UNTIL")})
    bounded["COUNT"] = [max(count, 1)]
    return bounded


def _count_of(rule: icalendar.vRecur) -> int | None:
    """COUNT as dateutil reads it; a negative one is dropped, as recurring-ical-events does."""
    values = rule.get("COUNT")
    count = int(values[0]) if values else None
    return None if count is None or count < 0 else count


def _until_of(rule: icalendar.vRecur) -> datetime | None:
    """UNTIL as naive UTC; a time without zone is UTC, as recurring-ical-events reads it."""
    values = rule.get("UNTIL")
    return to_naive_utc(values[0])[0] if values else None


def _walk_start(event: icalendar.Component) -> tuple[datetime, tzinfo | None]:
    """Where the library starts the rule (the earlier of start and end), as wall clock."""
    value = event["DTSTART"].dt
    end = event.get("DTEND")
    duration = event.get("DURATION")
    try:
        if end is not None and to_naive_utc(end.dt)[0] < to_naive_utc(value)[0]:
            value = end.dt
        elif duration is not None and duration.dt < timedelta(0):
            value = value + duration.dt
    except (TypeError, AttributeError, OverflowError):
        pass  # an end that cannot be compared leaves the start as it is
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day), None
    return value.replace(tzinfo=None), value.tzinfo


def _span_extension(events: list[icalendar.Component]) -> tuple[timedelta, timedelta]:
    """How far before `since` and after `until` the library looks: long events overlap the
    window from before it, and RANGE=THISANDFUTURE overrides move instances into it."""
    behind, ahead = timedelta(0), timedelta(0)
    for event in events:
        try:
            start = start_of(event)
            end = _end_of(event, start)
            behind = max(behind, end - start)
            original = event.get("RECURRENCE-ID")
            if original is not None and _is_this_and_future(original):
                moved_from = to_naive_utc(original.dt)[0]
                ahead = max(ahead, moved_from - start)
                behind = max(behind, end - moved_from)
        except (TypeError, AttributeError, KeyError, OverflowError, ValueError):
            continue
    return behind, ahead


def _end_of(event: icalendar.Component, start: datetime) -> datetime:
    if event.get("DTEND") is not None:
        return max(start, to_naive_utc(event["DTEND"].dt)[0])
    duration = event.get("DURATION")
    if duration is not None and isinstance(duration.dt, timedelta):
        return max(start, start + duration.dt)
    return start


def _with_recurrence_ids(
    instances: list[icalendar.Component], events: list[icalendar.Component]
) -> Iterator[tuple[icalendar.Component, datetime]]:
    """Each instance with its own original start.

    An override with RANGE=THISANDFUTURE moves every later instance by the same amount; the
    library copies its RECURRENCE-ID onto all of them, so undo the move to find each one's.
    """
    moves: dict[datetime, timedelta] = {}
    for event in events:
        original = event.get("RECURRENCE-ID")
        if original is not None and _is_this_and_future(original):
            moves[to_naive_utc(original.dt)[0]] = start_of(event) - to_naive_utc(original.dt)[0]
    for instance in instances:
        original = instance.get("RECURRENCE-ID")
        recurrence_id = to_naive_utc(original.dt)[0] if original is not None else None
        if recurrence_id in moves:
            recurrence_id = start_of(instance) - moves[recurrence_id]
        yield instance, recurrence_id or start_of(instance)


def _is_this_and_future(recurrence_id: Any) -> bool:
    return str(recurrence_id.params.get("RANGE", "")).upper() == "THISANDFUTURE"


def start_of(event: icalendar.Component) -> datetime:
    """The component's DTSTART as naive UTC."""
    return to_naive_utc(event["DTSTART"].dt)[0]


def to_naive_utc(value: date | datetime) -> tuple[datetime, bool]:
    """A DATE or DATE-TIME value as naive UTC, and whether it was a DATE.

    A DATE is midnight UTC of that day (no zone shift); a floating time is taken as UTC.
    """
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day), True
    if value.tzinfo is None:
        return value, False
    return value.astimezone(UTC).replace(tzinfo=None), False


def _to_utc(wall: datetime, zone: tzinfo) -> datetime:
    return wall.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _minus(moment: datetime, span: timedelta) -> datetime:
    try:
        return moment - span
    except OverflowError:
        return datetime.min


def _plus(moment: datetime, span: timedelta) -> datetime:
    try:
        return moment + span
    except OverflowError:
        return datetime.max
