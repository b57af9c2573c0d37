"""`sentence_start`, the backward reading questions use, agrees with `Sentences`' forward scan."""

import random

from kith.digests.sentences import Sentences, sentence_start

# Pieces that make every kind of stop and non-stop: full stops before capitals and not, initials
# and abbreviations, colons and semicolons at a line's end, blank lines with spaces and tabs.
PIECES = ("a", "b", " ", " ", "A", "B", ".", "!", "?", ":", ";", "\n", "\n", '"', "(", "Mr", "Inc", "\t", "U.S")


def test_backward_reading_finds_the_forward_scans_start_on_random_text():
    rng = random.Random(20261129)
    checked = 0
    for _ in range(20000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        for position, char in enumerate(text):
            if char == "?":
                assert sentence_start(text, position) == Sentences(text).around(position, headings=False)[0], (text, position)
                checked += 1
    assert checked > 10000


def test_backward_reading_on_mail_text():
    text = "Hi Dana,\n\nThanks for the notes. Mr. Lee asked: can you send the deck?\nBest"
    position = text.index("?")
    # "Mr." is no stop, nor is a colon inside a line
    assert text[sentence_start(text, position) : position + 1] == " Mr. Lee asked: can you send the deck?"
    memo = "Agenda:\n\nWho will chair the Q3 review? Please reply."
    assert memo[sentence_start(memo, memo.index("?")) : memo.index("?") + 1] == "Who will chair the Q3 review?"
