"""The rendered HTML digest in a real browser (headless Chromium): hostile names show as text and
run nothing, the page is not blank, and it fits a 375 px phone and a 1200 px desktop without
sideways scrolling. Screenshots are kept under pytest's tmp dir, or KITH_SCREENSHOTS if set."""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import struct
import subprocess
import zlib
from datetime import date
from pathlib import Path

import pytest

from kith.digests.items import Digest, DigestItem
from kith.digests.render import render_html
from needs import real_clock_env, require

TITLE = "kith — Thursday 26 November: 1 to reconnect, 1 to congratulate, 2 to follow up"
HOSTILE_SCRIPT = "<script>document.title='pwned'</script>"
HOSTILE_IMG = "<img src=x onerror=\"document.title='pwned'\">"
LONG_WORD = "Supercalifragilistic" * 6
LONG_URL = "https://example.com/" + "x" * 150
WIDTHS = (375, 1200)


def hostile_digest() -> Digest:
    return Digest(
        day=date(2026, 11, 26),
        user_name="Dana",
        items=[
            DigestItem(
                section="reconnect",
                name=f"Mallory {HOSTILE_SCRIPT}",
                address="mallory@example.com",
                reason=f"Usually every 3 weeks, now 11 weeks. {LONG_WORD}",
                last_interaction=f"email {LONG_URL}, 10 September",
                link="https://mail.example.com/t/1",
            ),
            DigestItem(
                section="congratulate",
                name=f"Trudy {HOSTILE_IMG}",
                reason=f'Announced "{HOSTILE_IMG}": new role?',
                link="javascript:document.title='pwned'",
            ),
            DigestItem(section="reply_owed", name="Victor", reason=f"Asked about {HOSTILE_SCRIPT} 3 days ago."),
            DigestItem(section="new_person", name="Walter", address="w@" + "long" * 30 + ".example.org", reason="Met on Tuesday."),
        ],
    )


# Headless Chromium will not make a window narrower than 500 px, so the width is measured on a
# wrapper page (never part of the digest) that shows the digest in an iframe of the given width.
MEASURE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="digest" style="border:0; width:{width}px; height:1400px" srcdoc="{page}"></iframe>
<script>
document.getElementById('digest').addEventListener('load', (event) => {{
  const inner = event.target.contentWindow;
  const out = document.createElement('pre');
  out.id = 'measure';
  out.textContent = 'scroll=' + inner.document.documentElement.scrollWidth + ' inner=' + inner.innerWidth
    + ' title=' + inner.document.title;
  document.body.appendChild(out);
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    require(Path(path).exists(), "chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("digest-pages")
    html = render_html(hostile_digest())
    (folder / "digest.html").write_text(html, encoding="utf-8")
    for width in WIDTHS:
        page = MEASURE.format(width=width, page=html_lib.escape(html, quote=True))
        (folder / f"measure-{width}.html").write_text(page, encoding="utf-8")
    # Control: the same hostile strings unescaped, to prove the title check can see an attack.
    (folder / "unescaped.html").write_text(
        f"<html><head><title>{TITLE}</title></head><body>{HOSTILE_IMG}</body></html>", encoding="utf-8"
    )
    return folder


def run_chromium(chromium: str, tmp: Path, page: Path, width: int, *extra: str) -> str:
    """Load `page` in a fresh headless profile at `width` x 1400 and return stdout."""
    profile = tmp / f"profile-{width}-{len(list(tmp.iterdir()))}"
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
        "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}", f"--window-size={width},1400",
        "--run-all-compositor-stages-before-draw", "--virtual-time-budget=3000", *extra, page.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90, env=real_clock_env())
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_hostile_names_are_text_and_run_nothing(chromium: str, pages: Path, tmp_path: Path, width: int) -> None:
    dom = run_chromium(chromium, tmp_path, pages / "digest.html", width, "--dump-dom")
    assert re.search(r"<title>(.*?)</title>", dom).group(1) == TITLE
    assert "pwned</title>" not in dom
    assert "Mallory &lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "Trudy &lt;img src=x onerror=\"document.title='pwned'\"&gt;" in dom
    assert "<img" not in dom and dom.count("<script") == 0
    assert "javascript:" not in dom


def test_the_title_check_sees_an_unescaped_attack(chromium: str, pages: Path, tmp_path: Path) -> None:
    dom = run_chromium(chromium, tmp_path, pages / "unescaped.html", 375, "--dump-dom")
    assert "<title>pwned</title>" in dom


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling(chromium: str, pages: Path, tmp_path: Path, width: int) -> None:
    dom = run_chromium(chromium, tmp_path, pages / f"measure-{width}.html", 1400, "--dump-dom")
    found = re.search(r"scroll=(\d+) inner=(\d+) title=(.*)</pre>", dom)
    assert found, dom[-2000:]
    scroll, inner = int(found.group(1)), int(found.group(2))
    assert inner == width  # the digest really was laid out at that width
    assert found.group(3) == TITLE
    assert scroll <= inner, f"the page is {scroll} px wide in a {inner} px window"


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot_shows_a_page(chromium: str, pages: Path, tmp_path: Path, width: int) -> None:
    shot = tmp_path / f"digest-{width}.png"
    run_chromium(chromium, tmp_path, pages / "digest.html", width, f"--screenshot={shot}")
    png_width, height, pixels = read_png(shot.read_bytes())
    assert (png_width, height) == (width, 1400)
    colours = {pixel for row in pixels for pixel in row}
    assert len(colours) > 50, f"the screenshot is nearly blank: {len(colours)} colours"
    # The card is white on a grey page: both must be there, and text darker than both.
    assert (255, 255, 255) in colours and (0xF3, 0xF4, 0xF6) in colours
    assert any(sum(c) < 200 for c in colours)
    if os.environ.get("KITH_SCREENSHOTS"):
        Path(os.environ["KITH_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(os.environ["KITH_SCREENSHOTS"]) / shot.name)


def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, int, int]]]]:
    """(width, height, rows of RGB pixels) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
        elif kind == b"IDAT":
            chunks.append(body)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * bpp
    previous, rows = bytearray(stride), []
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, bpp)
        rows.append([tuple(line[i : i + 3]) for i in range(0, stride, bpp)])
        previous = line
    return width, height, rows


def _unfilter(kind: int, line: bytearray, previous: bytearray, bpp: int) -> bytearray:
    """Undo one PNG row filter (None, Sub, Up, Average, Paeth)."""
    if kind == 1:
        for i in range(bpp, len(line)):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif kind == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, previous))
    elif kind in (3, 4):
        for i in range(len(line)):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            if kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 255
                continue
            corner = previous[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return line
