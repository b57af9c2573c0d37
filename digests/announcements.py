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

Cost: `find_news` runs on every person-to-person body during sync, so it is built to be cheap
(`benchmarks/news.py` measures it). `might_have_news`, a few substring tests, rejects most mail;
in the rest only the sentences around a trigger word are read, and in those each expression runs
only where its verb is (`news_patterns.Pattern`); a message's full names are gathered only when a
lone first name needs one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from kith.digests.news_patterns import (
    ALL_STEMS,
    CONGRATULATE,
    CONGRATULATE_STEMS,
    FIRST_PERSON,
    LIST_LEAD,
    LIST_LEAD_STEMS,
    LIST_NAME,
    LIST_NEWS,
    LOWER,
    MOURNING,
    NAME,
    NAME_TOKEN_STOP,
    NEW_MEMBERS,
    NEW_MEMBERS_STEMS,
    NEWS_PHRASE,
    NEWS_WORDS,
    PAST,
    SAD,
    THIRD_PERSON,
    TRIGGERS,
    UPPER,
    Pattern,
    matches_at,
    stem_positions,
)
from kith.digests.name_match import name_key
from kith.digests.quoting import Segment, split_segments
from kith.digests.sentences import Sentences

EVIDENCE_LIMIT = 160


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
    """Whether `text` holds any word an announcement needs: about 10 us for 1.5 KB of plain mail,
    so `find_news` can run on every body."""
    return has_news_words(text.lower())


def has_news_words(lowered: str) -> bool:
    """`might_have_news` for text already lower-cased (signal detection lowers a body once)."""
    for word in NEWS_WORDS:
        if word in lowered:
            return True
    return NEWS_PHRASE.search(lowered) is not None


def find_news(subject: str | None, body: str | None, sender_name: str | None = None) -> list[NewsItem]:
    """Every piece of news about a person in one message, one item per person.

    `body` is the plain text kith reads (the start of the body, quoted history included);
    `sender_name` is the sender's display name, used for first-person news in the new text.
    Subject and body are each read only when they pass `might_have_news`.
    """
    texts = []
    if subject and might_have_news(subject):
        texts.append(Segment(text=_strip_prefixes(subject), author=sender_name, from_sender=True))
    if body and might_have_news(body):
        texts.extend(split_segments(body, sender_name))
    if not texts:
        return []
    found: dict[str, NewsItem] = {}
    full_names = _FullNames(texts)
    for segment in texts:
        for item in _segment_news(segment, full_names):
            key = _key(item.name) if item.name else "\x00author"
            found[key] = _merge(found[key], item) if key in found else item
    if not found:
        return []
    mourned = _mourned(texts, full_names)
    return [item for item in found.values() if not (item.name and name_key(item.name) in mourned)]


def _mourned(segments: list[Segment], full_names: _FullNames) -> set[tuple[str, str]]:
    """Name keys of the people named in a sentence that speaks of a death or an illness: an
    obituary recounts a career ("Tom was promoted to Director last spring") in sentences of its
    own, and none of it is news to congratulate."""
    mourned = set()
    for segment in segments:
        matches = list(MOURNING.finditer(segment.text))
        sentences = Sentences(segment.text) if matches else None
        for match in matches:
            start, end = sentences.around(match.start())
            for word in _CAPITALISED.finditer(segment.text, start, end):
                name = _person(word.group(0), full_names, single_ok=False)
                if name and (key := name_key(name)):
                    mourned.add(key)
    return mourned


# A run of capitalised words (a name, with its initials), for `_mourned`.
_CAPITALISED = re.compile(rf"[{UPPER}](?<!\w[{UPPER}])[\w'’-]*\.?(?:[ \t]+[{UPPER}][\w'’-]*\.?)*")


def _merge(a: NewsItem, b: NewsItem) -> NewsItem:
    """One item for a person named twice: the surer reading, with the title either one gives."""
    best, other = (a, b) if a.confidence >= b.confidence else (b, a)
    return replace(best, title=best.title or other.title, company=best.company or other.company)


def _segment_news(segment: Segment, full_names: _FullNames) -> list[NewsItem]:
    """News in one part of a message: each sentence around a trigger word is read once, in the
    order the text gives them."""
    text = segment.text
    lowered = text.lower()
    positions = _trigger_positions(lowered)
    if not positions:
        return []
    sentences = Sentences(text)
    items: list[NewsItem] = []
    seen_sentences: set[tuple[int, int]] = set()
    for position in positions:
        bounds = sentences.around(position)
        if bounds not in seen_sentences:
            seen_sentences.add(bounds)
            items.extend(_sentence_news(text, bounds, segment, full_names))
    return items


def _trigger_positions(lowered: str) -> list[int]:
    """Where each trigger word starts in `lowered`, in order."""
    positions = []
    for scan, words in TRIGGERS:
        at = lowered.find(scan)
        while at >= 0:
            if words is None or lowered.startswith(words, at):
                positions.append(at)
            at = lowered.find(scan, at + 1)
    return sorted(set(positions))


class _Sentence:
    """One sentence, normalised to single spaces, with the stems of `ALL_STEMS` it holds."""

    def __init__(self, text: str, bounds: tuple[int, int]):
        self.text = " ".join(text[bounds[0] : bounds[1]].split())
        lowered = self.text.lower()
        self.present = frozenset(stem for stem in ALL_STEMS if stem in lowered)
        self.lowered = lowered if len(lowered) == len(self.text) else None  # positions must line up


def _sentence_news(text: str, bounds: tuple[int, int], segment: Segment, full_names: _FullNames) -> list[NewsItem]:
    """News in one sentence; nothing when it dates its news in the past. An expression runs only
    where its verb is (see `Pattern.finditer`): most sentences cost a few substring tests."""
    sentence = _Sentence(text, bounds)
    if not sentence.present:
        return []
    items = _third_person(sentence, full_names)
    if not sentence.present.isdisjoint(_AFTER_THIRD):
        more = _other_forms(sentence, text, bounds, segment, full_names)
        if more and not SAD.search(sentence.text):  # sad: only third-person news named before it stands
            items += more
    if items and PAST.search(sentence.text):
        return []
    return items


# Every expression after the third-person ones needs one of these stems.
_AFTER_THIRD = frozenset({stem for pattern in FIRST_PERSON for stem in pattern.stems}
                         | {*CONGRATULATE_STEMS, *NEW_MEMBERS_STEMS, *LIST_LEAD_STEMS})


def _third_person(sentence: _Sentence, full_names: _FullNames) -> list[NewsItem]:
    text, lowered, present = sentence.text, sentence.lowered, sentence.present
    evidence = None
    items = []
    for pattern in THIRD_PERSON:
        if present.isdisjoint(pattern.stems):
            continue  # the usual case, tested here to spare a call
        for match in pattern.finditer(text, lowered, present):
            if SAD.search(text, 0, match.end()) or not _title_ok(match, pattern):
                continue
            name = _person(match.group("name"), full_names, pattern.single_ok)
            if name:
                evidence = evidence or _evidence(text)
                items.append(_item(name, pattern, match, evidence))
                items.extend(_more_objects(text, match, pattern, evidence, full_names))
    return items


def _other_forms(sentence: _Sentence, text: str, bounds: tuple[int, int], segment: Segment,
                 full_names: _FullNames) -> list[NewsItem]:
    """First-person news, "please join me in congratulating", new members, and listed names."""
    words, lowered, present = sentence.text, sentence.lowered, sentence.present
    items = []
    first_person = (segment.author or segment.from_sender) and "I" in words
    for pattern in FIRST_PERSON if first_person else ():
        if present.isdisjoint(pattern.stems):
            continue
        match = pattern.search(words, lowered, present)
        if match and _title_ok(match, pattern) and words.count('"', 0, match.start()) % 2 == 0:
            items.append(NewsItem(name=segment.author, kind=pattern.kind, evidence=_evidence(words),
                                  confidence=pattern.confidence, title=_group(match, "title"),
                                  company=_group(match, "company"), author_news=True,
                                  from_sender=segment.from_sender))
            break
    if not present.isdisjoint(CONGRATULATE_STEMS):
        for match in CONGRATULATE.finditer(words):
            kind = _congratulated_for(text, bounds)
            if kind is None:
                continue
            for raw in _NAME_LIST_SPLIT.split(match.group("names")):
                name = _person(raw, full_names)
                if name:
                    items.append(NewsItem(name=name, kind=kind, evidence=_evidence(words), confidence=0.85))
    for match in _stem_matches(NEW_MEMBERS, NEW_MEMBERS_STEMS, sentence):
        for raw in _NAME_LIST_SPLIT.split(match.group("names")):
            name = _person(raw, full_names, single_ok=False)
            if name:
                items.append(NewsItem(name=name, kind="joined", evidence=_evidence(words), confidence=0.75))
    if ":" in words:
        lead = next(_stem_matches(LIST_LEAD, LIST_LEAD_STEMS, sentence), None)
        if lead and LIST_NEWS.search(words, 0, lead.end()):
            items.extend(_listed(text, bounds[1], _evidence(words), words, full_names))
    return items


_NAME_LIST_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def _stem_matches(regex: re.Pattern, stems: tuple[str, ...], sentence: _Sentence) -> Iterator[re.Match]:
    """`regex.finditer` over the sentence, for an expression that starts with one of `stems`."""
    if sentence.present.isdisjoint(stems):
        return iter(())
    if sentence.lowered is None:
        return regex.finditer(sentence.text)
    return matches_at(regex, sentence.text, stem_positions(sentence.lowered, stems))


def _listed(text: str, after: int, evidence: str, lead: str, full_names: _FullNames) -> list[NewsItem]:
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
                  full_names: _FullNames) -> list[NewsItem]:
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
# A capital not after a letter (a class first: the engine skips to it fast), then the name.
_FULL_NAME = re.compile(rf"[{UPPER}](?<!\w[{UPPER}])[{LOWER}]+(?:\s+[{UPPER}]\.?)?"
                        rf"(?:\s+(?:Mc|Mac|O')?[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)+")


def _strip_prefixes(subject: str) -> str:
    return _PREFIX.sub("", subject.strip())


class _FullNames:
    """`_full_names` of a message's parts, read only when a lone name needs expanding."""

    def __init__(self, segments: list[Segment]):
        self._segments = segments
        self._table: dict[str, str] | None = None

    def get(self, short: str) -> str | None:
        if self._table is None:
            self._table = _full_names(" ".join(segment.text for segment in self._segments))
        return self._table.get(short)


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


def _person(raw: str | None, full_names: _FullNames, single_ok: bool = True) -> str | None:
    """The name a pattern captured, cleaned; a lone first name or surname is expanded when the
    message gives exactly one full name for it, and kept alone only where `single_ok`."""
    name = _clean_name(raw or "")
    if name is None:
        return None
    if " " not in name:
        full = full_names.get(name.lower())
        return full or (name if single_ok else None)
    return name


@lru_cache(maxsize=4096)  # names recur: a memo's cast, a sender's signature
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


def _evidence(sentence: str) -> str:
    return sentence if len(sentence) <= EVIDENCE_LIMIT else sentence[: EVIDENCE_LIMIT - 1].rstrip() + "…"
