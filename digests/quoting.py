"""A message body cut into the parts different people wrote: the new text, then each quoted or
forwarded message with its author, in the forms real clients write them. Quote markers are
removed from the text. This is the one home of those forms: news detection
(`digests.announcements`) and questions (`digests.signals`) both read it.

- Gmail: "On <date> X <x@y> wrote:" (also wrapped over two lines), "---------- Forwarded
  message ---------";
- Outlook: "-----Original Message-----", a "________" rule, "From: X [mailto:...]", and a header
  block "From: X" followed by "Sent:" / "Date:" / "To:" lines;
- Apple Mail: "On <date>, at <time>, X wrote:", "Begin forwarded message:";
- Lotus Notes: "----- Forwarded by X/HOU/ECT on ... -----", and the (often tab-indented) header
  '"X" <x@y> 05/29/2001 10:29 AM  To: ...', or its two-line form (the author alone on a line,
  "Outlook Migration Team@ENRON", the date and time alone under it, then "To:");
- localized: "Am <date> schrieb X:", "Le <date>, X a écrit :", "El <date>, X escribió:",
  "Op <date> schreef X:", "Il <date>, X ha scritto:", "Em <date>, X escreveu:";
- "> " quoting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from kith.digests.name_match import display_name


@dataclass(frozen=True)
class Segment:
    """Text one person wrote; `author` as the headers name them, None when unknown."""

    text: str
    author: str | None
    from_sender: bool


_MARKER = re.compile(
    r"^(?:-{2,}\s*(?:Original (?:Message|Appointment)|Forwarded (?:message|by\b.*)|Reply message)\s*-*"
    r"|_{5,}\s*$|Begin forwarded message:|From:\s+\S.*\[mailto:|From:\s+\S.*\bSent:)",
    re.IGNORECASE,
)
_MARKER_FIRST = frozenset("-_BbFf")  # the first character of every `_MARKER`
# Greedy, so the engine backtracks a few characters from the line's end instead of trying every
# comma and every length of the name (3-4x faster on Gmail's lines); `who` keeps the spaces
# before "wrote:", which `boundary_at` strips.
_WROTE = re.compile(r"^(?:On\s.{3,120},\s*)?(?P<who>[^,<>\n]{2,60})\s*(?:<[^>]*>)?\s*wrote:\s*$")
# Localized "X wrote:" lines; each ends with a colon and starts with one of `_LOCAL_FIRST`.
_WROTE_LOCAL = re.compile(
    r"^(?:Am\s.{3,80}?\sschrieb\s(?P<de>[^<>:\n]{2,60}?)"
    r"|Le\s.{3,80}?,\s*(?P<fr>[^,<>\n]{2,60}?)\s*(?:<[^>]*>)?\s*a\s+écrit"
    r"|El\s.{3,80}?,\s*(?P<es>[^,<>()\n]{2,60}?)\s*(?:\(?<[^>]*>\)?)?\s*escribió"
    r"|Op\s.{3,80}?\sschreef\s(?P<nl>[^<>:\n]{2,60}?)"
    r"|Il\s.{3,80}?,\s*(?P<it>[^,<>\n]{2,60}?)\s*(?:<[^>]*>)?\s*ha\s+scritto"
    r"|Em\s.{3,80}?,\s*(?P<pt>[^,<>\n]{2,60}?)\s*(?:<[^>]*>)?\s*escreveu)\s*(?:<[^>]*>)?\s*:\s*$"
)
_LOCAL_FIRST = ("Am ", "Le ", "El ", "Op ", "Il ", "Em ")
_FROM = re.compile(r"^\s*From:\s*(?P<who>.+?)\s*(?:\[mailto:|<|\s+Sent:|\s+on\s+\d|$)", re.IGNORECASE)
# Lotus Notes: 'Sally Beck 07/19/2000 04:16 PM' or '"Balson, William" <w@crai.com> on 12/10/2001 ...'
_LOTUS = re.compile(r"^\s*(?P<who>[\"A-Z][^\n<>]{1,60}?)\s*(?:<[^>]*>)?(?:@\w+)?\s+(?:on\s+)?\d{1,2}/\d{1,2}/\d{2,4}\b")
_LOTUS_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d\d")  # the date line under a Lotus author
_LOTUS_DATE_LINE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d\d(?::\d\d)?\s*[AP]M$")  # and nothing else on it
_HEADER_LINE = re.compile(r"^\s*(?:From|To|Sent|Cc|Bcc|Subject|Date|Importance)\s*:", re.IGNORECASE)
_BLOCK_HEADER = re.compile(r"^\s*(?:Sent|Date|To|Subject|Cc)\s*:", re.IGNORECASE)
_QUOTE = re.compile(r"^(?:\s*>)+\s?")
AUTHOR_LINES = 8  # how far after a marker the quoted message's author is looked for
BLOCK_LINES = 3  # how far after "From: X" an Outlook header block shows its next header
# How every marker that does not end in ":" starts (after indentation and quote characters);
# a Lotus Notes header line holds a date with "/" and a time with "AM" or "PM".
_CUE_STARTS = frozenset({"On", "--", "__", "Fr", "FR", "fr"})


class Boundary(NamedTuple):
    """Where quoted or forwarded text starts: its author (None when unknown) and how many lines
    the marker itself takes. A tuple: one is made for nearly every reply read."""

    author: str | None
    lines: int = 1
    above: int = 0  # lines above `index` that belong to the marker (a Lotus author over its date)


def boundary_at(lines: list[str], index: int, *, authors: bool = True) -> Boundary | None:
    """The quote or forward marker that starts at `lines[index]` (quote characters removed), or
    None; its author is looked for only with `authors`. Cheap for ordinary lines: a character or
    substring test comes before any expression."""
    name = display_name if authors else _no_name
    line = lines[index].rstrip()
    if not line or (line[-1] != ":" and line.lstrip(" \t>")[:2] not in _CUE_STARTS
                    and not ("/" in line and "M" in line)):
        return None  # nearly every line: no marker ends with anything but ":" or starts otherwise
    text = _unquoted(line)
    stripped = text.strip()
    if stripped.endswith("wrote:"):
        wrote = _WROTE.match(stripped)
        if wrote:
            return Boundary(name(wrote.group("who").rstrip()))
    if stripped.endswith(":") and stripped.startswith(_LOCAL_FIRST):
        local = _WROTE_LOCAL.match(stripped)
        if local:
            return Boundary(name(next(v for v in local.groupdict().values() if v)))
    if stripped.startswith("On ") and index + 1 < len(lines):
        joined = f"{stripped} {_unquoted(lines[index + 1]).strip()}"
        wrote = _WROTE.match(joined) if joined.endswith("wrote:") and len(joined) < 200 else None
        if wrote:
            return Boundary(name(wrote.group("who").rstrip()), 2)
    first = stripped[:1]
    if first in _MARKER_FIRST and _MARKER.match(stripped):
        own = _FROM.match(text)
        return Boundary(name(own.group("who")) if own else (_author_after(lines, index) if authors else None))
    if first in "Ff" and stripped[:5].lower() == "from:" and _block_follows(lines, index):
        own = _FROM.match(text)
        return Boundary(name(own.group("who")) if own else None)
    if "/" in stripped and stripped[-1:] != "." and (" AM" in stripped or " PM" in stripped):
        lotus = _LOTUS.match(stripped)
        if lotus and ("To:" in stripped or _block_follows(lines, index)):
            return Boundary(name(lotus.group("who")))
        if index and _LOTUS_DATE_LINE.match(stripped) and _block_follows(lines, index):
            author = _unquoted(lines[index - 1]).strip()
            if 0 < len(author) <= 60 and author[-1] not in ".!?,;:":
                return Boundary(name(author.split("@", 1)[0]), above=1)
    return None


def split_segments(body: str, sender_name: str | None) -> list[Segment]:
    """The parts of `body`, in order: first what the sender wrote, then each quoted message.

    Runs on every body that may hold news: each line is tested with a character or a substring
    before any expression (most lines are neither quoted, nor markers, nor headers).
    """
    segments: list[Segment] = []
    lines = body.splitlines()
    current: list[str] = []
    author, from_sender, depth = sender_name, True, 0
    skip = 0
    for index, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        quote = _QUOTE.match(line) if line.lstrip()[:1] == ">" else None
        text = line[quote.end() :] if quote else line
        level = quote.group(0).count(">") if quote else 0
        boundary = boundary_at(lines, index)
        if boundary is not None:
            if boundary.above:
                _drop_last_line(current)
            _flush(segments, current, author, from_sender)
            current, from_sender, author, depth = [], False, boundary.author, level
            skip = boundary.lines - 1
            continue
        if level > depth and any(part.strip() for part in current):
            # Quoted text with no header before it: its author is unknown.
            _flush(segments, current, author, from_sender)
            current, author, from_sender = [], None, False
        depth = level
        if ":" not in text or not _HEADER_LINE.match(text):
            current.append(text)
    _flush(segments, current, author, from_sender)
    return segments


def new_text(body: str, max_lines: int | None = None) -> str:
    """What the sender wrote in this message: the lines before the first quote or forward
    (at most `max_lines` of them, blank lines not counted), without quoted history.

    Runs on every person's mail: a line is looked at closely only when it ends in ":" or starts
    or reads as a marker may (`_CUE_STARTS`, a Lotus date), which few lines do."""
    lines = body.splitlines()
    kept: list[str] = []
    written = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            if kept and kept[-1]:
                kept.append("")  # a paragraph break, where a sentence stops
            continue
        if stripped[0] == ">":
            break
        if stripped[-1] == ":" or stripped[:2] in _CUE_STARTS or ("/" in stripped and "M" in stripped):
            boundary = boundary_at(lines, index, authors=False)
            if boundary is not None:
                if boundary.above:
                    _drop_last_line(kept)
                break
        kept.append(stripped)
        written += 1
        if written == max_lines:
            break
    return "\n".join(kept).strip()


def _drop_last_line(lines: list[str]) -> None:
    """Remove the last written line (and the blank lines after it) from `lines`."""
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines.pop()


def _no_name(_raw: str | None) -> None:
    return None


def _unquoted(line: str) -> str:
    return _QUOTE.sub("", line, count=1) if line.lstrip()[:1] == ">" else line


def _block_follows(lines: list[str], index: int) -> bool:
    """Whether a mail header ("Sent:", "To:" ...) follows within `BLOCK_LINES` lines."""
    for line in lines[index + 1 : index + 1 + BLOCK_LINES]:
        line = _unquoted(line)
        if ":" in line and _BLOCK_HEADER.match(line):
            return True
    return False


def _author_after(lines: list[str], index: int) -> str | None:
    """The author of the message after a marker: a "From:" line or a Lotus Notes header within
    `AUTHOR_LINES` lines ("Sally Beck 07/19/2000 04:16 PM", or the name alone on the line above
    the date); None when there is none, never whoever forwarded it (they did not write it)."""
    window = [_QUOTE.sub("", line) for line in lines[index + 1 : index + 1 + AUTHOR_LINES]]
    for k, line in enumerate(window):
        match = _FROM.match(line) or _LOTUS.match(line)
        if match:
            return display_name(match.group("who"))
        if k + 1 < len(window) and line.strip() and _LOTUS_DATE.match(window[k + 1]):
            return display_name(line.strip())
    return None


def _flush(segments: list[Segment], lines: list[str], author: str | None, from_sender: bool) -> None:
    text = "\n".join(lines).strip()
    if text:
        segments.append(Segment(text=text, author=author, from_sender=from_sender))
