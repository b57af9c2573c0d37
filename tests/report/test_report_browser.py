"""Acceptance 2: the report in headless Chromium at 1,200 px and 375 px: not blank, nothing wider
than the page, every chart drawn, no network request; a hostile name from mail shows as text."""

from __future__ import annotations

import copy
import html as html_lib
import re
from pathlib import Path

import pytest

from kith.digests.report import Report, charts, gather, render_report
from test_render_browser import chromium, run_chromium  # noqa: F401 (chromium is a fixture)

HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"
WIDTHS = (375, 1200)

# As in test_render_browser: Chromium will not lay out a window under 500 px, so the report is
# measured in an iframe of the given width. The wrapper reports the page's scroll width, how many
# charts have a drawn SVG (at least one shape, a non-zero box), the widest SVG, and every resource
# the report loaded (it should load none: everything is inline).
MEASURE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="report" style="border:0; width:{width}px; height:1400px" srcdoc="{page}"></iframe>
<script>
document.getElementById('report').addEventListener('load', (event) => {{
  const inner = event.target.contentWindow;
  const doc = inner.document;
  const svgs = [...doc.querySelectorAll('.chart svg')];
  const drawn = svgs.filter(s => s.getBoundingClientRect().width > 0 && s.getBoundingClientRect().height > 0
                                 && s.querySelectorAll('path, rect').length > 0);
  const widest = Math.max(...svgs.map(s => Math.ceil(s.getBoundingClientRect().right)));
  const loaded = inner.performance.getEntriesByType('resource').map(r => r.name);
  const out = document.createElement('pre');
  out.id = 'measure';
  out.textContent = 'scroll=' + doc.documentElement.scrollWidth + ' inner=' + inner.innerWidth
    + ' charts=' + svgs.length + ' drawn=' + drawn.length + ' widest=' + widest
    + ' text=' + doc.body.innerText.length + ' title=' + doc.title + ' loaded=' + JSON.stringify(loaded);
  document.body.appendChild(out);
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def pages(network, today, tmp_path_factory: pytest.TempPathFactory) -> Path:
    conn, _ = network
    figures = copy.deepcopy(gather(conn, today))
    figures["met_most"][0]["display_name"] = HOSTILE
    html = render_report(Report(today, figures["weekly"][0]["week"], figures, charts(figures)))
    folder = tmp_path_factory.mktemp("report-pages")
    (folder / "report.html").write_text(html, encoding="utf-8")
    for width in WIDTHS:
        (folder / f"measure-{width}.html").write_text(
            MEASURE.format(width=width, page=html_lib.escape(html, quote=True)), encoding="utf-8")
    return folder


def test_the_page_fetches_nothing(pages: Path) -> None:
    html = (pages / "report.html").read_text(encoding="utf-8")
    assert re.findall(r"""(?:src|href)\s*=\s*["']?[a-z]+:""", html, flags=re.I) == []
    assert "<script" not in html and "@import" not in html and "url(" not in html


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_fits_draws_every_chart_and_loads_nothing(chromium: str, pages: Path, tmp_path: Path,  # noqa: F811
                                                            width: int) -> None:
    dom = run_chromium(chromium, tmp_path, pages / f"measure-{width}.html", 1400, "--dump-dom")
    found = re.search(r"scroll=(\d+) inner=(\d+) charts=(\d+) drawn=(\d+) widest=(\d+) text=(\d+) "
                      r"title=(.*) loaded=(.*)</pre>", dom)
    assert found, dom[-2000:]
    scroll, inner, count, drawn, widest, text = map(int, found.groups()[:6])
    assert inner == width
    assert scroll <= inner, f"the report is {scroll} px wide in a {inner} px window"
    assert widest <= inner
    assert count == drawn == 9
    assert text > 500
    assert found.group(7).startswith("Your network, ")
    assert html_lib.unescape(found.group(8)) == "[]"


def test_a_hostile_name_shows_as_text(chromium: str, pages: Path, tmp_path: Path) -> None:  # noqa: F811
    dom = run_chromium(chromium, tmp_path, pages / "report.html", 1200, "--dump-dom")
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom).group(1)
    assert "<img" not in dom
    assert "&lt;img src=x onerror=\"document.title='pwned'\"&gt;" in dom
