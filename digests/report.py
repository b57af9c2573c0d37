"""`kith report`: the network at a glance, one self-contained HTML page (charts as inline SVG).

Figures come from the warehouse's named report queries (warehouse/report_queries.py), which read
the documented views only; each chart has a one-line reading in words under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from kith.warehouse.queries import Zone
from kith.warehouse.report_queries import NAMES, report_rows, snapshot

NEW_PEOPLE_GOAL = 1  # new connections a week
LIST_SIZE = 5  # people named in a fading/growing/met-most chart


@dataclass
class Chart:
    title: str
    reading: str
    svg: str


@dataclass
class Report:
    today: date
    since: date
    figures: dict[str, list[dict]]
    charts: list[Chart] = field(default_factory=list)


def gather(conn: duckdb.DuckDBPyConnection, today: date, since: date | None = None,
           zone: Zone = "UTC") -> dict[str, list[dict]]:
    """Every named report query's rows for `since` (default a year before `today`)..`today`, the
    user's days in `zone`."""
    since = since or today - timedelta(days=364)
    with snapshot(conn, zone):
        return {name: report_rows(conn, name, today, since) for name in NAMES}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def readings(figures: dict[str, list[dict]]) -> dict[str, str]:
    """The one-line reading under each chart, from the figures alone."""
    weekly = figures["weekly"]
    weeks = len(weekly)
    mails = sum(w["mails"] for w in weekly)
    meetings = sum(w["meetings"] for w in weekly)
    new = sum(w["new_people"] for w in weekly)
    on_goal = sum(w["new_people"] >= NEW_PEOPLE_GOAL for w in weekly)
    tiers = {t["tier"]: t for t in figures["tiers"]}
    out = {
        "weekly": f"{_plural(mails, 'mail')} and {_plural(meetings, 'meeting')} over {_plural(weeks, 'week')}, "
                  f"{(mails + meetings) / max(weeks, 1):.0f} a week.",
        "new_people": f"You met {new:,} new {'person' if new == 1 else 'people'} in {_plural(weeks, 'week')}; "
                      f"{on_goal} of {weeks} weeks reached the goal of {NEW_PEOPLE_GOAL}.",
        "tiers": f"{tiers['close']['people']} in touch most weeks (Dunbar's 5), {tiers['good']['people']} at least "
                 f"12 weeks a year (15), {tiers['regular']['people']} at least 4 (50), "
                 f"{tiers['known']['people']} at least once (150).",
    }
    fading, growing = figures["fading"], figures["growing"]
    out["fading"] = (f"{fading[0]['display_name']} has gone quiet most: {fading[0]['silent_days']} days, "
                     f"{fading[0]['times_rhythm']} times their usual {fading[0]['typical_gap_days']:g}."
                     if fading else "Nobody is quiet past their usual rhythm.")
    out["growing"] = (f"{growing[0]['display_name']} grew most: {growing[0]['recent']} days in touch in the last "
                      f"90 days, {growing[0]['before']} in the 90 before." if growing
                      else "No tie grew over the last 90 days.")
    rec = figures["reciprocity"]
    you = sum(r["you_opened"] for r in rec)
    they = sum(r["they_opened"] for r in rec)
    you_only = sum(r["one_way"] == "you only" for r in rec)
    they_only = sum(r["one_way"] == "they only" for r in rec)
    out["reciprocity"] = (f"You opened {you:,} threads, others opened {they:,}; {you_only} one-way from you, "
                          f"{they_only} one-way to you.")
    sug = figures["suggestions"]
    suggested = sum(s["suggested"] for s in sug)
    acted = sum(s["acted_within_14_days"] for s in sug)
    out["suggestions"] = (f"You acted on {acted} of {suggested} suggestions within 14 days." if suggested
                          else "No digest suggestions in this period yet.")
    met = figures["met_most"]
    out["meetings"] = (f"{_plural(meetings, 'meeting')}, most with {met[0]['display_name']} ({met[0]['meetings']})."
                       if met else "No meetings in this period.")
    return out


def _chart(kind: str, **options):
    """A pygal chart that renders to inline SVG and loads nothing (no tooltip script)."""
    import pygal
    from pygal.style import Style

    style = Style(background="transparent", plot_background="transparent", foreground="#888",
                  foreground_strong="#888", foreground_subtle="#8884", font_family="system-ui, sans-serif",
                  colors=("#3b82f6", "#f59e0b", "#10b981", "#ef4444"))
    # No title in the SVG: the page shows its own heading above each chart.
    return getattr(pygal, kind)(explicit_size=False, style=style, js=[], disable_xml_declaration=True,
                                width=800, height=320, truncate_label=-1, truncate_legend=-1,
                                legend_at_bottom=True, **options)


def _svg(chart) -> str:
    """The chart as SVG text without pygal's scripts or comments: its inline config script only
    serves the tooltip script we do not load, and the page runs no script at all."""
    from pygal.etree import etree

    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if not isinstance(child.tag, str) or child.tag.endswith("script"):
                parent.remove(child)
    return etree.tostring(tree, encoding="unicode")


def charts(figures: dict[str, list[dict]]) -> list[Chart]:
    """Every chart with its reading."""
    words = readings(figures)
    weekly = figures["weekly"]
    labels = [w["week"].strftime("%d %b") for w in weekly]
    sparse = {"x_labels_major_every": max(len(labels) // 8, 1), "show_minor_x_labels": False}
    out = []

    c = _chart("Line", x_label_rotation=0, show_dots=False, **sparse)
    c.x_labels = labels
    c.add("mails", [w["mails"] for w in weekly])
    c.add("meetings", [w["meetings"] for w in weekly])
    out.append(Chart("Interactions per week", words["weekly"], _svg(c)))

    c = _chart("Bar", **sparse)
    c.x_labels = labels
    c.add("new people", [w["new_people"] for w in weekly])
    c.add("goal", [NEW_PEOPLE_GOAL] * len(weekly))
    out.append(Chart("New connections per week", words["new_people"], _svg(c)))

    c = _chart("Bar")
    c.x_labels = [f"{t['tier']} ({t['min_weeks']}+ weeks)" for t in figures["tiers"]]
    c.add("people", [t["people"] for t in figures["tiers"]])
    c.add("Dunbar", [t["dunbar"] for t in figures["tiers"]])
    out.append(Chart("Your network by closeness tier", words["tiers"], _svg(c)))

    fading = figures["fading"][:LIST_SIZE][::-1]  # a horizontal bar chart draws its first row at the bottom
    c = _chart("HorizontalBar")
    c.x_labels = [f["display_name"] for f in fading]
    c.add("times their rhythm", [f["times_rhythm"] for f in fading])
    out.append(Chart("Ties fading most", words["fading"], _svg(c)))

    growing = figures["growing"][:LIST_SIZE][::-1]
    c = _chart("HorizontalBar")
    c.x_labels = [g["display_name"] for g in growing]
    c.add("before", [g["before"] for g in growing])
    c.add("last 90 days", [g["recent"] for g in growing])
    out.append(Chart("Ties grown most", words["growing"], _svg(c)))

    rec = figures["reciprocity"]
    c = _chart("Bar")
    c.x_labels = ["threads opened", "one-way ties"]
    c.add("you", [sum(r["you_opened"] for r in rec), sum(r["one_way"] == "you only" for r in rec)])
    c.add("them", [sum(r["they_opened"] for r in rec), sum(r["one_way"] == "they only" for r in rec)])
    out.append(Chart("Reciprocity", words["reciprocity"], _svg(c)))

    sug = figures["suggestions"]
    c = _chart("Bar")
    c.x_labels = [s["section"] for s in sug] or ["none yet"]
    c.add("suggested", [s["suggested"] for s in sug] or [0])
    c.add("acted on within 14 days", [s["acted_within_14_days"] for s in sug] or [0])
    out.append(Chart("How suggestions turned out", words["suggestions"], _svg(c)))

    met = figures["met_most"][:LIST_SIZE][::-1]
    c = _chart("Bar", **sparse)
    c.x_labels = labels
    c.add("meetings", [w["meetings"] for w in weekly])
    out.append(Chart("Where the time goes", words["meetings"], _svg(c)))
    c = _chart("HorizontalBar")
    c.x_labels = [m["display_name"] for m in met]
    c.add("meetings", [m["meetings"] for m in met])
    out.append(Chart("People met most", f"The {len(met)} people you met most in this period.", _svg(c)))
    return out


def build_report(conn: duckdb.DuckDBPyConnection, today: date, since: date | None = None,
                 zone: Zone = "UTC") -> Report:
    """The report for `since` (default a year before)..`today`, the user's days in `zone`: figures
    and charts."""
    since = since or today - timedelta(days=364)
    figures = gather(conn, today, since, zone)
    return Report(today, since, figures, charts(figures))


def render_report(report: Report) -> str:
    """The report as one self-contained HTML page (names escaped; SVG inline)."""
    from kith.digests.render import template_env

    return template_env().get_template("report.html").render(report=report)
