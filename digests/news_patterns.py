"""The sentence patterns `digests.announcements` reads news with, as data.

Names are matched case-sensitively (capitalised words, initials, "Mc"/"O'" surnames); verbs
and titles case-insensitively, with scoped `(?i:...)` groups. A pattern's `name` group is the
person the news is about; `title` and `company` are kept when the sentence gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The pre-filter: a text holding none of these (lower-cased) holds no news. Few and rare, as each
# costs a scan of the text (about 0.8 us for 1.5 KB); chosen on the labelled real mail, where each
# one is the only word of some announcement (see tests/digests/real_news_labels.json).
NEWS_WORDS = ("promot", "appoint", "named", "join", "congrat", "welcom", "announc", "accepted", "moving to")
# One scan for "new role", "new position", "new job" and "is our new", "becomes the new", ...: every
# branch starts with "new " (the engine skips to that), the lookbehinds check the words before it.
NEWS_PHRASE = re.compile(r"new (?:role|position|job|(?<=is our new )|(?<=is the new )|(?<=becomes our new )|"
                         r"(?<=becomes the new ))")

# Sentence anchors in a text that passed the pre-filter: each sentence holding one is read. A
# trigger is a substring to scan for and, where that substring is common, the words it must
# start ("elect" in "elected" or "selected", never in "electricity").
TRIGGERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("promot", None), ("appoint", None), ("nam", ("named", "naming")), ("join", None),
    ("elect", ("elected", "electing", "elects", "election")), ("congrat", None), ("welcom", None),
    ("hir", ("hired", "hiring")), ("new ", ("new role", "new position", "new job", "new member")),
    ("will ", ("will lead", "will head", "will become", "will move")), ("led by", None), ("headed by", None),
    ("assume", None), ("take ", ("take over", "take up")), ("accepted", None), ("replac", None), ("succeed", None),
    ("anniversar", None), ("award", None), ("prize", None), ("inducted", None), ("responsibility for", None),
    ("has made", None), ("move into", None), ("moving to", None), ("start", ("started my", "starting")),
    ("been added", None), ("to lead", None), ("over as", None), ("is our new ", None), ("is the new ", None),
    ("becomes ", ("becomes our new ", "becomes the new ")),
)

# Capital and small letters of names, accented ones included ("Björn Ström", "Łukasz", "Renée").
UPPER = "A-ZÀ-ÖØ-ÞĄĆĘŁŃŐŚŠŹŻŽČĎŇŘŤŰ"
LOWER = "a-zß-öø-ÿā-ž"
_U, _L = f"[{UPPER}]", f"[{LOWER}]"
_TOKEN = rf"(?:{_U}{_L}+(?:['’-]{_U}?{_L}+)?|{_U}{_L}*{_U}{_L}+|{_U}['’]{_U}{_L}+|{_U}\.)"
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
# A title ahead that names a role ("our new Head of Data", not "our new office"); also what
# `digests.signals` keeps as a title.
_ROLE_WORDS = (
    r"\b(?:president|vp|director|officer|chief|head|manager|chair(?:man|woman|person)?|counsel|partner|"
    r"treasurer|secretary|controller|analyst|associate|executive|ceo|cfo|coo|cto|cio|evp|svp|fellow|member|"
    r"trustee|governor|dean|professor|engineer|trader|lead|leader|principal|founder|coordinator|adviser|advisor|"
    r"consultant|specialist|administrator|supervisor|economist|scientist|editor|general|commissioner|"
    r"ambassador|undersecretary|chancellor|provost|superintendent|attorney)\b"
)
ROLE = re.compile(f"(?i:{_ROLE_WORDS})")
_ROLE_AHEAD = rf"(?=[^.;,:()]{{0,40}}?(?i:{_ROLE_WORDS}))"
_OBJ_TAIL = rf"{_APPOS}(?:\s+(?i:from)\s+[A-Z][^,.;]{{1,40}}?)?\s+(?i:as|to|for|its|our|their|his|her)\b\s*{_TITLE}"


@dataclass(frozen=True)
class Pattern:
    """One way of writing news: its kind, expression, confidence, and whether a lone first name
    or surname may stand for the person (only where the verb leaves no doubt).

    `finditer` gives what `regex.finditer` gives, but looks only where a match can be: a match
    holds one of `stems` (lower-cased), and
    - `start="stem"`: the expression starts where a stem starts, so it is tried only there
      (and only where `gate`, when given, matches);
    - `start="I"`: it starts at a capital "I" (first-person news), tried only there;
    - `start="name"`: it starts with a name, at any capitalised word; it runs over the sentence
      only when, at some stem, `gate` matches and the text before ends with one of `before`
      (both necessary for a match: they are the expression's verb and the words before it).
    A match also holds one of `also`, when given. The expressions scan a sentence at about 40 ns
    a character, a substring test at about 0.5 ns.
    """

    kind: str
    regex: re.Pattern
    confidence: float
    single_ok: bool = True
    stems: tuple[str, ...] = ()
    start: str = "name"
    gate: re.Pattern | None = None
    before: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

    def finditer(self, sentence: str, lowered: str | None, present: frozenset[str]) -> Iterator[re.Match]:
        """Matches in `sentence`: `lowered` is it lower-cased (None when that changed its length),
        `present` the `ALL_STEMS` it holds."""
        if present.isdisjoint(self.stems) or (self.also and present.isdisjoint(self.also)):
            return iter(())
        if lowered is None:
            return self.regex.finditer(sentence)
        positions = stem_positions(lowered, tuple(stem for stem in self.stems if stem in present))
        if self.start == "name":
            if any(self._gate(sentence, lowered, p) for p in positions):
                return self.regex.finditer(sentence)
            return iter(())
        if self.start == "I":
            positions = stem_positions(sentence, ("I",))
        elif self.gate is not None:
            positions = [p for p in positions if self.gate.match(sentence, p)]
        return matches_at(self.regex, sentence, positions)

    def search(self, sentence: str, lowered: str | None, present: frozenset[str]) -> re.Match | None:
        """The first match, as `regex.search` finds it."""
        return next(self.finditer(sentence, lowered, present), None)

    def _gate(self, sentence: str, lowered: str, position: int) -> bool:
        if self.before and not lowered.endswith(self.before, 0, position):
            return False
        return self.gate is None or self.gate.match(sentence, position) is not None


def stem_positions(text: str, stems: tuple[str, ...]) -> list[int]:
    """Where each of `stems` occurs in `text`, in order."""
    found = []
    for stem in stems:
        at = text.find(stem)
        while at >= 0:
            found.append(at)
            at = text.find(stem, at + 1)
    return sorted(set(found)) if len(stems) > 1 else found


def matches_at(regex: re.Pattern, text: str, positions: list[int]) -> Iterator[re.Match]:
    """`regex.finditer(text)` for an expression that can only start at `positions` (in order)."""
    end = 0
    for position in positions:
        if position < end:
            continue
        match = regex.match(text, position)
        if match:
            end = max(match.end(), position + 1)
            yield match


def _p(kind: str, expression: str, confidence: float, single_ok: bool = True, *, stems: tuple[str, ...],
       start: str = "name", gate: str | None = None, before: tuple[str, ...] = (), also: tuple[str, ...] = ()) -> Pattern:
    return Pattern(kind, re.compile(expression), confidence, single_ok, stems, start,
                   re.compile(gate) if gate else None, before, also)


# Verbs that take the person as their object ("Acme has appointed X as ..."), and what such a
# sentence needs after the verb: a capital (the name) and later "as", "to", ... (`_OBJ_TAIL`).
# Found in one pass without backtracking, where the whole expression tries up to 6 words before
# the name, 5 lengths of name and an appositive for each.
_PROMOTE_VERB = r"(?i:promot(?:ed|ing|e)|promotion\s+of)"
_HIRE_VERB = r"(?i:hired|hiring|hires|hire|welcomed|welcomes)"
_APPOINT_VERB = (r"(?i:appoint(?:ed|ing|s)?|named|naming|names|elect(?:ed|ing|s)?|select(?:ed|ing|s)?|made|making|tapped|"
                 r"(?:appointment|election|selection)\s+of)")
_OBJ_GATE = r"\s+[^A-Z]*[A-Z].*\s(?i:as|to|for|its|our|their|his|her)\b"

# The last word of `_BEEN` ("has been", "was", "was also", ...), as it stands before the verb.
_BEEN_ENDS = ("been ", "was ", "were ", "being ", "also ", "recently ", "just ")
_NAMED = ("named", "appointed", "elected", "selected", "chosen", "tapped", "added", "made")

THIRD_PERSON = (
    # X has been promoted to Director / X was promoted to the position of ...
    _p("promotion", rf"\b{NAME}{_APPOS}\s+{_BEEN}\s+(?i:promoted)\b(?:\s+(?i:to)\s+{_THE}?{_TITLE})?", 0.9,
       stems=("promoted",), gate=r"(?i:promoted)\b", before=_BEEN_ENDS),
    # X has been named / appointed / elected / selected / added to ... (and headlines: "X Named CFO")
    _p("new_role", rf"\b{NAME}{_APPOS}\s+{_BEEN}\s+(?i:named|appointed|elected|selected|chosen|tapped|added|made)\b"
                   rf"\s*(?i:as|to)?\s*{_THE}?{_TITLE}", 0.9,
       stems=_NAMED, gate=rf"(?i:{'|'.join(_NAMED)})\b", before=_BEEN_ENDS),
    _p("new_role", rf"^{NAME}\s+(?i:named|appointed|elected|promoted)\s+(?i:as\s+|to\s+)?(?P<title>[A-Z][^.;,:]{{1,60}})$", 0.85,
       stems=("named", "appointed", "elected", "promoted"),
       gate=r"(?i:named|appointed|elected|promoted)\s+(?i:as\s+|to\s+)?[A-Z][^.;,:]{1,60}$", before=(" ",)),
    # X will lead / head / take over / assume / become / join ... (an organisation, not a meeting)
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?:(?i:will continue|continues)[^.;]{{0,90}}?\s+and\s+)?(?i:will|is to|is going to)\s+"
                   rf"(?i:now\s+|also\s+|jointly\s+)?(?:(?i:become|be\s+the\s+new|serve\s+as|head\s+up|head|lead|co-lead|"
                   rf"move\s+(?:from\s+[^.;]{{0,80}}?\s+)?to\s+(?:lead|head|become))\s+{_THE}|"
                   rf"(?i:assume|take\s+over|take\s+up|move\s+into|have\s+(?:overall\s+)?responsibility\s+for|"
                   rf"transfer\b[^.;]{{0,80}}?\bto\s+take\s+(?:up|over))\s+{_THE}?){_TITLE}", 0.8,
       stems=("will ", "is to ", "is going to "),
       gate=r"(?i:will|is to|is going to)\s+(?i:now\s+|also\s+|jointly\s+)?(?i:become|be\s+the|serve|head|lead|co-lead|"
            r"move|assume|take|have|transfer)\b", before=(" ",)),
    _p("joined", rf"\b{NAME}(?:{_APPOS}\s+(?i:will\s+(?:be\s+)?join(?:ing)?|is\s+joining|joins|(?:has|have)\s+(?:just\s+|recently\s+)?joined|"
                 rf"recently\s+joined|joined)|,\s+(?i:who\s+(?:will\s+(?:be\s+)?join(?:ing)?|is\s+joining|joins)))\s+(?P<company>(?i:us|the\s+firm|the\s+company|the\s+team)|[A-Z][^.;,:]{{1,60}}?)"
                 rf"(?:\s+(?i:as)\s+{_THE}?{_TITLE})?(?=[.;,:]|\s+(?i:as|in|on|from|effective|this|next|today)\b|$)", 0.85,
       stems=("join",), gate=r"(?i:join(?:ing|ed|s)?)\s+(?:(?i:us|the\s+firm|the\s+company|the\s+team)|[A-Z])"),
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?i:has|have)\s+(?:just\s+|recently\s+)?accepted\s+(?i:the|an?)\s+"
                   rf"(?i:position|role|job|offer|appointment)\b\s*(?:(?i:of|as|to\s+become|to\s+be|from\s+[^.;]{{0,60}}?\s+to\s+become)\s+)?{_TITLE}?", 0.85,
       stems=("accepted",), gate=r"(?i:accepted\s+(?:the|an?)\s+(?:position|role|job|offer|appointment))\b",
       before=("has ", "have ", "just ", "recently ")),
    # X is our new Head of Data / X becomes the new CFO (a role must follow: not "our new office")
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?i:is|becomes)\s+(?i:our|the)\s+(?i:new)\s+{_ROLE_AHEAD}{_TITLE}", 0.8,
       stems=("our new ", "the new "), before=("is ", "becomes ")),
    # X takes over as CFO
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?i:takes\s+over|is\s+taking\s+over)\s+(?i:as)\s+{_THE}?{_TITLE}", 0.8,
       stems=("over as",), before=("takes ", "taking ")),
    # Replacing X in her current role will be Y / Y will replace X
    _p("new_role", rf"(?i:replacing)\s+[A-Z][^.;]{{0,80}}?\s(?i:will\s+be|is)\s+{NAME}", 0.8,
       stems=("replacing",), start="stem"),
    _p("new_role", rf"\b{NAME}{_APPOS}\s+(?i:will\s+(?:replace|succeed)|replaces|succeeds)\s+[A-Z]", 0.75, single_ok=False,
       stems=("replace", "succeed"), gate=r"(?i:replaces?|succeeds?)\s+[A-Z]"),
    # The Wholesale group will be led by X
    _p("new_role", rf"(?i:will\s+be|is\s+being|has\s+been|to\s+be)\s+(?i:led|headed|run|chaired)\s+(?i:by)\s+{NAME}", 0.8,
       stems=("will be ", "is being ", "has been ", "to be "), start="stem"),
    # Acme has appointed / named / promoted / hired X as / to ...; the appointment of X as ...
    _p("promotion", rf"{_PROMOTE_VERB}\s+{_LEADIN}{NAME}{_OBJ_TAIL}", 0.85, single_ok=False,
       stems=("promot",), start="stem", gate=_PROMOTE_VERB + _OBJ_GATE),
    _p("joined", rf"{_HIRE_VERB}\s+{_LEADIN}{NAME}{_OBJ_TAIL}", 0.8, single_ok=False,
       stems=("hire", "hiring", "welcome"), start="stem", gate=_HIRE_VERB + _OBJ_GATE),
    _p("new_role", rf"{_APPOINT_VERB}\s+{_LEADIN}{NAME}{_OBJ_TAIL}", 0.85, single_ok=False,
       stems=("appoint", "named", "naming", "names", "elect", "select", "made", "making", "tapped"), start="stem",
       gate=_APPOINT_VERB + _OBJ_GATE),
    # The Board elected a new member to the Board - X
    _p("new_role", rf"(?i:elected|appointed|named|welcomed?|added)\s+(?i:a\s+)?(?i:new)\s+(?i:member|director|trustee|partner)s?"
                   rf"\s+(?i:to|of)\s+[^-–:]{{2,40}}?\s*[-–:]\s*{NAME}", 0.85,
       stems=("elected", "appointed", "named", "welcome", "added"), start="stem"),
    # X won / received / was inducted into ... prize, award, academy
    _p("award", rf"\b{NAME}{_APPOS}\s+(?i:shares|won|wins|has\s+won|received|receives|has\s+received|(?:was|has\s+been)\s+"
                rf"(?:awarded|inducted|honou?red|recognized|named))\b[^.;]{{0,80}}?"
                rf"(?P<title>(?i:prize|award|medal|honou?r|academy|hall\s+of\s+fame|fellowship))", 0.85,
       stems=("shares", "won", "wins", "received", "receives", "awarded", "inducted", "honored", "honoured", "recognized",
              "named"),
       gate=r"(?i:shares|won|wins|received|receives|awarded|inducted|honou?red|recognized|named)\b[^.;]{0,80}?"
            r"(?i:prize|award|medal|honou?r|academy|hall\s+of\s+fame|fellowship)",
       also=("prize", "award", "medal", "honor", "honour", "academy", "hall of fame", "fellowship")),
    # X celebrates 10 years with Acme
    _p("work_anniversary", rf"\b{NAME}\s+(?i:celebrates|celebrated|is\s+celebrating|marks)\s+(?i:(?:his|her|their)\s+)?"
                           rf"(?P<title>\w+)\s+(?i:years?|anniversary)\s+(?i:with|at|of)", 0.8,
       stems=("celebrat", "marks"),
       gate=r"(?i:celebrates|celebrated|celebrating|marks)\s+(?i:(?:his|her|their)\s+)?\w+\s+(?i:years?|anniversary)\s+"
            r"(?i:with|at|of)"),
)


def _i(kind: str, expression: str, confidence: float, stems: tuple[str, ...]) -> Pattern:
    return _p(kind, expression, confidence, stems=stems, start="I")


FIRST_PERSON = (
    _i("joined", r"\bI(?:'ve|’ve| have)\s+(?:just\s+|recently\s+|officially\s+)?joined\s+(?P<company>[A-Z][^.;,:]{1,60})", 0.8,
       ("joined",)),
    _i("joined", r"\bI\s+(?:just|recently)\s+joined\s+(?P<company>[A-Z][^.;,:]{1,60})", 0.75, ("joined",)),
    _i("new_role", r"\bI(?:'m|’m| am)?\s+(?:just\s+|recently\s+)?(?:start(?:ed|ing)|began|beginning)\s+(?:my|a)\s+new\s+"
                   r"(?:job|role|position)(?:\s+as\s+(?P<title>[^.;,:]{2,60}?))?(?:\s+(?:at|with)\s+(?P<company>[\"A-Z][^.;,:]{1,60}))?", 0.75,
       ("new job", "new role", "new position")),
    _i("promotion", r"\bI(?:'ve|’ve| have| was| got)\s+(?:just\s+|recently\s+)?(?:been\s+)?promoted\s+to\s+(?P<title>[^.;,:]{2,60})", 0.8,
       ("promoted",)),
    _i("new_role", r"\bI(?:'ve|’ve| have)\s+(?:just\s+|recently\s+)?been\s+(?:named|appointed|elected)\s+(?:as\s+|to\s+)?(?P<title>[^.;,:]{2,60})", 0.8,
       ("named", "appointed", "elected")),
    _i("new_role", r"\bI\s+will\s+be\s+(?:moving|transferring)\s+to\s+(?:the\s+)?(?P<company>[A-Z][^.;,:]{1,40}?\s+"
                   r"(?:group|team|department|division|desk|unit|office))\b", 0.7, ("moving", "transferring")),
    _i("joined", r"\bI(?:'ve|’ve| have)?\s+(?:just\s+|recently\s+)?accepted\s+(?:an?\s+|the\s+)?(?:offer|position|role|job)\b"
                 r"(?:[^.;]{0,60}?\bas\s+(?:an?\s+|the\s+)?(?P<title>[^.;,:]{2,50}))?", 0.7, ("accepted",)),
    _i("joined", r"\bI\b[^.;]{0,100}?\band\s+(?:have\s+)?(?:just\s+|recently\s+)?accepted\s+(?:an?\s+|the\s+)?"
                 r"(?:offer|position|role|job)\b(?:[^.;]{0,60}?\bas\s+(?:an?\s+|the\s+)?(?P<title>[^.;,:]{2,50}))?", 0.7,
       ("accepted",)),
    _i("work_anniversary", r"\bI\s+(?:just\s+|recently\s+)?celebrated\s+my\s+(?P<title>\w+)\s+anniversary", 0.7,
       ("celebrated",)),
)

# Stems of the expressions below, which `digests.announcements` tests before running them.
CONGRATULATE_STEMS = ("congratulat", "welcom")
NEW_MEMBERS_STEMS = ("new ",)
LIST_LEAD_STEMS = ("following ", "these ", "new ", "several ", "promotions", "appointments")

# "Please join me in congratulating A, B and C" (names resolved against the message's full names).
_NAMEISH = rf"{_U}[\w.'’-]*(?:\s+{_U}[\w.'’-]*){{0,3}}"
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

# A lead announcing a list ("The following individuals have been promoted to Vice President:", "We
# welcome several new team members:", "this round of promotions:"): a group of people, then a colon,
# and news words (`LIST_NEWS`) before that colon.
LIST_LEAD = re.compile(
    r"(?i)(?:(?:following|these|new|several)\s+(?:\w+\s+){0,2}(?:individuals?|people|employees|members?|fellows?|"
    r"hires?|associates|analysts|officers|directors|vice\s+presidents|managing\s+directors|managers|colleagues)\b|"
    r"(?:promotions|appointments)\b)[^.]{0,180}?:"
)
LIST_NEWS = re.compile(
    r"(?i)promot|appoint|named|elected|join|hired|welcom|congratulat|"
    r"\bnew\s+(?:roles?|positions?|jobs?|titles?|responsibilit|(?:\w+\s+)?(?:members?|hires?|colleagues|employees))"
)
# One listed person: a name alone on its line or before a title ("Dana Kim - CFO", "Dana Kim<tab>CFO",
# "Dana Kim     CFO" in aligned columns): one space between a name's words, so no title joins it.
LIST_NAME = re.compile(rf"^\s*(?:[-*•·]\s+|\d+[.)]\s+)?{NAME.replace(chr(92) + 's+', ' ')}\s*(?:$|[,\t–(]|\s-\s|\s{{2,}})")

# Sad or leaving news: a sentence holding any of these words yields no congratulation.
SAD = re.compile(
    r"(?i)\b(?:died|dies|passed\s+away|death|funeral|condolences?|illness|ill|surgery|hospital\w*|cancer|"
    r"laid\s+off|layoffs?|lay\s+off|severance|severed|resign\w*|retir\w*|leaving|left\s+(?:the\s+company|the\s+firm|us)|"
    r"depart\w*|farewell|terminat\w*|fired|let\s+go|leave\s+of\s+absence|sadness|goodbye|good-bye|last\s+day|"
    r"redundan\w*|outplacement|emeritus)\b"
)
# A death or an illness: nobody named in such a sentence is congratulated on anything in the message.
MOURNING = re.compile(
    r"(?i)\b(?:died|dies|passed\s+away|death|funeral|condolences?|memorial|illness|cancer|hospital\w*|surgery)\b"
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
    thanks regards cheers sincerely
    """.split()
)

# Every stem an expression needs: a sentence is tested for each once (`in`), and an expression
# none of whose stems it holds is not run.
ALL_STEMS = tuple(sorted({stem for pattern in (*THIRD_PERSON, *FIRST_PERSON) for stem in (*pattern.stems, *pattern.also)}
                         | {*CONGRATULATE_STEMS, *NEW_MEMBERS_STEMS, *LIST_LEAD_STEMS}))
