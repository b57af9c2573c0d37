"""News detection cost per message body: the pre-filter, a body that passes it without news, and
an announcement (issue 10: detection must keep ingest within 10% of its throughput).

    python benchmarks/news.py [--repeat 2000]

Three bodies of about 1.5 KB, written for this benchmark: ordinary work mail (the pre-filter must
reject it in a few microseconds), work mail that holds words an announcement uses ("join the
call", "announced its decision") but no news, and a memo announcing two promotions. Each figure is
the fastest of many short rounds (a round is a few calls, shorter than the time a busy machine
lets a process run uninterrupted), in microseconds per call; limits: 10 us, 300 us and 1,500 us.
"""

from __future__ import annotations

import argparse
import timeit

PLAIN = """Hi Sara,

Thanks for sending the revised schedule for the Houston pipeline review. I went through the numbers
this morning and they look right to me, apart from the storage fees in the third quarter, which seem
to count the Katy facility twice. Could you check with Mark whether the August figures include the
new transport contract? If they do, we should take it out of the summary table and show it
separately, as we did last year.

On the other point, I spoke with the legal group about the confidentiality terms. They are fine with
the draft as long as the term is two years rather than five, and the notice period stays at thirty
days. I have marked up the document and attached it here; the changes are in section four and the
schedule at the end.

Finally, the meeting with the regulators is now on Thursday at ten in the large conference room on
the 32nd floor. Please bring copies of the tariff filing and the load forecast. If you cannot make
it, let me know by Wednesday noon so I can ask Jeff to cover the forecast part instead. The
forecast team has been busy, so give them a day or two.

Thanks again for all the work on this; it is in good shape and the numbers hold up well. One last
thing: the auditors asked for the signed copies of the storage agreements by the end of the month,
so please send them to Kim in the records office when you have a moment.

Best regards,
Tom

Tom Baker
Manager, Gas Logistics
North America
1400 Smith Street, Houston TX 77002
(713) 853-0000
"""

PASSING = """Hi all,

The commission announced its decision on the storage tariff yesterday afternoon. In short, they
assumed the lower demand case for the winter months and accepted most of our proposed rates, but
they rejected the separate charge for the Katy interconnect. Mark and Laura have the details.

Please join the call on Thursday at 10:00 Houston time to go through what this means for the
contracts we are negotiating now. Dial-in numbers are below. If you cannot join, send your
questions to Laura before Wednesday noon and she will bring them up for you.

Two things to prepare: the volumes by customer for the last twelve months, and a list of the
contracts that refer to the old tariff by name. Jeff has a draft of the second one; he named the
file "tariff contracts" and put it in the shared folder. We will also need the new pipeline maps
from the engineering group, which Sara selected last week.

We will meet the regulators again in March, once the written order is out. Until then, nothing
changes for customers: invoices go out as usual and the new rates apply from the first of April.

Dial-in: (800) 555-0100, code 4412#
Room: 32C, for those of you in the building. Coffee will be there from a quarter to ten, and the
slides will go out by mail an hour before we start.

Thanks,
Tom

Tom Baker
Manager, Gas Logistics
1400 Smith Street, Houston TX 77002
"""

ANNOUNCEMENT = """To: All Gas Trading Staff

I am pleased to announce two changes in the Gas Trading organization, effective immediately.

Laura Reyes has been promoted to Vice President, Gas Structuring. Laura joined the company as an
analyst and has led the structuring desk through two very busy winters. In her new role she will
also oversee the origination support team in Calgary.

Daniel Okafor has been named Director of Risk Management. Daniel comes to the role after three
years running the West desk's risk book, where he built the daily position reports most of us now
rely on. He will report to Mark and keep his seat on the trading floor.

Both changes follow the review of the group's structure that we started in the autumn. The rest of
the organization stays as it is, and all reporting lines not mentioned here are unchanged. Mark will
hold an open meeting on Friday at 3:00 in the large conference room for anyone with questions.

The changes to the desk's limits that come with the new roles will be sent to each of you by the
risk group later this week; until then the current limits apply. Questions about them go to Daniel.

Please join me in congratulating Laura and Daniel on their new responsibilities.

Regards,
Greg

Greg Pollard
President, Gas Trading
1400 Smith Street, Houston TX 77002
"""

LIMITS = {"pre-filter, plain body": 10.0, "find_news, passes, no news": 300.0, "find_news, announcement": 1500.0}


def measure(repeat: int) -> dict[str, float]:
    """Microseconds per call for each case: the fastest of `repeat` rounds of a few calls."""
    from kith.digests.announcements import find_news, might_have_news

    cases = {
        "pre-filter, plain body": lambda: might_have_news(PLAIN),
        "find_news, passes, no news": lambda: find_news("Storage tariff", PASSING, "Tom Baker"),
        "find_news, announcement": lambda: find_news("Organization announcement", ANNOUNCEMENT, "Greg Pollard"),
    }
    calls = {"pre-filter, plain body": 20, "find_news, passes, no news": 1, "find_news, announcement": 1}
    return {name: min(timeit.repeat(call, setup=_forget, number=calls[name], repeat=repeat)) / calls[name] * 1e6
            for name, call in cases.items()}


def _forget() -> None:
    """Start each round cold: names cleaned in an earlier round are not remembered."""
    from kith.digests import announcements

    clear = getattr(getattr(announcements, "_clean_name", None), "cache_clear", None)
    if clear:
        clear()


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=2000, help="rounds per case")
    opts = args.parse_args()
    from kith.digests.announcements import find_news, might_have_news

    print(f"bodies: {len(PLAIN)}, {len(PASSING)}, {len(ANNOUNCEMENT)} characters; pre-filter passes the last two: "
          f"{might_have_news(PASSING)}, {might_have_news(ANNOUNCEMENT)}; news found: "
          f"{len(find_news('Storage tariff', PASSING, 'Tom Baker'))}, "
          f"{[item.name for item in find_news('Organization announcement', ANNOUNCEMENT, 'Greg Pollard')]}")
    for name, micros in measure(opts.repeat).items():
        print(f"{name:<28} {micros:>9.1f} us  (limit {LIMITS[name]:,.0f} us)")


if __name__ == "__main__":
    main()
