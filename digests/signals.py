"""Signal detection on incoming records: runs on each batch while bodies are still in memory.

This is the only place mail bodies are read (they are never stored), so every signal keeps just
a short evidence snippet (one sentence, at most 160 characters). Kinds found here:

- `birthday`: Google's contacts' birthday calendar (matched by attendee email), any event whose
  title names whose birthday it is ("Dana's birthday", "Birthday: Dana Kim", "Bday Sam";
  `digests.birthdays`), and "Wish X a happy birthday" notifications.
- `new_role`, `promotion`, `work_anniversary`, `award`: notification mail from LinkedIn-like
  services ("X started a new position as TITLE at COMPANY", "Congratulate X on N years at
  COMPANY"), announcements in a contact's own mail ("I've joined", "I'm starting", "promoted
  to"), and news about people named anywhere in a message: memos, forwards, quoted replies
  ("X has been promoted to Director", "please join me in congratulating X";
  `digests.announcements`).
- `launch`: "we launched" / "we just launched" in a contact's own mail.
- `question`: a person's (or the user's) message whose new text asks a direct question.
- `promise`: the user's own sent mail promising something ("I'll send", "let me introduce you").
- `congratulated`: the user's own mail congratulating its recipients ("Congratulations!").

`address` is whom a signal is about: the contact's email address; for the user's own mail
(questions, promises, congratulations) its recipient. News that only names a person (a
notification, a memo) is filed under `name:` plus the lower-cased name (`name:dana kim`); the
digest resolves it to a known person by name and drops it when nobody, several people or the
user match (see `NAME_PREFIX` and `digests.congratulate`).

Cost: this runs on every message during ingest. Automated and list mail is skipped on headers
alone; only mail from or to the user has its body read, with precompiled expressions, and news
detection rejects most bodies with a few substring tests (`benchmarks/news.py`).
"""

from __future__ import annotations

import re
from datetime import date

from kith.digests.announcements import find_news, has_news_words, might_have_news
from kith.digests.birthdays import birthday_name
from kith.digests.news_patterns import ROLE
from kith.digests.name_match import display_name
from kith.digests.questions import contains_any
from kith.digests.questions import find_question as expected_question
from kith.digests.sentences import Sentences
from kith.digests.quoting import new_text as quoted_new_text
from kith.models import Batch, Meeting, Message, Signal
from kith.models.signals import SignalKind
from kith.models.automated import is_bulk, sender_kind

NAME_PREFIX = "name:"
SNIPPET_LIMIT = 160
QUESTION_LIMIT = 240  # a question is shown whole: most real ones fit, the rest end in "…"
NEW_TEXT_LINES = 60  # how far into a body the new (unquoted) text is read (an RSVP may close a long note)
MASS_RECIPIENTS = 10  # more recipients than this, without the user among them: not a conversation

_SIGNATURE = re.compile(r"^Sent from my ", re.IGNORECASE | re.MULTILINE)

# A greeting line of first names only ("Sandeep and Vasant:", "Hi Bob,"), and how it and
# addresses split into names.
_SALUTATION = re.compile(r"\s*(?:(?:hi|hello|hey|dear)\s+)?(?P<names>[A-Z][a-z]+(?:(?:\s*,\s*|\s*&\s*|\s+and\s+)"
                         r"[A-Z][a-z]+){0,5})\s*[,:!-]?[ \t]*\n", re.IGNORECASE)
_SALUTATION_JOINS = re.compile(r"\s*,\s*|\s*&\s*|\s+and\s+", re.IGNORECASE)
_NAME_PARTS = re.compile(r"[^a-z]+")

# LinkedIn-style notification subjects (or first lines of their body).
_LI_NEW_ROLE = re.compile(
    r"^(?P<name>[^,.:;]{3,80}?) (?:started|has started|is starting) a new (?:position|role|job) as "
    r"(?P<title>.{2,80}?) at (?P<company>.{2,80}?)[.!]?$"
)
_LI_PROMOTION = re.compile(
    r"^(?:Congratulate )?(?P<name>[^,.:;]{3,80}?) (?:was|has been|got) promoted to (?P<title>.{2,80}?)"
    r"(?: at (?P<company>.{2,80}?))?[.!]?$"
)
_LI_ANNIVERSARY = re.compile(
    r"^(?:Congratulate|Celebrate) (?P<name>[^,.:;]{3,80}?) on (?:(?P<years>\d{1,2}) years?|their work anniversary)"
    r"(?: at (?P<company>.{2,80}?))?[.!]?$"
)
_LI_BIRTHDAY = re.compile(r"^(?:Wish|Say happy birthday to) (?P<name>[^,.:;]{3,80}?)(?: a happy birthday)?[.!]?$")

# Announcements in a contact's own mail.
# Words an announcement cannot do without; a lower-cased substring test rejects most mail far
# faster than a case-insensitive expression would.
ANNOUNCE_WORDS = ("joined", "starting", "promoted", "launched")
_JOINED = re.compile(
    r"\b(?:I've|I have|I)\s+(?:just\s+|officially\s+)?joined\s+(?P<company>[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,4})"
    r"(?:\s+as\s+(?:an?\s+|the\s+|our\s+)?(?P<title>[A-Z][\w&'-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w&'-]*){0,5}))?"
)
_STARTING = re.compile(
    r"\b(?:I'm|I am)\s+(?:starting|beginning)\s+(?:a\s+new\s+(?:role|position|job)\s+)?"
    r"(?:as\s+(?:an?\s+|the\s+)?(?P<title>[A-Z][\w&'-]*(?:\s+(?:of\s+)?[A-Z][\w&'-]*){0,5}))?"
    r"(?:\s*(?:at|with)\s+(?P<company>[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,4}))?"
)
_PROMOTED = re.compile(
    r"\b(?:I've|I have|I was|I got|I've just been|I have been|I've been)\s+(?:just\s+)?(?:been\s+)?promoted\s+to\s+"
    r"(?:an?\s+|the\s+)?(?P<title>[A-Z][\w&'-]*(?:\s+(?:of\s+)?[A-Z][\w&'-]*){0,5})"
)
_LAUNCHED = re.compile(r"\b[Ww]e(?:'ve| have)?\s+(?:just\s+|finally\s+|officially\s+)?launched\b\s*(?P<what>(?:[^.!?\n]|\.(?=\S)){0,80})")

# Promises in the user's own mail, and the words every one starts with, lower-cased: a substring
# test on them spares the case-insensitive expression (14 us on a short body) on most of the
# user's mail. (The expression alone would also take "İ'll": the engine folds İ and ı to i, which
# lower() does not.)
PROMISE_LEADS = ("i'll", "i will", "i shall", "i'm going to", "let me", "i can")
_PROMISE = re.compile(
    rf"\b(?:{'|'.join(map(re.escape, PROMISE_LEADS))})\s+(?:also\s+)?"
    r"(?:send|follow up|follow-up|introduce|get back|circle back|share|check|forward|look into|put together|"
    r"come back|connect you|make (?:the|an) intro|draft|write up)",
    re.IGNORECASE,
)
# Only the user's own promises count: "I can check" after "if you want" is an offer, kept anyway.


def detect_signals(batch: Batch, user_addresses: list[str]) -> list[Signal]:
    """Every signal a batch shows: birthdays from calendars, roles and questions from mail."""
    user = frozenset(a.lower() for a in user_addresses)
    signals: list[Signal] = []
    for meeting in batch.meetings:
        signals.extend(birthday_signals(meeting))
    for message in batch.messages:
        if message.sender is not None and message.sent_at is not None:
            signals.extend(message_signals(message, user))
    return signals


def birthday_signals(meeting: Meeting) -> list[Signal]:
    """A birthday on this event's day: a birthday event's person (Google's contacts' birthdays,
    matched by attendee email), else whoever its title names ("Dana's birthday", "Bday Sam" on
    any event: see `digests.birthdays`), filed under `name:` for the digest to resolve."""
    if meeting.status == "cancelled" or meeting.event_type not in ("default", "birthday"):
        return []
    day, evidence = meeting.start.date(), meeting.title or "birthday"
    if meeting.event_type == "birthday":
        found = [_signal(meeting, "birthday", a.email, day, evidence, 0.95) for a in meeting.attendees
                 if "@" in a.email and not a.email.endswith("@virtual")]
        if found:
            return found
    name = birthday_name(meeting.title)
    return [_signal(meeting, "birthday", NAME_PREFIX + name.lower(), day, evidence, 0.8)] if name else []


def message_signals(message: Message, user: frozenset[str]) -> list[Signal]:
    """Signals in one message (headers first; the body only for person-to-person mail)."""
    sender = message.sender.email.lower()
    kind = sender_kind(sender)
    if kind == "notification":
        return _notification_signals(message)
    body = message.body_text
    if not body:
        return []  # every signal below reads the body; connectors leave bulk and machine mail unread
    if is_bulk(message.list_id, message.list_unsubscribe, message.precedence, message.auto_submitted):
        return []
    from_user = sender in user
    if not from_user:
        # A machine's address is never read; a role mailbox (info@, hello@) is, as whether it is
        # a person depends on whether the user writes to it, which the warehouse decides later.
        if kind == "automated":
            return []
        # Mass mail that does not name the user is not a conversation (undisclosed lists are).
        if len(message.to) + len(message.cc) > MASS_RECIPIENTS and not any(
            a.email.lower() in user for a in (*message.to, *message.cc)
        ):
            return []
    if "’" in body:
        # Typographic apostrophes ("I’ll", "isn’t"), as most mail apps now write them, read as the
        # plain ones every rule below is written with.
        body = body.replace("’", "'")
    out: list[Signal] = []
    own: list[Signal] = []
    # The new text is cut only when the body holds what a detector below needs: every test on
    # the text holds on the body too (the text is the body's first lines, stripped), and most
    # mail asks, promises and announces nothing.
    lowered = body.lower()
    if from_user:
        if "?" in body or contains_any(lowered, PROMISE_LEADS) or contains_any(lowered, CONGRATULATING):
            other = next((a.email.lower() for a in (*message.to, *message.cc) if a.email.lower() not in user), None)
            text = new_text(body) if other is not None else ""
            if text:
                lowered_text = text.lower()
                question = find_question(text)
                if question:
                    out.append(_mail_signal(message, "question", other, question, 0.6))
                match = _PROMISE.search(text) if contains_any(lowered_text, PROMISE_LEADS) else None
                if match:
                    out.append(_mail_signal(message, "promise", other, sentence_at(text, match.start()), 0.7))
                out.extend(_congratulated(message, user, text, lowered_text))
    elif "?" in body or contains_any(lowered, ANNOUNCE_WORDS):
        text = new_text(body)
        if text:
            question = find_question(text)
            if question and not greets_others(text, message, user):
                out.append(_mail_signal(message, "question", sender, question, 0.6))
            if contains_any(text.lower(), ANNOUNCE_WORDS):
                own = _announcements(message, sender, text)
    if own or has_news_words(lowered) or (message.subject and might_have_news(message.subject)):
        out.extend(news_signals(message, from_user, own))
    return out


def news_signals(message: Message, from_user: bool, own: list[Signal]) -> list[Signal]:
    """News about people anywhere in the message (memos, forwards, quoted replies; see
    `digests.announcements`), with `own`, the sender's news as `_announcements` reads it.

    News about someone named is filed under `name:` and their name, for the digest to resolve;
    first-person news in the sender's own text under the sender's address, and none of the
    user's own. Kinds as signals store them: someone joining is a new role. `_announcements`
    reads titles and companies better, `find_news` knows past dates and sad news ("When I joined
    Enron in 1999"): a new role or promotion of `own` is kept only when `find_news` finds it too.
    """
    items = find_news(message.subject, message.body_text, message.sender.name or display_name(message.x_from))
    confirmed = {NEWS_KINDS.get(item.kind, item.kind) for item in items if item.author_news and item.from_sender}
    kept = [signal for signal in own if signal.kind not in NEWS_CONFIRMED or signal.kind in confirmed]
    if not items:
        return kept  # nearly always: the pre-filter rejects most bodies in a few microseconds
    taken = {(signal.kind, signal.address) for signal in kept}
    out = kept
    for item in items:
        if item.author_news and item.from_sender:
            if from_user:
                continue  # the user's own news is never a congratulation
            address = message.sender.email.lower()
        elif item.name:
            address = NAME_PREFIX + item.name.lower()
        else:
            continue
        kind = NEWS_KINDS.get(item.kind, item.kind)
        if (kind, address) in taken:
            continue
        taken.add((kind, address))
        company = None if (item.company or "").lower() in _COMPANY_WE else item.company
        title = item.title if item.title and ROLE.search(item.title) and len(item.title) <= TITLE_LIMIT else None
        out.append(Signal(account=message.account, source_id=message.source_id, kind=kind, address=address,
                          happened_on=message.sent_at.date(), evidence=item.evidence, confidence=item.confidence,
                          company=company, title=title))
    return out


# find_news kinds as signals store them, and companies that are only the writer's own ("joining us").
NEWS_KINDS = {"joined": "new_role"}
NEWS_CONFIRMED = frozenset({"new_role", "promotion"})  # kinds of `_announcements` that find_news confirms
_COMPANY_WE = frozenset({"us", "the firm", "the company", "the team"})
# What follows "promoted to" or "will head" is a title only when it names a role ("Vice President",
# "chief financial officer"), not "this function" or "the commercial development effort along
# with ..." (`news_patterns.ROLE`); otherwise the digest quotes the sentence.
TITLE_LIMIT = 60
# Words of a congratulation in the user's own mail: the news it answers is done.
CONGRATULATING = ("congratulation", "congrats", "well deserved", "well-deserved")


def _congratulated(message: Message, user: frozenset[str], text: str, lowered: str) -> list[Signal]:
    """One `congratulated` signal per direct recipient of the user's mail that congratulates
    (`lowered`: the text lower-cased)."""
    at = min((lowered.find(word) for word in CONGRATULATING if word in lowered), default=-1)
    if at < 0:
        return []
    evidence = sentence_at(text, at)
    recipients = dict.fromkeys(a.email.lower() for a in message.to if a.email.lower() not in user)
    return [_mail_signal(message, "congratulated", address, evidence, 0.9) for address in recipients]


def new_text(body: str) -> str:
    """The first lines a person wrote in this message, without quoted history, forwards (in the
    forms `digests.quoting` knows) or a "Sent from my phone" signature; paragraphs kept."""
    text = quoted_new_text(body, NEW_TEXT_LINES)
    signature = _SIGNATURE.search(text)
    return text[: signature.start()].rstrip() if signature else text


def greets_others(text: str, message: Message, user: frozenset[str]) -> bool:
    """Whether the mail opens by naming only other recipients ("Sandeep and Vasant:" with the
    user copied in): its questions are put to them, not to the user. Only when one of the user's
    own addresses is among the recipients (an address of theirs missing from the settings would
    look like someone else's), and a name that is no other recipient's ("Vince:", whatever the
    user's address spells) keeps the question the user's."""
    if len(message.to) + len(message.cc) < 2:
        return False  # the user alone, or someone else alone: never both, as this needs
    greeting = _SALUTATION.match(text)
    if greeting is None:
        return False
    others: set[str] = set()
    own: set[str] = set()
    for address in (*message.to, *message.cc):
        email = address.email.lower()
        parts = own if email in user else others
        parts.update(_NAME_PARTS.split(email.split("@", 1)[0]))
        if address.name:
            parts.update(_NAME_PARTS.split(address.name.lower()))
    if not own:
        return False
    names = [name.lower() for name in _SALUTATION_JOINS.split(greeting.group("names"))]
    return all(name in others and name not in own for name in names)


def find_question(text: str) -> str | None:
    """The first question in `text` that expects an answer (`digests.questions`), as a snippet."""
    question = expected_question(text)  # already one line, its spaces single
    if question is None or len(question) <= QUESTION_LIMIT:
        return question
    return snippet(question, QUESTION_LIMIT)


def sentence_at(text: str, position: int) -> str:
    """The sentence of `text` that holds `position`, as a snippet: lines wrapped by the mail
    client are one sentence ("I will send you the plan when" / "it is done." is one promise), as
    `digests.sentences` cuts them. Called only where a promise or news word was found."""
    # One past the word's first letter: a capital there ("Good to hear. I'll send") is what ends
    # the sentence before, and a stop counts only once what makes it one is behind the position.
    start, end = Sentences(text).around(position + 1, headings=False)
    return snippet(text[start:end])


def snippet(text: str, limit: int = SNIPPET_LIMIT) -> str:
    """One line of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _notification_signals(message: Message) -> list[Signal]:
    candidates = [message.subject or ""]
    if message.body_text:
        candidates += [line.strip() for line in message.body_text.splitlines()[:6] if line.strip()]
    for line in candidates:
        line = line.strip()
        for kind, pattern in (("new_role", _LI_NEW_ROLE), ("promotion", _LI_PROMOTION),
                              ("work_anniversary", _LI_ANNIVERSARY), ("birthday", _LI_BIRTHDAY)):
            match = pattern.match(line)
            if match is None:
                continue
            groups = match.groupdict()
            name = " ".join(groups["name"].split())
            return [
                Signal(
                    account=message.account,
                    source_id=message.source_id,
                    kind=kind,
                    address=NAME_PREFIX + name.lower(),
                    happened_on=message.sent_at.date(),
                    evidence=snippet(line),
                    confidence=0.9,
                    company=_clean(groups.get("company")),
                    title=f"{groups['years']} years" if groups.get("years") else _clean(groups.get("title")),
                )
            ]
    return []


def _announcements(message: Message, sender: str, text: str) -> list[Signal]:
    found = []
    for kind, pattern, confidence in (("new_role", _JOINED, 0.75), ("promotion", _PROMOTED, 0.75),
                                      ("new_role", _STARTING, 0.6), ("launch", _LAUNCHED, 0.7)):
        match = pattern.search(text)
        if match is None or any(s.kind == kind for s in found):
            continue
        if pattern is _STARTING and not (match.group("title") or match.group("company")):
            continue
        groups = match.groupdict()
        found.append(
            Signal(
                account=message.account,
                source_id=message.source_id,
                kind=kind,
                address=sender,
                happened_on=message.sent_at.date(),
                evidence=sentence_at(text, match.start()),
                confidence=confidence,
                company=_clean(groups.get("company")),
                title=_clean(groups.get("title")) or _clean(groups.get("what")),
            )
        )
    return found


def _mail_signal(message: Message, kind: SignalKind, address: str, evidence: str, confidence: float) -> Signal:
    # Built unvalidated (`models.trusted`): every field comes typed from a validated Message or
    # from this module, and a question-heavy mailbox makes one for every third message.
    return Signal.trusted(account=message.account, source_id=message.source_id, kind=kind, address=address,
                          happened_on=message.sent_at.date(), evidence=evidence, confidence=confidence,
                          company=None, title=None)


def _signal(meeting: Meeting, kind: str, address: str, day: date, evidence: str, confidence: float) -> Signal:
    return Signal(account=meeting.account, source_id=meeting.source_id, kind=kind, address=address,
                  happened_on=day, evidence=snippet(evidence), confidence=confidence)


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split()).strip(" .,!;:")
    return value or None
