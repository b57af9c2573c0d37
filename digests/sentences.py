"""Sentences around a word in mail text, for `digests.announcements`.

A sentence stops at a full stop, "!" or "?" before a capital, at a blank line, or at a colon or
semicolon that ends a line; a full stop after an initial or a usual abbreviation ("M.", "Jr.",
"Inc.") is not a stop. A short line without closing punctuation above a sentence is a heading,
not part of it. Sentences are looked for within `WINDOW` characters each way.
"""

from __future__ import annotations

import re
from bisect import bisect_left

WINDOW = 400  # characters read on each side of a word to find its sentence
HEADING_LIMIT = 45  # a shorter line without closing punctuation above a sentence is a heading

# Written to start with one character class, which the regex engine skips to far faster than it
# tries alternatives at every position.
_STOP = re.compile(r"[.!?:;\n](?:(?<=[.!?])(?=\s+(?P<capital>[A-Z\"(]))|(?<=\n)\s*\n|(?<=[:;])\s*\n)")
# The last character in a span that may end a sentence: the engine reads back from the span's end.
_LAST_STOP_CHARACTER = re.compile(r".*[.!?:;\n]", re.DOTALL)
_NOT_END = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Inc|Corp|Co|Ltd|No|vs|U\.S|Ph\.D|Sen|Gov|Rep))\.$")


def sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` starts, as `Sentences(text).around(position,
    headings=False)` finds it, read backwards from `position`: the nearest stop before it is
    nearly always the one, where a forward scan reads the whole window. A stop counts only when
    what makes it one (the capital after a full stop) lies before `position`, which the match's
    end enforces. Finding questions calls this on every "?"."""
    low = max(0, position - WINDOW)
    end = position
    while True:
        last = _LAST_STOP_CHARACTER.match(text, low, end)
        if last is None:
            return low
        candidate = last.end() - 1
        stop = _STOP.match(text, candidate, position)
        if stop is not None and not (
            stop.group("capital") is not None and _NOT_END.search(text, max(0, candidate - 5), stop.end())
        ):
            return stop.end()
        end = candidate


class Sentences:
    """The sentences of one text: every stop is found in one pass, then each sentence is two
    binary searches away.

    A stop is seen only within the window around a word, as a search limited to it would see
    it: a full stop counts only when the capital after it lies inside.
    """

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._seen: list[int] = []  # how far a stop must see to be one
        for match in _STOP.finditer(text):
            if match.group("capital") is not None:
                if _NOT_END.search(text, max(0, match.start() - 5), match.end()):
                    continue
                seen = match.end("capital")
            else:
                seen = match.end()
            self._starts.append(match.start())
            self._ends.append(match.end())
            self._seen.append(seen)

    def around(self, position: int, *, headings: bool = True) -> tuple[int, int]:
        """Start and end of the sentence that holds `position`; with `headings`, a short line
        above it without closing punctuation is a heading, not part of it (in memos; a hand
        wrapped note has short lines that are not)."""
        text = self.text
        start = self._stop_before(max(0, position - WINDOW), position)
        while headings:  # a heading line ("Corporate Development") is not part of the sentence under it
            while start < position and text[start].isspace():
                start += 1
            newline = text.find("\n", start, position)
            line = text[start:newline].strip()
            if newline < 0 or not 0 < len(line) <= HEADING_LIMIT or line[-1] in ".,;:!?":
                break
            start = newline + 1
        return start, self._stop_after(position, min(len(text), position + WINDOW))

    def _stop_before(self, low: int, position: int) -> int:
        """The end of the last stop in `text[low:position]`, or `low` when there is none."""
        index = bisect_left(self._starts, position) - 1
        while index >= 0 and self._starts[index] >= low:
            if self._seen[index] <= position:
                return self._ends[index]
            index -= 1
        return low

    def _stop_after(self, position: int, end: int) -> int:
        """The end of the first stop in `text[position:end]`, or `end` when there is none."""
        index = bisect_left(self._starts, position)
        while index < len(self._starts) and self._starts[index] < end:
            if self._seen[index] <= end:
                return self._ends[index]
            index += 1
        return end
