"""A message body cut into the parts different people wrote: the new text, then each quoted or
forwarded message with its author, in the forms real clients write them (Outlook "-----Original
Message-----", Lotus Notes "----- Forwarded by ...", Gmail "---------- Forwarded message
---------", "On ... X wrote:", "> " quoting). Quote markers are removed from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_WROTE = re.compile(r"^(?:On\s.{3,120}?,\s*)?(?P<who>[^,<>\n]{2,60}?)\s*(?:<[^>]*>)?\s*wrote:\s*$")
_FROM = re.compile(r"^\s*From:\s*(?P<who>.+?)\s*(?:\[mailto:|<|\s+Sent:|\s+on\s+\d|$)", re.IGNORECASE)
# Lotus Notes: 'Sally Beck 07/19/2000 04:16 PM' or '"Balson, William" <w@crai.com> on 12/10/2001 ...'
_LOTUS = re.compile(r"^\s*(?P<who>[\"A-Z][^\n<>]{1,60}?)\s*(?:<[^>]*>)?(?:@\w+)?\s+(?:on\s+)?\d{1,2}/\d{1,2}/\d{2,4}\b")
_LOTUS_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d\d")  # the date line under a Lotus author
_HEADER_LINE = re.compile(r"^\s*(?:From|To|Sent|Cc|Bcc|Subject|Date|Importance)\s*:", re.IGNORECASE)
_QUOTE = re.compile(r"^(?:\s*>)+\s?")
AUTHOR_LINES = 8  # how far after a marker the quoted message's author is looked for


def split_segments(body: str, sender_name: str | None) -> list[Segment]:
    """The parts of `body`, in order: first what the sender wrote, then each quoted message.

    Runs on every body that may hold news: each line is tested with a character or a substring
    before any expression (most lines are neither quoted, nor markers, nor headers).
    """
    segments: list[Segment] = []
    lines = body.splitlines()
    current: list[str] = []
    author, from_sender, depth = sender_name, True, 0
    for index, line in enumerate(lines):
        quote = _QUOTE.match(line) if line.lstrip()[:1] == ">" else None
        text = line[quote.end() :] if quote else line
        level = quote.group(0).count(">") if quote else 0
        stripped = text.strip()
        wrote = _WROTE.match(stripped) if stripped.endswith("wrote:") else None
        if wrote or (stripped[:1] in _MARKER_FIRST and _MARKER.match(stripped)):
            _flush(segments, current, author, from_sender)
            current, from_sender = [], False
            own = wrote or _FROM.match(text)
            author = display_name(own.group("who")) if own else _author_after(lines, index)
            depth = level
            continue
        if level > depth and current:
            # Quoted text with no header before it: its author is unknown.
            _flush(segments, current, author, from_sender)
            current, author, from_sender = [], None, False
        depth = level
        if ":" not in text or not _HEADER_LINE.match(text):
            current.append(text)
    _flush(segments, current, author, from_sender)
    return segments


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
