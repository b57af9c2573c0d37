"""News about people in one message: promotions, new roles, people joining, awards, anniversaries.

Real announcements are mostly in the third person ("X has been promoted to Director", "please
join me in congratulating X", "Acme has named X as its CFO"), in memos to many people, in
forwards and in the quoted text of replies, and often name several people at once. Each
`NewsItem` is about the person named as written, never about whoever sent the memo; first-person
news ("I've joined Acme") belongs to the author of the part of the message it sits in (the
sender, or the author of a quoted or forwarded message). `digests.name_match` turns the name into a
known person.

Sad or ambiguous news never becomes an item: a sentence that speaks of a death, an illness, a
layoff, a resignation, a departure or a retirement is skipped whole, and so is a sentence that
dates its news in the past ("joined in 1994", "in 2000, he was named").

Cost: `find_news` runs on every message body during sync. A lower-cased substring test
(`might_have_news`) rejects most mail before any regular expression runs; only the sentences
around a trigger word are read after that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kith.digests.news_patterns import (
    NAME,
    CONGRATULATE,
    FIRST_PERSON,
    LIST_LEAD,
    LIST_NAME,
    NEW_MEMBERS,
    NAME_TOKEN_STOP,
    PAST,
    SAD,
    THIRD_PERSON,
    TRIGGERS,
    Pattern,
)
from kith.digests.quoting import Segment, split_segments

EVIDENCE_LIMIT = 160
WINDOW = 400  # characters read on each side of a trigger word to find its sentence
HEADING_LIMIT = 45  # a shorter line without closing punctuation above a sentence is a heading


@dataclass(frozen=True)
class NewsItem:
    """One piece of news about one person.

    `name` is the person as the message writes them (a full name where the message gives one:
    "Fred" in "congratulating Fred" becomes "Fred Lagrasta" when the message names him in full).
    `author_news` is true for first-person news, whose `name` is then the author's name as the
    headers give it (None when they give none): resolve it to the sender when `from_sender`.
    """

    name: str | None
    kind: str  # new_role, promotion, joined, work_anniversary, award
    evidence: str
    confidence: float
    title: str | None = None
    company: str | None = None
    author_news: bool = False
    from_sender: bool = False


def might_have_news(text: str) -> bool:
    """Whether `text` holds any word an announcement needs (cheap; run before `find_news`)."""
    lowered = text.lower()
    return any(word in lowered for word in TRIGGERS)


def find_news(subject: str | None, body: str | None, sender_name: str | None = None) -> list[NewsItem]:
    """Every piece of news about a person in one message, one item per person.

    `body` is the plain text kith reads (the start of the body, quoted history included);
    `sender_name` is the sender's display name, used for first-person news in the new text.
    """
    found: dict[str, NewsItem] = {}
    subject = _strip_prefixes(subject or "")
    texts = []
    if subject and might_have_news(subject):
        texts.append(Segment(text=subject, author=sender_name, from_sender=True))
    if body and might_have_news(body):
        texts.extend(split_segments(body, sender_name))
    if not texts:
        return []
    full_names = _full_names(" ".join(s.text for s in texts))
    for segment in texts:
        for item in _segment_news(segment, full_names):
            key = _key(item.name) if item.name else "\x00author"
            found[key] = _merge(found[key], item) if key in found else item
    return list(found.values())


def _merge(a: NewsItem, b: NewsItem) -> NewsItem:
    """One item for a person named twice: the surer reading, with the title either one gives."""
    best, other = (a, b) if a.confidence >= b.confidence else (b, a)
    return replace(best, title=best.title or other.title, company=best.company or other.company)


def _segment_news(segment: Segment, full_names: dict[str, str]) -> list[NewsItem]:
    text = segment.text
    lowered = text.lower()
    items: list[NewsItem] = []
    seen_sentences: set[tuple[int, int]] = set()
    for word in TRIGGERS:
        start = lowered.find(word)
        while start >= 0:
            bounds = _sentence_bounds(text, start)
            if bounds not in seen_sentences:
                seen_sentences.add(bounds)
                items.extend(_sentence_news(text, bounds, segment, full_names))
            start = lowered.find(word, bounds[1])
    return items


def _sentence_news(text: str, bounds: tuple[int, int], segment: Segment,
                   full_names: dict[str, str]) -> list[NewsItem]:
    sentence = " ".join(text[bounds[0] : bounds[1]].split())
    if PAST.search(sentence):
        return []
    evidence = _evidence(sentence)
    lowered = sentence.lower()
    items = []
    for pattern in THIRD_PERSON:
        if not pattern.may_match(lowered):
            continue
        for match in pattern.regex.finditer(sentence):
            if SAD.search(sentence, 0, match.end()) or not _title_ok(match, pattern):
                continue
            name = _person(match.group("name"), full_names, pattern.single_ok)
            if name:
                items.append(_item(name, pattern, match, evidence))
                items.extend(_more_objects(sentence, match, pattern, evidence, full_names))
    if SAD.search(sentence):
        return items
    for pattern in FIRST_PERSON if segment.author or segment.from_sender else ():
        if not pattern.may_match(lowered):
            continue
        match = pattern.regex.search(sentence)
        if match and _title_ok(match, pattern) and sentence.count('"', 0, match.start()) % 2 == 0:
            items.append(NewsItem(name=segment.author, kind=pattern.kind, evidence=evidence,
                                  confidence=pattern.confidence, title=_group(match, "title"),
                                  company=_group(match, "company"), author_news=True,
                                  from_sender=segment.from_sender))
            break
    for match in CONGRATULATE.finditer(sentence):
        kind = _congratulated_for(text, bounds)
        if kind is None:
            continue
        for raw in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", match.group("names")):
            name = _person(raw, full_names)
            if name:
                items.append(NewsItem(name=name, kind=kind, evidence=evidence, confidence=0.85))
    for match in NEW_MEMBERS.finditer(sentence):
        for raw in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", match.group("names")):
            name = _person(raw, full_names, single_ok=False)
            if name:
                items.append(NewsItem(name=name, kind="joined", evidence=evidence, confidence=0.75))
    if LIST_LEAD.search(sentence):
        items.extend(_listed(text, bounds[1], evidence, sentence, full_names))
    return items


def _listed(text: str, after: int, evidence: str, lead: str, full_names: dict[str, str]) -> list[NewsItem]:
    """People listed after a lead such as "have been promoted to Vice President:": one a line
    ("Name", "Name - title", "Name<tab>title", a short "Name, title"), or "Name: ..." entries
    in the paragraph that follows the lead."""
    kind = _kind_from_words(lead) or "new_role"
    block = text[after : after + LIST_LIMIT]
    paragraph = re.split(r"\n\s*\n", block.lstrip("\n"), maxsplit=1)[0]
    names = [m.group("name") for m in _INLINE_ENTRY.finditer(paragraph)]
    blank = 0
    for line in block.splitlines()[:LIST_LINES]:
        if not line.strip():
            blank += 1
            if blank >= 2 and names:
                break
            continue
        match = LIST_NAME.match(line)
        if match and (not match.group(0).rstrip().endswith(",") or len(line.strip()) <= 60):
            names.append(match.group("name"))
    items, seen = [], set()
    for raw in names:
        name = _person(raw, full_names, single_ok=False)
        if name and name not in seen:
            seen.add(name)
            items.append(NewsItem(name=name, kind=kind, evidence=evidence, confidence=0.75))
    return items


LIST_LIMIT = 2000  # characters after a list's lead where its names may be
LIST_LINES = 30
_INLINE_ENTRY = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n)){NAME}:\s")


def _more_objects(sentence: str, match: re.Match, pattern: Pattern, evidence: str,
                  full_names: dict[str, str]) -> list[NewsItem]:
    """Further people in the same appointment: "named X as president and Y as CFO"."""
    if "title" not in pattern.regex.groupindex:
        return []
    items = []
    for more in _AND_AS.finditer(sentence, match.end("name")):
        name = _person(more.group("name") or more.group("name2"), full_names, single_ok=False)
        if name:
            items.append(NewsItem(name=name, kind=pattern.kind, evidence=evidence,
                                  confidence=pattern.confidence - 0.1, title=_group(more, "title")))
    return items


_AND_AS = re.compile(rf"(?:,|\band)\s+{NAME}\s+(?i:as)\s+(?P<title>[^.;,:()]{{2,80}})"
                     rf"|(?i:along\s+with|together\s+with|jointly\s+with)\s+{NAME.replace('<name>', '<name2>')}")
_NOT_WORK = re.compile(r"(?i)\b(?:baby|born|birth|wedding|married|engaged|engagement|parents|newborn|twins|deal|closing)\b")
_JOIN_US = re.compile(r"(?i)join(?:ing)?\s+(?:me|us)\s+in\s+\w+")


def _congratulated_for(text: str, bounds: tuple[int, int]) -> str | None:
    """What a "please join me in congratulating" is for, from its sentence and the one before."""
    context = _JOIN_US.sub(" ", text[max(0, bounds[0] - 300) : bounds[1]])
    if _NOT_WORK.search(context):
        return None
    return _kind_from_words(context)


_KIND_WORDS = (
    ("promotion", re.compile(r"(?i)\bpromot")),
    ("award", re.compile(r"(?i)\b(?:award|prize|honou?r|medal|inducted)")),
    ("work_anniversary", re.compile(r"(?i)\banniversar|\b\d+\s+years\s+(?:with|at)\b")),
    ("joined", re.compile(r"(?i)\b(?:join|joining|welcome|new hires?)\b")),
    ("new_role", re.compile(r"(?i)\b(?:new (?:role|position|responsibilit|job|title|assignment|life)|appoint|named|"
                            r"elected|lead|head|take over|assum|move|responsibilit|president|chief|director|"
                            r"vice|officer|manager|controller|counsel|partner|placement|placed)")),
)


def _kind_from_words(sentence: str) -> str | None:
    """The kind of news a congratulation is for, from the words around it; None when it names
    no work news at all (a baby, a wedding, a deal)."""
    for kind, regex in _KIND_WORDS:
        if regex.search(sentence):
            return kind
    return None


def _item(name: str, pattern: Pattern, match: re.Match, evidence: str) -> NewsItem:
    return NewsItem(name=name, kind=pattern.kind, evidence=evidence, confidence=pattern.confidence,
                    title=_group(match, "title"), company=_group(match, "company"))


_BAD_TITLE = re.compile(
    r"(?i)\b(?:defendants?|plaintiffs?|speakers?|keynote|panel|guests?|moderator|recipients?|attendees?|"
    r"presentation|meeting|discussion|call|session|conference|seminar|lunch|dinner|tour|class|party)\b"
)


def _title_ok(match: re.Match, pattern: Pattern) -> bool:
    title = _group(match, "title") or ""
    return not _BAD_TITLE.search(title[:60])


def _group(match: re.Match, name: str) -> str | None:
    value = match.groupdict().get(name)
    if not value:
        return None
    value = " ".join(value.split()).strip(" .,;:-")
    return value[:80] or None


_PREFIX = re.compile(r"^(?:(?:re|fw|fwd|rv|aw|tr|wg)\s*:\s*)+", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Prof|Sir)\.?\s+)+")
_SUFFIX = re.compile(r",?\s+(?:Jr|Sr|II|III|IV)\.?$")
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z]\.?)?(?:\s+(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)+")


def _strip_prefixes(subject: str) -> str:
    return _PREFIX.sub("", subject.strip())


def _full_names(text: str) -> dict[str, str]:
    """First name (or surname) -> the one full name the message gives for it, for expanding
    "congratulating Fred" into "Fred Lagrasta"; names given for two people are left out."""
    table: dict[str, str | None] = {}
    for match in _FULL_NAME.finditer(text):
        name = _clean_name(match.group(0))
        if name is None or " " not in name:
            continue
        parts = name.split()
        for short in {parts[0].lower(), parts[-1].lower()}:
            if short not in table:
                table[short] = name
            elif table[short] != name:
                table[short] = None  # two people go by it
    return {k: v for k, v in table.items() if v}


def _person(raw: str | None, full_names: dict[str, str], single_ok: bool = True) -> str | None:
    """The name a pattern captured, cleaned; a lone first name or surname is expanded when the
    message gives exactly one full name for it, and kept alone only where `single_ok`."""
    name = _clean_name(raw or "")
    if name is None:
        return None
    if " " not in name:
        full = full_names.get(name.lower())
        return full or (name if single_ok else None)
    return name


def _clean_name(raw: str) -> str | None:
    name = " ".join(raw.split()).strip(" ,.;:'\"()-")
    name = _HONORIFIC.sub("", name)
    name = _SUFFIX.sub("", name)
    words = name.split()
    while words and _stop(words[0]):
        words.pop(0)  # "Senior Fellow Molly Macauley", "Governor Rick Perry"
    if not words or len(words) > 5 or any(_stop(word) for word in words):
        return None
    name = " ".join(words)
    if not all(word[0].isupper() for word in words):
        return None
    return name


def _stop(word: str) -> bool:
    word = word.strip(".,").lower()
    return len(word) > 1 and word in NAME_TOKEN_STOP  # an initial ("A.") is never a stop word


def _key(name: str) -> str:
    return " ".join(name.lower().replace(".", "").split())


_STOP = re.compile(r"[.!?](?=\s+[A-Z\"(])|\n\s*\n|[:;]\s*\n")
_NOT_END = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Inc|Corp|Co|Ltd|No|vs|U\.S|Ph\.D|Sen|Gov|Rep))\.$")


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    """Start and end of the sentence around `position`, within `WINDOW` characters each way.

    A stop is a full stop, "!" or "?" before a capital, a blank line, or a colon at a line's
    end; a full stop after an initial or a usual abbreviation ("M.", "Jr.", "Inc.") is not one.
    """
    low = max(0, position - WINDOW)
    start = low
    for match in _STOP.finditer(text, low, position):
        if not _NOT_END.search(text, max(0, match.start() - 5), match.end()):
            start = match.end()
    while True:  # a heading line ("Corporate Development") is not part of the sentence under it
        while start < position and text[start].isspace():
            start += 1
        newline = text.find("\n", start, position)
        line = text[start:newline].strip()
        if newline < 0 or not 0 < len(line) <= HEADING_LIMIT or line[-1] in ".,;:!?":
            break
        start = newline + 1
    end = min(len(text), position + WINDOW)
    for match in _STOP.finditer(text, position, end):
        if not _NOT_END.search(text, max(0, match.start() - 5), match.end()):
            end = match.end()
            break
    return start, end


def _evidence(sentence: str) -> str:
    return sentence if len(sentence) <= EVIDENCE_LIMIT else sentence[: EVIDENCE_LIMIT - 1].rstrip() + "…"
