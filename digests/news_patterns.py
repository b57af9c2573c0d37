"""The sentence patterns `digests.announcements` reads news with, as data.

Names are matched case-sensitively (capitalised words, initials, "Mc"/"O'" surnames); verbs
and titles case-insensitively, with scoped `(?i:...)` groups. A pattern's `name` group is the
person the news is about; `title` and `company` are kept when the sentence gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lower-cased substrings: a text holding none of them holds no news (the cheap pre-filter).
TRIGGERS = (
    "promot", "appoint", "named", "naming", "join", "elect", "congrat", "welcom", "hired", "hiring",
    "new role", "new position", "new job", "will lead", "will head", "led by", "headed by", "assume",
    "take over", "take up", "will become", "accepted", "replac", "anniversar", "award", "prize",
    "inducted", "responsibility for", "new member", "has made", "move into", "moving to", "started my",
    "starting", "select", "been added", "to lead", "will move",
)

_TOKEN = r"(?:[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]['’][A-Z][a-z]+|[A-Z]\.)"
_PARTICLE = r"(?:de|van|von|da|del|della|la|le|du|bin|al)"
NAME = (
    rf"(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?{_TOKEN}(?:\s+(?:{_TOKEN}|{_PARTICLE})){{0,4}}"
    r"(?:,?\s+(?:Jr|Sr|III|II)\.?)?)"
)
# ", Executive Vice President and CFO," or ", who will continue to report to me," (one inner comma).
_APPOS = r"(?:,\s*[^,.;]{1,120}?(?:,\s*[^,.;]{1,40}?)?,)?"
_TITLE = r"(?P<title>(?:[^.;,:()]|\.(?=\S)){2,100})"
_BEEN = r"(?i:(?:has|have|had)\s+(?:just\s+|recently\s+|now\s+|also\s+)?been|was|were|is\s+being|(?:was|has been)\s+(?:also|recently|just))"
_THE = r"(?:(?i:the|an?|our|its|their|his|her|this|that)\s+|(?=[A-Z]))"
_LEADIN = r"(?:[\w.&'’-]+,?\s+){0,6}?"
_OBJ_TAIL = rf"{_APPOS}(?:\s+(?i:from)\s+[A-Z][^,.;]{{1,40}}?)?\s+(?i:as|to|for|its|our|their|his|her)\b\s*{_TITLE}"


@dataclass(frozen=True)
class Pattern:
    """One way of writing news: its kind, expression, confidence, and whether a lone first name
    or surname may stand for the person (only where the verb leaves no doubt)."""

    kind: str
    regex: re.Pattern
    confidence: float
    single_ok: bool = True
    needs: tuple[str, ...] = ()  # lower-cased words a sentence must hold for the pattern to run

    def may_match(self, lowered: str) -> bool:
        """Whether the expression can match: a substring test far cheaper than the expression."""
        return not self.needs or any(word in lowered for word in self.needs)


_VERBS = ("promot", "named", "naming", "names", "appoint", "elect", "select", "chosen", "tapped", "added", "made",
          "making", "hire", "hiring", "welcom", "will", "join", "accepted", "replac", "succeed", " by ", "shares",
          "won", "wins", "receiv", "awarded", "inducted", "honor", "honour", "recogni", "celebrat", "marks", "start",
          "began", "beginning", "moving", "transferring", "anniversar")


def _p(kind: str, expression: str, confidence: float, single_ok: bool = True) -> Pattern:
    lowered = expression.lower()
    needs = tuple(word for word in _VERBS if word.strip() in lowered)
    return Pattern(kind, re.compile(expression), confidence, single_ok, needs)


THIRD_PERSON = (
    # X has been promoted to Director / X was promoted to the position of ...
    _p("promotion", rf"\b{NAME}{_APPOS}\s+{_BEEN}\s+(?i:promoted)\b(?:\s+(?i:to)\s+{_THE}?{_TITLE})?", 0.9),
    # X has been named / appointed / elected / selected / added to ... (and headlines: "X Named CFO")
    _p("new_role", rf"\b{NAME}{_APPOS}\s+{_BEEN}\s+(?i:named|appointed|elected|selected|chosen|tapped|added|made)\b"
                   rf"\s*(?i:as|to)?\s*{_THE}?{_TITLE}", 0.9),
    _p("new_role", rf"^{NAME}\s+(?i:named|appointed|elected|promoted)\s+(?i:as\s+|to\s+)?(?P<title>[A-Z][^.;,:]{{1,60}})$", 0.85),
    # X will lead / head / take over / assume / become / join ... (an organisation, not a meeting)
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?:(?i:will continue|continues)[^.;]{{0,90}}?\s+and\s+)?(?i:will|is to|is going to)\s+"
                   rf"(?i:now\s+|also\s+|jointly\s+)?(?:(?i:become|be\s+the\s+new|serve\s+as|head\s+up|head|lead|co-lead|"
                   rf"move\s+(?:from\s+[^.;]{{0,80}}?\s+)?to\s+(?:lead|head|become))\s+{_THE}|"
                   rf"(?i:assume|take\s+over|take\s+up|move\s+into|have\s+(?:overall\s+)?responsibility\s+for|"
                   rf"transfer\b[^.;]{{0,80}}?\bto\s+take\s+(?:up|over))\s+{_THE}?){_TITLE}", 0.8),
    _p("joined", rf"\b{NAME}{_APPOS}\s+(?i:will\s+(?:be\s+)?join(?:ing)?|is\s+joining|(?:has|have)\s+(?:just\s+|recently\s+)?joined|"
                 rf"recently\s+joined|joined)\s+(?P<company>(?i:us|the\s+firm|the\s+company|the\s+team)|[A-Z][^.;,:]{{1,60}}?)"
                 rf"(?:\s+(?i:as)\s+{_THE}?{_TITLE})?(?=[.;,:]|\s+(?i:as|in|on|from|effective|this|next|today)\b|$)", 0.85),
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?i:has|have)\s+(?:just\s+|recently\s+)?accepted\s+(?i:the|an?)\s+"
                   rf"(?i:position|role|job|offer|appointment)\b\s*(?:(?i:of|as|to\s+become|to\s+be|from\s+[^.;]{{0,60}}?\s+to\s+become)\s+)?{_TITLE}?", 0.85),
    # Replacing X in her current role will be Y / Y will replace X
    _p("new_role", rf"(?i:replacing)\s+[A-Z][^.;]{{0,80}}?\s(?i:will\s+be|is)\s+{NAME}", 0.8),
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?i:will\s+(?:replace|succeed)|replaces|succeeds)\s+[A-Z]", 0.75, single_ok=False),
    # The Wholesale group will be led by X
    _p("new_role", rf"(?i:will\s+be|is\s+being|has\s+been|to\s+be)\s+(?i:led|headed|run|chaired)\s+(?i:by)\s+{NAME}", 0.8),
    # Acme has appointed / named / promoted / hired X as / to ...; the appointment of X as ...
    _p("promotion", rf"(?i:promot(?:ed|ing|e)|promotion\s+of)\s+{_LEADIN}{NAME}{_OBJ_TAIL}", 0.85, single_ok=False),
    _p("joined", rf"(?i:hired|hiring|hires|hire|welcomed|welcomes)\s+{_LEADIN}{NAME}{_OBJ_TAIL}", 0.8, single_ok=False),
    _p("new_role", rf"(?i:appoint(?:ed|ing|s)?|named|naming|names|elect(?:ed|ing|s)?|select(?:ed|ing|s)?|made|making|tapped|"
                   rf"(?:appointment|election|selection)\s+of)\s+{_LEADIN}{NAME}{_OBJ_TAIL}", 0.85, single_ok=False),
    # The Board elected a new member to the Board - X
    _p("new_role", rf"(?i:elected|appointed|named|welcomed?|added)\s+(?i:a\s+)?(?i:new)\s+(?i:member|director|trustee|partner)s?"
                   rf"\s+(?i:to|of)\s+[^-–:]{{2,40}}?\s*[-–:]\s*{NAME}", 0.85),
    # X won / received / was inducted into ... prize, award, academy
    _p("award", rf"\b{NAME}{_APPOS}\s+(?i:shares|won|wins|has\s+won|received|receives|has\s+received|(?:was|has\s+been)\s+"
                rf"(?:awarded|inducted|honou?red|recognized|named))\b[^.;]{{0,80}}?"
                rf"(?P<title>(?i:prize|award|medal|honou?r|academy|hall\s+of\s+fame|fellowship))", 0.85),
    # X celebrates 10 years with Acme
    _p("work_anniversary", rf"\b{NAME}\s+(?i:celebrates|celebrated|is\s+celebrating|marks)\s+(?i:(?:his|her|their)\s+)?"
                           rf"(?P<title>\w+)\s+(?i:years?|anniversary)\s+(?i:with|at|of)", 0.8),
)

FIRST_PERSON = (
    _p("joined", r"\bI(?:'ve|’ve| have)\s+(?:just\s+|recently\s+|officially\s+)?joined\s+(?P<company>[A-Z][^.;,:]{1,60})", 0.8),
    _p("joined", r"\bI\s+(?:just|recently)\s+joined\s+(?P<company>[A-Z][^.;,:]{1,60})", 0.75),
    _p("new_role", r"\bI(?:'m|’m| am)?\s+(?:just\s+|recently\s+)?(?:start(?:ed|ing)|began|beginning)\s+(?:my|a)\s+new\s+"
                   r"(?:job|role|position)(?:\s+as\s+(?P<title>[^.;,:]{2,60}?))?(?:\s+(?:at|with)\s+(?P<company>[\"A-Z][^.;,:]{1,60}))?", 0.75),
    _p("promotion", r"\bI(?:'ve|’ve| have| was| got)\s+(?:just\s+|recently\s+)?(?:been\s+)?promoted\s+to\s+(?P<title>[^.;,:]{2,60})", 0.8),
    _p("new_role", r"\bI(?:'ve|’ve| have)\s+(?:just\s+|recently\s+)?been\s+(?:named|appointed|elected)\s+(?:as\s+|to\s+)?(?P<title>[^.;,:]{2,60})", 0.8),
    _p("new_role", r"\bI\s+will\s+be\s+(?:moving|transferring)\s+to\s+(?:the\s+)?(?P<company>[A-Z][^.;,:]{1,40}?\s+"
                   r"(?:group|team|department|division|desk|unit|office))\b", 0.7),
    _p("joined", r"\bI(?:'ve|’ve| have)?\s+(?:just\s+|recently\s+)?accepted\s+(?:an?\s+|the\s+)?(?:offer|position|role|job)\b"
                 r"(?:[^.;]{0,60}?\bas\s+(?:an?\s+|the\s+)?(?P<title>[^.;,:]{2,50}))?", 0.7),
    _p("joined", r"\bI\b[^.;]{0,100}?\band\s+(?:have\s+)?(?:just\s+|recently\s+)?accepted\s+(?:an?\s+|the\s+)?"
                 r"(?:offer|position|role|job)\b(?:[^.;]{0,60}?\bas\s+(?:an?\s+|the\s+)?(?P<title>[^.;,:]{2,50}))?", 0.7),
    _p("work_anniversary", r"\bI\s+(?:just\s+|recently\s+)?celebrated\s+my\s+(?P<title>\w+)\s+anniversary", 0.7),
)

# "Please join me in congratulating A, B and C" (names resolved against the message's full names).
_NAMEISH = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
CONGRATULATE = re.compile(
    r"(?i:join(?:ing)?\s+(?:me|us)\s+in\s+(?:congratulating|welcoming)|congratulations?\s+(?:go(?:es)?\s+)?to|"
    r"please\s+welcome|(?:we|I)\s+(?:would\s+like\s+to\s+)?(?:congratulate|welcome))\s+"
    rf"(?P<names>{_NAMEISH}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_NAMEISH}){{0,11}})"
)

# "the three new members of the board, A, B and C"
NEW_MEMBERS = re.compile(
    r"(?i:new)\s+(?i:members?|directors?|trustees?|fellows?|hires?|partners?|associates?)\s+(?i:of|to|on)\s+"
    rf"(?i:the\s+|our\s+)?[\w ]{{2,30}}?(?:,\s+|:\s*|\s+(?i:are|include)\s+)"
    rf"(?P<names>{_NAMEISH}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_NAMEISH}){{0,11}})"
)

# A lead announcing a list ("The following individuals have been promoted to Vice President:").
LIST_LEAD = re.compile(
    r"(?i)(?:following|these|new)\s+(?:\w+\s+){0,2}(?:individuals?|people|employees|members?|fellows?|hires?|"
    r"associates|analysts|officers|directors|vice\s+presidents|managing\s+directors|managers|colleagues)\b"
    r"[^.]{0,100}?(?:promot|appoint|named|elected|join|hired|welcome|new)[^.]{0,80}:"
)
LIST_NAME = re.compile(rf"^\s*(?:[-*•·]\s+|\d+[.)]\s+)?{NAME.replace(chr(92) + 's+', ' +')}\s*(?:$|[,\t–(]|\s-\s|\s{{2,}})")

# Sad or leaving news: a sentence holding any of these words yields no congratulation.
SAD = re.compile(
    r"(?i)\b(?:died|dies|passed\s+away|death|funeral|condolences?|illness|ill|surgery|hospital\w*|cancer|"
    r"laid\s+off|layoffs?|lay\s+off|severance|severed|resign\w*|retir\w*|leaving|left\s+(?:the\s+company|the\s+firm|us)|"
    r"depart\w*|farewell|terminat\w*|fired|let\s+go|leave\s+of\s+absence|sadness|goodbye|good-bye|last\s+day|"
    r"redundan\w*|outplacement)\b"
)
# News dated in the past ("joined Enron in 1994", "In 2000, he was named", "three years ago").
PAST = re.compile(
    r"(?i)\b(?:in|since|back\s+in)\s+(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+"
    r"(?:\d{1,2},?\s+)?)?(?:19|20)\d\d\b|\b(?:years?|months?)\s+ago\b"
)

# Capitalised words that start or end a sentence or name a thing, never a person's name.
NAME_TOKEN_STOP = frozenset(
    """
    the a an this that these those our we i he she they it his her its their my your you please
    congratulations congratulate today also in as and but on at for to of with from by new all
    enron corp corporation inc llc ltd co company group board office chairman president ceo cfo coo
    vice director manager officer treasurer secretary governor dean professor senior fellow member
    managing executive general counsel chief head team department division unit services energy
    university bank capital partners associates brothers exchange committee council foundation
    institute international america american north south east west central global national
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday two three four five several
    mr mrs ms dr prof sir re fw fwd subject from sent to cc
    """.split()
)
