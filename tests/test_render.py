"""digests/render.py: the whole plain-text digest, the subject, and the HTML's escaping, links,
layout rules and empty state, on digests built by hand."""

from __future__ import annotations

import re
from datetime import date

from kith.digests.items import SECTION_TITLES, Digest, DigestItem
from kith.digests.render import digest_subject, render_html, render_text, safe_link

DAY = date(2026, 11, 26)

SCRIPT_NAME = "Eve <script>document.title='pwned'</script>"
IMG_SUBJECT = "Re: <img src=x onerror=\"document.title='pwned'\">"


def full_digest() -> Digest:
    """One item or more in every section, added out of order: rendering orders them."""
    return Digest(
        day=DAY,
        user_name="Dana",
        new_connections_this_week=1,
        items=[
            DigestItem(
                section="reconnect",
                name="Alex Kim",
                address="alex.kim@acme.com",
                reason="You usually talk every 3 weeks; it has been 11 weeks. Ties fade after long "
                "silences, so a short note now goes a long way.",
                last_interaction='email "Lunch next week?", 10 September',
                link="https://mail.example.com/thread/abc?x=1&y=2",
            ),
            DigestItem(section="reconnect", name="Bo Chen", reason="Usually monthly, now 3 months."),
            DigestItem(
                section="congratulate",
                name="Carmen Ruiz",
                address="carmen@newco.com",
                reason="Carmen now writes from @newco.com: new role?",
                last_interaction="email, 2 November",
            ),
            DigestItem(
                section="reply_owed",
                name="Dev Patel",
                reason='Asked "can you review the draft?" 4 days ago.',
                last_interaction='email "Draft for review", 22 November',
                link="mailto:dev@example.org",
            ),
            DigestItem(
                section="promise",
                name="Emma Stone",
                reason='You wrote "I\'ll send the slides" on 19 November; nothing since.',
                link="javascript:alert(1)",
            ),
            DigestItem(
                section="awaiting_reply",
                name="Femi Ade",
                reason="You asked about the contract 6 days ago; no reply yet.",
                link="http://intranet.example.com/" + "a" * 80,
            ),
            DigestItem(
                section="new_person",
                name="Gus Lind",
                address="gus@lind.se",
                reason="You met on 24 November (Design review) and have not written since.",
                last_interaction="meeting Design review, 24 November",
            ),
        ],
    )


EXPECTED_TEXT = """\
kith digest for Thursday 26 November 2026
Good morning, Dana. 7 things for today.
New connections this week: 1 of 1

CONGRATULATE
------------

* Carmen Ruiz <carmen@newco.com>
  Carmen now writes from @newco.com: new role?
  Last: email, 2 November

REPLIES YOU OWE
---------------

* Dev Patel
  Asked "can you review the draft?" 4 days ago.
  Last: email "Draft for review", 22 November
  <mailto:dev@example.org>

PROMISES TO KEEP
----------------

* Emma Stone
  You wrote "I'll send the slides" on 19 November; nothing since.

WAITING ON A REPLY
------------------

* Femi Ade
  You asked about the contract 6 days ago; no reply yet.
  <http://intranet.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa>

FOLLOW UP WITH PEOPLE YOU JUST MET
----------------------------------

* Gus Lind <gus@lind.se>
  You met on 24 November (Design review) and have not written since.
  Last: meeting Design review, 24 November

RECONNECT
---------

* Alex Kim <alex.kim@acme.com>
  You usually talk every 3 weeks; it has been 11 weeks. Ties fade after
  long silences, so a short note now goes a long way.
  Last: email "Lunch next week?", 10 September
  <https://mail.example.com/thread/abc?x=1&y=2>

* Bo Chen
  Usually monthly, now 3 months.

--
kith: fifteen minutes a day keeps your network alive.
"""


def test_plain_text_is_the_whole_digest_in_section_order() -> None:
    assert render_text(full_digest()) == EXPECTED_TEXT


def test_plain_text_lines_fit_72_columns_except_unbreakable_links() -> None:
    long_lines = [line for line in render_text(full_digest()).splitlines() if len(line) > 72]
    assert long_lines == ["  <http://intranet.example.com/" + "a" * 80 + ">"]


def test_plain_text_empty_digest_is_friendly() -> None:
    assert render_text(Digest(day=DAY, user_name="Dana")) == (
        "kith digest for Thursday 26 November 2026\n"
        "Good morning, Dana.\n"
        "New connections this week: 0 of 1\n"
        "\n"
        "Nothing needs you today. Your network is in good shape: enjoy the spare\n"
        "fifteen minutes.\n"
        "\n"
        "--\n"
        "kith: fifteen minutes a day keeps your network alive.\n"
    )


def test_subject_counts_each_kind_of_action() -> None:
    assert digest_subject(full_digest()) == (
        "kith — Thursday 26 November: 2 to reconnect, 1 to congratulate, 4 to follow up"
    )
    assert digest_subject(Digest(day=DAY, user_name="Dana")) == "kith — Thursday 26 November: nothing needs you today"


def test_html_escapes_names_and_subjects_from_mail() -> None:
    digest = Digest(
        day=DAY,
        user_name="<b>Dana</b>",
        items=[
            DigestItem(
                section="reply_owed",
                name=SCRIPT_NAME,
                address="eve@example.com",
                reason=f'Asked about "{IMG_SUBJECT}" 3 days ago.',
                last_interaction=f"email {IMG_SUBJECT}",
                link="https://mail.example.com/t/1\"><script>alert(1)</script>",
            )
        ],
    )
    html = render_html(digest)
    assert "<script>document" not in html and "<img" not in html and "<b>Dana" not in html
    assert "Eve &lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "Re: &lt;img src=x onerror=&#34;document.title=&#39;pwned&#39;&#34;&gt;" in html
    assert "&lt;b&gt;Dana&lt;/b&gt;" in html
    # A link is an attribute value: its quotes are escaped, it cannot close the tag.
    assert 'href="https://mail.example.com/t/1&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert html.count("<script") == 0


def test_html_links_only_http_https_mailto() -> None:
    html = render_html(full_digest())
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == [
        "mailto:dev@example.org",
        "http://intranet.example.com/" + "a" * 80,
        "https://mail.example.com/thread/abc?x=1&amp;y=2",
    ]
    assert "javascript" not in html
    assert [safe_link(u) for u in ("JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd", "//evil.com/x",
                                   "https:", " https://ok.example/ ", "HTTPS://OK.example/a b", None)] == [
        None, None, None, None, None, "https://ok.example/", None, None,
    ]


def test_html_has_every_section_in_order_and_the_goal_line() -> None:
    html = render_html(full_digest())
    positions = [html.index(f">{title}</h2>") for title in SECTION_TITLES.values()]
    assert positions == sorted(positions)
    assert "New connections this week: 1 of 1" in html
    assert "<title>kith — Thursday 26 November: 2 to reconnect, 1 to congratulate, 4 to follow up</title>" in html
    names = [html.index(name) for name in ("Carmen Ruiz", "Dev Patel", "Emma Stone", "Femi Ade", "Gus Lind", "Alex Kim", "Bo Chen")]
    assert names == sorted(names)
    assert "Last: email &#34;Lunch next week?&#34;, 10 September" in html


def test_html_is_an_email_layout_that_fits_a_phone() -> None:
    html = render_html(full_digest())
    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "max-width:600px" in html and "word-break:break-word" in html
    # No fixed width wider than a 375 px phone, in attributes or inline styles.
    widths = re.findall(r'(?<![\w-])width\s*[:=]\s*"?(\d+)(?:px|")', html)  # not max-width
    assert all(int(w) <= 375 for w in widths), widths
    # Styles are inline: the only <style> block is the optional dark-mode one.
    style_blocks = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(style_blocks) == 1 and "prefers-color-scheme: dark" in style_blocks[0]
    assert 'class="k-card"' in html and 'style="width:100%; max-width:600px; background:#ffffff' in html


def test_html_empty_state() -> None:
    html = render_html(Digest(day=DAY, user_name="Dana", new_connections_this_week=2))
    assert "Nothing needs you today. Your network is in good shape: enjoy the spare fifteen minutes." in html
    assert "New connections this week: 2 of 1" in html
    assert "<h2" not in html


def frame(html: str) -> str:
    """A kith mail without what is its own: the title, a hidden preheader, the card's rows."""
    head = html[:html.index("<title>")] + html[html.index("</title>"):html.index("<body")]
    body, card = html.index("<body"), html.index('<table role="presentation" class="k-page"')
    rows = html.index("\n", html.index('class="k-card"')) + 1
    return head + html[body:html.index("\n", body) + 1] + html[card:rows] + html[html.rindex("</table>\n</td>"):]


def test_the_report_mail_has_the_digest_s_head_style_and_card() -> None:
    from kith.digests.report import Chart, Report
    from kith.digests.report_mail import mail_html

    report = Report(DAY, date(2025, 11, 27), {}, [Chart("People you met", "You met 12 people, 3 of them new.", "<svg/>")])
    mail = mail_html(report, date(2026, 11, 23), "week")
    digest = render_html(full_digest())

    assert frame(mail) == frame(digest)
    assert mail[mail.index("<title>"):mail.index("</title>")] == "<title>Your network, the week of 23 November 2026"
    assert "<div>You met 12 people, 3 of them new.</div>" in mail
