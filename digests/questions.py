"""Questions in mail that expect an answer from the reader, for `digests.signals`.

A question is a whole sentence ending in "?", found with `digests.sentences` over the new text
(lines wrapped by the mail client are one sentence; a blank line ends one), never a line's tail
("see covered by anyone?") nor a table cell ("$100,000; Foundation ?": a "?" after a space asks
nothing). It counts when it expects an answer from the reader:

- it asks the reader: it speaks to them ("you", "your"), proposes something together ("shall
  we", "can I"), or opens as a question does ("Can my mother come back with us?");
- it is not quoted speech (a question inside quotation marks, put to a panel or a reader of a
  memo, is not the writer's question to the user);
- it is not put to a whole group ("Does anyone have ideas?");
- it is not small talk ("How are you?", "How is my famous cousin?") nor rhetorical
  ("Who knew?", "Can you believe it?", "Isn't that great?");
- in a thank-you note, only a request or a plan counts ("Could you send ...?", "When can we
  meet?"): "Thanks for dinner! How did you find such a place?" expects no answer.
"""

from __future__ import annotations

import re

from kith.digests.sentences import sentence_start

MIN_WORDS = 3
MAX_CHARACTERS = 300  # longer, and the "sentence" is a run-on paragraph or a list, not a question

_GREETING = re.compile(r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^\n?]{0,40}[,!:\n]\s*",
                       re.IGNORECASE)
_TO_READER = re.compile(
    r"\b(?:you|your|yours|yourself|u)\b|\b(?:shall|should|can|could|may|might|do|would)\s+(?:we|i)\b"
    r"|^(?:(?:so|and|but|also|now|then|finally|ok|okay),?\s+)?(?:can|could|would|will|shall|should|may|might|is|are|"
    r"was|were|do|does|did|have|has|what|when|where|which|who|whom|whose|how|why|any)\b",
    re.IGNORECASE,
)
_GROUP = re.compile(r"\b(?:anyone|anybody|everyone|everybody|any of you|all of you|folks|y'all|you all|you guys)\b",
                    re.IGNORECASE)
_SMALL_TALK = re.compile(
    r"^(?:(?:so|and|but|well|anyway|also|oh),?\s+)?(?:how(?:'s| is| are| have| has| was| were| goes| did)\s+(?:you|things|everything|life|it|the|your|my|all|work|"
    r"business|family|kids)\b[^?]{0,40}\?$|how (?:are|have) you(?: been| doing)?\b[^?]{0,25}\?$|what's new\b)",
    re.IGNORECASE,
)
_RHETORICAL = re.compile(
    r"\b(?:who knew|who would have (?:thought|guessed|known)|can you believe|could you believe|would you believe|"
    r"what more could|how (?:cool|great|amazing|wonderful|lucky|fun|nice|exciting) (?:is|was|are|were) that|"
    r"how about that|(?:isn't|wasn't|aren't|weren't) (?:it|that|this|they|he|she) (?:just )?"
    r"(?:great|wonderful|amazing|fantastic|lovely|incredible|something|fun|nice|beautiful|terrific)|"
    r"guess what|need i say more|what a\b|why not\?$|,\s*(?:right|ok|okay|yes|no|eh|huh)\?$|you know\?$|"
    r"don't you think\?$|"
    r"what (?:else )?can i say|where (?:do|does) the time go|how time flies)",
    re.IGNORECASE,
)
# A thank-you note opens with its thanks (a "Thanks," above the signature is no thank-you note).
# Substrings without which `_GROUP` and `_RHETORICAL` cannot match: most questions skip them.
_GROUP_CUES = ("any", "every", "all", "folks", "guys")
_RHETORICAL_CUES = ("knew", "would have", "believe", "more could", "how ", "n't", "guess", "say more", "what a",
                    "why not", "right?", "ok?", "okay?", "yes?", "no?", "eh?", "huh?", "know?", "think?", "can i say",
                    "time go", "time flies")
_THANKS = re.compile(r"(?:thank(?:s| you)|many thanks|i (?:really |truly )?appreciate|(?:i am|i'm) (?:so |very )?grateful)\b",
                     re.IGNORECASE)
_REQUEST = re.compile(
    r"^(?:(?:could|can|would|will)\s+(?:you|we|i)\b|(?:do|are|would)\s+you\s+(?:have|mind|want|know|free|available|"
    r"agree|think we|need)\b|(?:shall|should|may)\s+(?:we|i)\b|(?:when|where|what time|which day)\b.*\b(?:you|we)\b|"
    r"is (?:there|it) (?:a |any )?(?:chance|way|possible|ok|okay|alright|convenient)\b|any chance\b|"
    r"would it be\b|is \w+ (?:free|available)\b)",
    re.IGNORECASE,
)


def find_question(text: str) -> str | None:
    """The first question in `text` (a mail's new text) that expects an answer, as one line;
    None when there is none."""
    position = text.find("?")
    if position < 0:
        return None
    quotes = '"' in text or "“" in text or "”" in text  # most mail has none to count
    thank_you_note = None  # read once a question passes every other test
    while position >= 0:
        # Only the paragraph that holds the "?" (as far back as a question may reach) is cut into
        # sentences: a sentence never crosses a blank line, and most of a long note is not read.
        low = max(text.rfind("\n\n", 0, position) + 1, position - MAX_CHARACTERS - 1, 0)
        start = sentence_start(text[low : position + 2], position - low)
        question = _whole(text[low + start : position + 1])
        if question and not (quotes and _in_quotation(text, position)) and asks_reader(question):
            if thank_you_note is None:
                thank_you_note = _opens_with_thanks(text)
            if not thank_you_note or _REQUEST.search(question):
                return question
        while position + 1 < len(text) and text[position + 1] in "?!":
            position += 1  # "??" and "?!" end one question
        position = text.find("?", position + 1)
    return None


def asks_reader(question: str) -> bool:
    """Whether a question (one sentence) asks the reader something they should answer, in any
    mail but a thank-you note (where only a request or a plan counts: `_REQUEST`)."""
    lowered = question.lower()
    if not _TO_READER.search(question):
        return False
    if contains_any(lowered, _GROUP_CUES) and _GROUP.search(question):
        return False
    if _SMALL_TALK.match(question):
        return False
    return not (contains_any(lowered, _RHETORICAL_CUES) and _RHETORICAL.search(question))


def _opens_with_thanks(text: str) -> bool:
    """Whether the mail is a thank-you note: its thanks come first, after any greeting."""
    greeting = _GREETING.match(text)
    return _THANKS.match(text, greeting.end() if greeting else 0) is not None


def contains_any(lowered: str, words: tuple[str, ...]) -> bool:
    """Whether any of `words` is in `lowered`: a plain loop, twice as fast as `any()` over a
    generator, and this runs on every question and every body."""
    for word in words:
        if word in lowered:
            return True
    return False


def _in_quotation(text: str, position: int) -> bool:
    """Whether `position` lies inside quotation marks opened earlier in its paragraph."""
    start = text.rfind("\n\n", 0, position) + 1
    return (text.count('"', start, position) + text.count("“", start, position)
            - text.count("”", start, position)) % 2 == 1


def _whole(sentence: str) -> str | None:
    """The sentence as one line without a leading greeting, or None when it is no sentence
    (a "?" after a space or a "!" as in a "Do You Yahoo!?" footer, too few words, a link, a
    run-on paragraph)."""
    sentence = sentence.strip()
    greeting = _GREETING.match(sentence)
    if greeting:
        sentence = sentence[greeting.end() :]
    # Unwrap, and keep only the last line of a paragraph break inside (a list above the question)
    sentence = sentence.rsplit("\n\n", 1)[-1]
    words = sentence.split()
    sentence = " ".join(words)
    if len(sentence) < 2 or sentence[-2].isspace() or sentence[-2] == "!" or len(sentence) > MAX_CHARACTERS:
        return None
    if "://" in sentence or "@" in sentence:
        return None
    if not sentence[0].isalnum() and sentence[0] not in "\"'“(":
        return None
    return sentence if _enough_words(words) else None


def _enough_words(words: list[str]) -> bool:
    """Whether at least `MIN_WORDS` of `words` start with a letter."""
    count = 0
    for word in words:
        if word[:1].isalpha():
            count += 1
            if count == MIN_WORDS:
                return True
    return False
