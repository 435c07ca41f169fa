"""HTML reader: the body text of a page, without its navigation, scripts and footer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import UnreadableDocument
from ingest.formats.html import read_html
from tests.ingest.documents import LIBRARY

PAGE = """<!doctype html>
<html><head><title>Later life - West Sussex JSNA</title>
<style>.hero { color: red }</style>
<script>var tracking = "SCRIPT TEXT";</script></head>
<body>
<div class="cookie-banner">We use cookies. Accept all cookies</div>
<header class="site-header"><a href="/">Site logo</a>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/menu">Menu item Housing</a></li></ul></nav>
</header>
<nav class="breadcrumbs"><a href="/">Home</a> / Ageing well</nav>
<div id="sidebar-left"><ul class="menu"><li>Sidebar link Starting well</li></ul></div>
<main>
  <h1>Physical and mental health in later life</h1>
  <p>This section covers the health of older people in West Sussex.</p>
  <h2>Falls</h2>
  <p>People aged 65 and older have the highest risk of falling.</p>
  <table>
    <tr><th>District</th><th>Falls admissions</th></tr>
    <tr><td>Adur</td><td>412</td></tr>
    <tr><td>Worthing</td><td>655</td></tr>
  </table>
  <ul><li>Strength and balance classes</li><li>Home hazard checks</li></ul>
  <form><input type="search" value="Search this site"><button>Go</button></form>
  <noscript>Please enable JavaScript</noscript>
</main>
<aside>Related pages: Dementia</aside>
<footer>&copy; 2018 PHSRU. Powered by Jekyll. Follow us</footer>
<script>console.log("MORE SCRIPT")</script>
</body></html>
"""


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "later-life.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_only_the_main_content_is_kept(page: Path) -> None:
    text = "\n".join(block.text for block in read_html(page).blocks)
    assert "highest risk of falling" in text
    for boilerplate in ("SCRIPT", "cookies", "Site logo", "Menu item", "Ageing well", "Sidebar",
                        "Related pages", "PHSRU", "Search this site", "JavaScript", ".hero"):  # fmt: skip
        assert boilerplate not in text, boilerplate


def test_headings_become_sections_and_tables_rows(page: Path) -> None:
    raw = read_html(page)
    falls = [block for block in raw.blocks if block.section == "Falls"]
    assert falls
    falls_text = "\n".join(block.text for block in falls)
    assert "District | Falls admissions\nAdur | 412\nWorthing | 655" in falls_text
    assert "• Strength and balance classes" in falls_text
    assert raw.embedded_title == "Physical and mental health in later life"


def test_page_without_main_uses_the_body_minus_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text(
        "<html><body><header><nav>Home | About</nav></header><div class='content'>"
        "<h2>Minutes</h2><p>The board agreed the strategy.</p></div>"
        "<div id='footer'>Contact us</div></body></html>",
        encoding="utf-8",
    )
    raw = read_html(path)
    assert [(block.section, block.text) for block in raw.blocks] == [
        ("Minutes", "Minutes\n\nThe board agreed the strategy.")
    ]


def test_empty_page_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Only navigation</nav></body></html>", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="no text"):
        read_html(path)


@pytest.mark.skipif(not LIBRARY.is_dir(), reason="needs ../shared/corpus/library")
def test_real_jsna_page_is_body_text_only() -> None:
    raw = read_html(LIBRARY / "west-sussex-jsna-drugs-and-alcohol.html")
    text = "\n".join(block.text for block in raw.blocks)
    assert "researchers examined evidence" in text
    assert raw.blocks[0].section == "Drugs and Alcohol"
    for boilerplate in ("Toggle Menu", "Maternity and Fertility", "Powered by", "Follow:",
                        "On This Page", "outdated"):  # fmt: skip
        assert boilerplate not in text, boilerplate
