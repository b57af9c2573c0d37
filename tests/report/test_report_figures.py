"""Acceptance 1: every figure in the report, and every one-line reading, equals the same figure
computed here in SQL from the documented views, for a generated network with a pinned today."""

from __future__ import annotations

from datetime import timedelta

import pytest
from markupsafe import escape

from kith.digests.report import build_report, render_report


@pytest.fixture(scope="module")
def built(network, today):
    conn, _ = network
    report = build_report(conn, today)
    return conn, today, report, {chart.title: chart.reading for chart in report.charts}


def value(conn, sql: str, **params):
    return conn.execute(sql, params).fetchone()


def test_interactions_and_meetings_per_week(built) -> None:
    conn, today, report, readings = built
    weekly = report.figures["weekly"]
    assert weekly[0]["week"] == today - timedelta(days=364 + (today - timedelta(days=364)).weekday())
    assert weekly[-1]["week"] == today - timedelta(days=today.weekday())
    for week in (weekly[0], weekly[20], weekly[-1]):
        start = max(week["week"], today - timedelta(days=364))
        end = min(week["week"] + timedelta(days=7), today + timedelta(days=1))
        assert (week["mails"], week["meetings"]) == value(conn, """
            SELECT count(DISTINCT (account, source_id)) FILTER (WHERE kind = 'email'),
                   count(DISTINCT (account, source_id)) FILTER (WHERE kind = 'meeting')
            FROM interactions WHERE happened_at >= $start AND happened_at < $end""", start=start, end=end)
    mails, meetings = value(conn, """
        SELECT count(DISTINCT (account, source_id)) FILTER (WHERE kind = 'email'),
               count(DISTINCT (account, source_id)) FILTER (WHERE kind = 'meeting')
        FROM interactions WHERE happened_at >= $since AND happened_at < $end""",
                            since=today - timedelta(days=364), end=today + timedelta(days=1))
    assert mails > 1000 and meetings > 50
    weeks = len(weekly)
    assert weeks == 53
    assert readings["Interactions per week"] == (
        f"{mails:,} mails and {meetings:,} meetings over {weeks} weeks, {(mails + meetings) / weeks:.0f} a week.")
    top = value(conn, """
        SELECT r.display_name, count(*) FROM interactions i JOIN relationships r USING (person_id)
        WHERE kind = 'meeting' AND happened_at >= $since AND happened_at < $end
        GROUP BY person_id, display_name ORDER BY 2 DESC, 1 LIMIT 1""",
                since=today - timedelta(days=364), end=today + timedelta(days=1))
    assert readings["Where the time goes"] == f"{meetings:,} meetings, most with {top[0]} ({top[1]})."


def test_new_connections_against_the_goal_of_one(built) -> None:
    conn, today, report, readings = built
    firsts = conn.execute("""
        SELECT date_trunc('week', min(happened_at))::DATE AS week FROM interactions
        WHERE happened_at < $end GROUP BY person_id""", {"end": today + timedelta(days=1)}).fetchall()
    weeks = [w["week"] for w in report.figures["weekly"]]
    per_week = {week: sum(first == week for (first,) in firsts) for week in weeks}
    assert [w["new_people"] for w in report.figures["weekly"]] == [per_week[week] for week in weeks]
    new, on_goal = sum(per_week.values()), sum(n >= 1 for n in per_week.values())
    assert 0 < on_goal < len(weeks)
    assert readings["New connections per week"] == (
        f"You met {new} new people in {len(weeks)} weeks; {on_goal} of {len(weeks)} weeks reached the goal of 1.")


def test_closeness_tiers_beside_dunbar(built) -> None:
    conn, today, report, readings = built
    counts = [value(conn, """
        SELECT count(*) FROM (SELECT person_id FROM interactions WHERE happened_at >= $start AND happened_at < $end
                              GROUP BY person_id HAVING count(DISTINCT date_trunc('week', happened_at)) >= $n)""",
                    start=today - timedelta(days=364), end=today + timedelta(days=1), n=n)[0] for n in (26, 12, 4, 1)]
    assert [(t["tier"], t["dunbar"], t["people"]) for t in report.figures["tiers"]] == list(
        zip(["close", "good", "regular", "known"], [5, 15, 50, 150], counts))
    assert readings["Your network by closeness tier"] == (
        f"{counts[0]} in touch most weeks (Dunbar's 5), {counts[1]} at least 12 weeks a year (15), "
        f"{counts[2]} at least 4 (50), {counts[3]} at least once (150).")


def test_ties_fading_and_growing(built) -> None:
    conn, today, report, readings = built
    name, silent, gap = value(conn, """
        SELECT r.display_name, date_diff('day', max(i.happened_at)::DATE, $today), any_value(r.typical_gap_days)
        FROM interactions i JOIN relationships r USING (person_id)
        WHERE i.happened_at < $today + INTERVAL 1 DAY AND r.typical_gap_days > 0
        GROUP BY person_id, r.display_name
        HAVING date_diff('day', max(i.happened_at)::DATE, $today) > any_value(r.typical_gap_days)
        ORDER BY round(date_diff('day', max(i.happened_at)::DATE, $today) / any_value(r.typical_gap_days), 1) DESC,
                 r.display_name LIMIT 1""", today=today)
    assert report.figures["fading"][0]["display_name"] == name
    assert readings["Ties fading most"] == (
        f"{name} has gone quiet most: {silent} days, {round(silent / gap, 1)} times their usual {gap:g}.")
    name, before, recent = value(conn, """
        SELECT r.display_name,
               count(DISTINCT happened_at::DATE) FILTER (WHERE happened_at < $cut),
               count(DISTINCT happened_at::DATE) FILTER (WHERE happened_at >= $cut)
        FROM interactions i JOIN relationships r USING (person_id)
        WHERE happened_at >= $cut - INTERVAL 90 DAY AND happened_at < $today + INTERVAL 1 DAY
        GROUP BY person_id, r.display_name
        ORDER BY count(DISTINCT happened_at::DATE) FILTER (WHERE happened_at >= $cut)
                 - count(DISTINCT happened_at::DATE) FILTER (WHERE happened_at < $cut) DESC, 1 LIMIT 1""", today=today, cut=today - timedelta(days=89))
    assert readings["Ties grown most"] == (
        f"{name} grew most: {recent} days in touch in the last 90 days, {before} in the 90 before.")


def test_reciprocity_who_writes_first_and_one_way_ties(built) -> None:
    conn, today, report, readings = built
    you, they = value(conn, """
        SELECT count(*) FILTER (WHERE first = 'sent'), count(*) FILTER (WHERE first = 'received')
        FROM (SELECT arg_min(direction, happened_at) AS first FROM interactions
              WHERE kind = 'email' AND thread_id IS NOT NULL AND happened_at >= $since AND happened_at < $end
              GROUP BY person_id, thread_id)""", since=today - timedelta(days=364), end=today + timedelta(days=1))
    you_only, they_only = value(conn, """
        SELECT count(*) FILTER (WHERE received = 0), count(*) FILTER (WHERE sent = 0)
        FROM (SELECT count(*) FILTER (WHERE direction = 'sent') AS sent,
                     count(*) FILTER (WHERE direction = 'received') AS received
              FROM interactions WHERE kind = 'email' AND happened_at >= $since AND happened_at < $end
              GROUP BY person_id)""", since=today - timedelta(days=364), end=today + timedelta(days=1))
    assert you > they > 0
    assert readings["Reciprocity"] == (
        f"You opened {you:,} threads, others opened {they:,}; {you_only} one-way from you, {they_only} one-way to you.")


def test_how_suggestions_turned_out(built) -> None:
    conn, today, report, readings = built
    rows = conn.execute("""
        SELECT section, count(*), count(*) FILTER (WHERE acted AND acted_at <= digest_date + INTERVAL 14 DAY + INTERVAL 23 HOUR + INTERVAL 3599 SECOND)
        FROM digest_outcomes GROUP BY section ORDER BY section""").fetchall()
    assert [(s["section"], s["suggested"], s["acted_within_14_days"]) for s in report.figures["suggestions"]] == rows
    suggested, acted = sum(r[1] for r in rows), sum(r[2] for r in rows)
    assert 0 < acted < suggested
    assert readings["How suggestions turned out"] == f"You acted on {acted} of {suggested} suggestions within 14 days."


def test_every_reading_is_on_the_page_under_its_chart(built) -> None:
    _, _, report, readings = built
    page = render_report(report)
    position = 0
    for chart in report.charts:
        position = page.index(f"<h2>{escape(chart.title)}</h2>", position)
        svg = page.index("<svg", position)
        reading = page.index(f'<p class="reading">{escape(chart.reading)}</p>', svg)
        position = reading
    assert len(readings) == len(report.charts) == 9
