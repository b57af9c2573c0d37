"""Plain words for digest items: durations, dates, and the `reason` of each kind of item."""

from __future__ import annotations

from datetime import date, datetime

from kith.warehouse.identity import name_in_address

MONTH_DAYS = 30.44
WEEKS_UNTIL_DAYS = 91  # "it has been 11 weeks" reads better than "3 months" up to a quarter


def duration(days: int) -> str:
    """`5 days` below two weeks, `11 weeks` below thirteen weeks, then `4 months`, then `2 years`."""
    if days < 14:
        return _plural(days, "day")
    if days < WEEKS_UNTIL_DAYS:
        return _plural(round(days / 7), "week")
    if days < 730:
        return _plural(round(days / MONTH_DAYS), "month")
    return _plural(round(days / 365.25), "year")


def every(days: int) -> str:
    """`every 3 weeks`; `every day`, `every week`, `every month` rather than `every 1 ...`."""
    if days == 7:
        return "every week"
    text = duration(days)
    return "every " + (text[2:] if text.startswith("1 ") else text)


def ago(days: int) -> str:
    """`today`, `yesterday`, `5 days ago`, `3 weeks ago`."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{duration(days)} ago"


def short_date(day: date) -> str:
    """`12 Nov`."""
    return f"{day.day} {day:%b}"


def long_date(day: date) -> str:
    """`2 Sep 2026`."""
    return f"{day.day} {day:%b} {day.year}"


def weekday_date(day: date) -> str:
    """`Friday 28 Nov`."""
    return f"{day:%A} {day.day} {day:%b}"


def quoted(text: str) -> str:
    return f"“{text}”"


def last_interaction(kind: str | None, title: str | None, when: datetime | date | None) -> str | None:
    """`Email “Budget” on 2 Sep 2026` / `Meeting “1:1” on 2 Sep 2026`."""
    if kind is None or when is None:
        return None
    day = when.date() if isinstance(when, datetime) else when
    label = "Meeting" if kind == "meeting" else "Email"
    title = " ".join((title or "").split())
    return f"{label} {quoted(title)} on {long_date(day)}" if title else f"{label} on {long_date(day)}"


def shown_name(name: str | None, address: str | None) -> str:
    """How a person heads an item: their name; where no header or calendar gave one, the name
    their address spells (`scott.carter@` is Scott Carter, `mac.d.hargrove@` Mac Hargrove); else
    the address."""
    if name:
        return name
    spelled = name_in_address(address) if address else None
    if spelled:
        return " ".join(part.capitalize() for part in spelled)
    return address or ""


def first_name(name: str | None) -> str:
    if not name:
        return "They"
    if "," in name:  # "Allen, Phillip"
        name = name.split(",", 1)[1]
    words = name.split()
    if not words:
        return "They"
    # An initial is no first name to greet: "J D Duffie" stays whole.
    return words[0] if len(words[0].rstrip(".")) > 1 else " ".join(words)


# -- reasons ---------------------------------------------------------------------------------------


def reconnect_reason(gap_days: int, since_days: int, basis: str) -> str:
    """Why a reconnect, saying no more than the history shows: the user's own cadence, a usual
    rhythm (3 contact episodes or more), two episodes and their gap, or a single one."""
    if basis == "pinned":
        return f"You asked to keep in touch {every(gap_days)}; it has been {duration(since_days)}."
    if basis == "usual":
        return f"You usually talk {every(gap_days)}; it has been {duration(since_days)}."
    if basis == "twice":
        return f"You have talked twice, {duration(gap_days)} apart; it has been {duration(since_days)}."
    return f"You have talked once; it has been {duration(since_days)}."


def reply_owed_reason(days: int, question: str) -> str:
    return f"Asked you {ago(days)}: {quoted(question)}"


def awaiting_reason(days: int) -> str:
    return f"You wrote {ago(days)} and have had no reply."


def promise_reason(day: date, promise: str) -> str:
    return f"You promised on {short_date(day)}: {quoted(promise)}"


def new_person_reason(day: date, title: str | None, today: date) -> str:
    when = "today" if day == today else ("yesterday" if (today - day).days == 1 else f"on {weekday_date(day)}")
    meeting = f" ({quoted(title)})" if title else ""
    return f"You met for the first time {when}{meeting} and have not written since."


def congratulate_reason(
    kind: str,
    day: date,
    today: date,
    *,
    source: str,
    company: str | None = None,
    title: str | None = None,
    evidence: str | None = None,
) -> str:
    """One sentence per kind; the source and date in brackets."""
    where = f"({source}, {short_date(day)})"
    if kind == "birthday":
        if day == today:
            return f"Birthday today, {weekday_date(day)}."
        return f"Birthday on {weekday_date(day)}."
    if kind == "new_role":
        # An accepted offer is news before the first day: it is not "started" yet.
        accepted = evidence is not None and "accepted" in evidence.lower()
        if title and company:
            return f"{'Accepted' if accepted else 'Started'} a new position as {title} at {company} {where}."
        if company:
            return f"{'Accepted a position at' if accepted else 'Joined'} {company} {where}."
        if title:
            return f"{'Accepted' if accepted else 'Started'} a new role as {title} {where}."
        return f"New role {where}: {quoted(evidence or '')}"
    if kind == "promotion":
        if not title and not company:
            return f"Promoted {where}: {quoted(evidence)}" if evidence else f"Promoted {where}."
        role = f" to {title}" if title else ""
        at = f" at {company}" if company else ""
        return f"Promoted{role}{at} {where}."
    if kind == "work_anniversary":
        years = f"{title} at {company}" if title and company else (f"{title}" if title else f"at {company}" if company else "")
        return f"Work anniversary{': ' + years if years else ''} {where}."
    if kind == "award":
        return f"Award {where}: {quoted(evidence or '')}"
    if kind == "launch":
        return f"Launched {title} {where}." if title else f"Launched something new {where}: {quoted(evidence or '')}"
    return f"{kind.replace('_', ' ').capitalize()} {where}."


def domain_change_reason(name: str | None, domain: str) -> str:
    """Ambiguous, so a question: `Dana now writes from @newco.com: new role?`."""
    return f"{first_name(name)} now writes from @{domain}: new role?"


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
