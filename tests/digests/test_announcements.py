"""News about people in small messages written for these tests: each form real mail uses,
and news that must never become a congratulation."""

from kith.digests.announcements import NewsItem, find_news, might_have_news
from kith.digests.name_match import Directory, Known, display_name, name_key


def found(body, subject=None, sender="Pat Jones"):
    return [(i.name, i.kind, i.title, i.author_news, i.from_sender) for i in find_news(subject, body, sender)]


def test_third_person_promotion_names_the_person_not_the_sender():
    body = "Team,\n\nI am pleased to announce that Dana Kim has been promoted to Vice President, Trading.\n"
    assert found(body) == [("Dana Kim", "promotion", "Vice President", False, False)]


def test_named_appointed_and_headline_forms():
    assert found("Lee Park has been named Vice Chairman of the Board.") == [
        ("Lee Park", "new_role", "Vice Chairman of the Board", False, False)]
    assert found("", subject="RE: Lee Park Named CFO") == [("Lee Park", "new_role", "CFO", False, False)]
    assert found("Acme Bank has appointed Maria Lopez, formerly head of sales, as chief operating officer.") == [
        ("Maria Lopez", "new_role", "chief operating officer", False, False)]


def test_please_join_me_expands_first_names_from_the_memo():
    body = ("Fred Lagrasta will lead the Producer group. Laura Luce will head the Strategic Asset team.\n"
            "Please join me in congratulating Fred and Laura in their new roles.")
    assert sorted(found(body)) == [("Fred Lagrasta", "new_role", "Producer group", False, False),
                                   ("Laura Luce", "new_role", "Strategic Asset team", False, False)]


def test_joining_and_accepting_a_position():
    assert found("Sam Ortiz will be joining us as Director of Research on May 1.") == [
        ("Sam Ortiz", "joined", "Director of Research on May 1", False, False)]
    assert found("Ana Silva has accepted the position of General Counsel.") == [
        ("Ana Silva", "new_role", "General Counsel", False, False)]


def test_first_person_news_belongs_to_the_sender():
    assert found("Hi all, I've joined Northwind Capital as a partner.", sender="Bill Balson") == [
        ("Bill Balson", "joined", None, True, True)]
    assert found("Good news: I was promoted to Senior Analyst last week.", sender="Kim Lee") == [
        ("Kim Lee", "promotion", "Senior Analyst last week", True, True)]


def test_news_in_a_lotus_forward_belongs_to_the_forwarded_author():
    body = ("FYI\n\n---------------------- Forwarded by Ann Smith/HOU/ECT on 06/26/2001 ----------------------\n"
            "Iris Mack@ENRON 06/26/2001 06:46 PM\nTo: All\nSubject: news\n\n"
            "Dear All, I will be moving to the Power Trading group next month.\n")
    assert found(body, sender="Ann Smith") == [("Iris Mack", "new_role", None, True, False)]


def test_a_lotus_forward_with_the_author_above_the_date_and_one_with_no_author():
    body = ("Passing this along.\n\n----- Forwarded by Ann Smith/ACME on 11/17/2026 09:12 AM -----\n\n"
            "\tIris Mack\n\t11/17/2026 08:40 AM\n\t\t To: All Staff\n\t\t Subject: news\n\n"
            "Some personal news: I've been promoted to Head of Data.\n")
    assert found(body, sender="Ann Smith") == [("Iris Mack", "promotion", "Head of Data", True, False)]
    no_author = ("Passing this along.\n\n----- Forwarded by Ann Smith/ACME on 11/17/2026 09:12 AM -----\n\n"
                 "Some personal news: I've been promoted to Head of Data.\n")
    assert found(no_author, sender="Ann Smith") == []  # never the forwarder's news


def test_news_in_the_quoted_text_of_a_reply():
    body = ("Delayed congratulations!\n\n-----Original Message-----\nFrom: Balson, William [mailto:wb@crai.com]\n"
            "Sent: Monday, December 10, 2001 5:14 PM\nSubject: news\n\nI've joined Charles River Associates.\n")
    assert found(body, sender="Vince Kaminski") == [("William Balson", "joined", None, True, False)]
    assert found("Great!\n\nOn Mon, 3 Dec 2001, Jo Reyes <jo@x.com> wrote:\n> Lee Park has been named CFO.\n") == [
        ("Lee Park", "new_role", "CFO", False, False)]


def test_a_table_of_promotions_names_each_person():
    body = ("The following individuals have been promoted to Vice President:\n\n"
            "Ann Lee\t\tHouston\nRaj Patel\t\tLondon\nTom O'Brien\t\tCalgary\n\nCongratulations to all.\n")
    assert found(body) == [(name, "promotion", None, False, False) for name in ("Ann Lee", "Raj Patel", "Tom O'Brien")]


def test_is_our_new_title_needs_a_role():
    assert found("Hi all,\n\nIt gives me real pleasure to tell you that Noor Haddad is our new Chief Financial Officer.") == [
        ("Noor Haddad", "new_role", "Chief Financial Officer", False, False)]
    assert found("Remote work is the new normal, and Dana Kim is the new owner of the budget sheet.") == []


def test_joins_and_takes_over_in_the_present_tense():
    assert found("Please give a warm welcome to Ivo Brandt, who joins the team as Head of Design this week.") == [
        ("Ivo Brandt", "joined", "Head of Design this week", False, False)]
    assert found("Announcement: Ana Silva takes over as General Counsel on Monday.") == [
        ("Ana Silva", "new_role", "General Counsel on Monday", False, False)]


def test_a_list_whose_lead_has_the_news_before_the_group():
    body = ("We are welcoming several new team members this month:\n\n- Lea Moreau, Engineering Manager\n"
            "- Omar Costa, Head of Partnerships\n\nThanks,\nPat\n")  # "Thanks" is no name, nor "Partnerships Thanks"
    assert found(body) == [("Lea Moreau", "new_role", None, False, False), ("Omar Costa", "new_role", None, False, False)]
    body = ("I'm pleased to announce this round of promotions:\n\n"
            "Lea Moreau                  Engineering Manager\nOmar Costa                  Director of Sales\n")
    assert found(body) == [("Lea Moreau", "promotion", None, False, False), ("Omar Costa", "promotion", None, False, False)]
    assert found("The following people attended the review:\n\nLea Moreau\nOmar Costa\n") == []


def test_a_departure_is_no_news_but_the_successor_is():
    body = ("After six years, Lea Moreau is leaving us at the end of the month. We will miss Lea enormously. "
            "We are pleased to announce that Omar Costa will succeed Lea as Head of Design.")
    assert found(body) == [("Omar Costa", "new_role", None, False, False)]


def test_names_with_accented_letters():
    assert found("Our board has named Björn Ström as Head of Growth, effective January 4.") == [
        ("Björn Ström", "new_role", "Head of Growth", False, False)]
    assert found("", subject="Renée Lefèvre promoted to Director of Sales") == [
        ("Renée Lefèvre", "new_role", "Director of Sales", False, False)]


def test_sad_news_and_departures_never_become_news():
    for body in (
        "It is with great sadness that we report that Tom Reed passed away on Sunday; he had been promoted "
        "to Director last year.",
        "Joe Diaz, who was named Treasurer in 1998, has resigned.",
        "I have resigned from Enron. My last day is June 8. I joined Enron in 1994.",
        "Following the reorganization, 400 employees were laid off, including Kim Lau, recently promoted to "
        "manager.",
        "Andy Fastow will be on a leave of absence from the company.",
        "The group has been reorganized and will report to the Office of the Chairman.",
        "Congratulations to Kathy and Craig Taylor: they are the proud parents of a baby girl.",
        "I would support Matt Lenhart's promotion to the next level.",
        "General Norman Schwarzkopf will join us as a keynote speaker.",
        "Kam Keiser will lead the presentation to the group.",
        "It is with great sadness that I tell you that Tom Reed passed away on Sunday after a short illness.\n\n"
        "Tom was promoted to Director of Research last spring, and he led the team through its best year.",
        "We report with sadness that Tom Reed has died. Tom was named Director of Research in May.",
    ):
        assert find_news(None, body, "Pat Jones") == [], body


def test_news_beside_an_obituary_is_about_the_living_only():
    body = "Following the death of Joe Diaz last month, the board met today.\n\nAnn Lee has been named Treasurer."
    assert found(body) == [("Ann Lee", "new_role", "Treasurer", False, False)]


def test_the_pre_filter_rejects_ordinary_mail():
    assert (might_have_news("Can we move the call to 3pm? Thanks, Jo"), might_have_news("She was promoted")) == (
        False, True)


def test_evidence_is_one_sentence_of_at_most_160_characters():
    item = find_news(None, "Dana Kim has been promoted to Vice President. " + "She starts on Monday, " * 30, None)[0]
    assert item == NewsItem(name="Dana Kim", kind="promotion", evidence="Dana Kim has been promoted to Vice President.",
                            confidence=0.9, title="Vice President")


def test_display_names_and_keys_in_header_forms():
    assert [display_name(raw) for raw in ('"Balson, William" <wb@crai.com>@ENRON', "Vince J Kaminski/HOU/ECT@ECT",
                                          "Lay, Kenneth </O=ENRON/OU=NA/CN=RECIPIENTS/CN=KLAY>")] == [
        "William Balson", "Vince J Kaminski", "Kenneth Lay"]
    assert [name_key(n) for n in ("Dr. Antoine M. Garibaldi", "McMahon, Jeffrey", "William Powers, Jr.", "Larson")] == [
        ("antoine", "garibaldi"), ("jeffrey", "mcmahon"), ("william", "powers"), None]


def test_resolution_by_name_nickname_and_address_never_the_user_nor_ambiguous():
    directory = Directory([
        Known("p1", "jeffrey.mcmahon@enron.com", "McMahon, Jeffrey"),
        Known("p2", "kenneth.lay@enron.com", "Kenneth Lay"),
        Known("p3", "john.smith@a.com", "John Smith"), Known("p4", "john.smith@b.com", "John A. Smith"),
        Known("p5", "laura.luce@enron.com", None),
    ], user_addresses=["kenneth.lay@enron.com"])
    assert [directory.resolve(n) for n in ("Jeff McMahon", "Ken Lay", "John Smith", "Laura Luce", "Fred Lagrasta")] == [
        "p1", None, None, "p5", None]
    assert directory.resolve(None, sender="laura.luce@enron.com", about_sender=True) == "p5"
    assert directory.resolve("Somebody Else", address="jeffrey.mcmahon@enron.com") == "p1"


GATE_SENTENCES = (
    "Dana Kim has been promoted to Vice President, Trading.",
    "Lee Park, our head of sales, was named Vice Chairman of the Board.",
    "Lee Park Named CFO",
    "Fred Lagrasta will lead the Producer group.",
    "Laura Luce, who will continue to report to me, will also take over the Strategic Asset team.",
    "Sam Ortiz will be joining us as Director of Research on May 1.",
    "Ana Silva has accepted the position of General Counsel.",
    "Replacing Tom in his current role will be Jo Reyes.",
    "Jo Reyes will succeed Tom Lee as treasurer.",
    "The Wholesale group will be led by Mark Frevert.",
    "Acme has promoted longtime trader Ann Lee to managing director.",
    "We hired Raj Patel as an analyst and welcomed Tom O'Brien as our new counsel.",
    "The board today announced the appointment of Maria Lopez as chief operating officer.",
    "Our Board of Directors elected a new member to the Board - William Powers, Jr.",
    "Joseph Stiglitz shares this year's Nobel Prize for Economics.",
    "Kim Lau celebrates her 10 years with Acme this week.",
    "I've just joined Northwind Capital as a partner.",
    "I am starting a new job as counsel at Acme Bank.",
    "I was promoted to Senior Analyst last week.",
    "I will be moving to the Power Trading group next month.",
    "I recently accepted an offer to return to Enron as an associate.",
    "I just joined Lumen Bio.",
    "I've been named head of the Houston office.",
    "I finished my degree in May and have accepted an offer from Acme as an engineer.",
    "I celebrated my tenth anniversary at Acme.",
    "Please join the call on Thursday; Jeff named the file and Sara selected the maps.",
    "He made a decision on the promotion budget and the appointment with Dr. Lee.",
    "Rick Perry was made an honorary member, and Dr. Ed Ng won the Hall of Fame award.",
    "Noor Haddad is our new Chief Financial Officer.",
    "Remote work is the new normal, and Dana Kim is the new owner of the budget sheet.",
    "Please give a warm welcome to Ivo Brandt, who joins the team as Head of Design this week.",
    "Ivo Brandt joins Larkspur Labs as CTO.",
    "Ana Silva takes over as General Counsel on Monday.",
)


def test_each_pattern_finds_what_its_whole_expression_finds():
    """The stems and gates that spare most sentences an expression never lose a match."""
    from kith.digests.news_patterns import ALL_STEMS, FIRST_PERSON, THIRD_PERSON

    for sentence in GATE_SENTENCES:
        lowered = sentence.lower()
        present = frozenset(stem for stem in ALL_STEMS if stem in lowered)
        for pattern in (*THIRD_PERSON, *FIRST_PERSON):
            whole = [m.span() for m in pattern.regex.finditer(sentence)]
            assert [m.span() for m in pattern.finditer(sentence, lowered, present)] == whole, (sentence, pattern.regex)
