"""End to end in a real browser: type a question, press Enter, see the cited document and page.

Needs Debian's Chromium (/usr/bin/chromium) and the `playwright` Python package; it never
downloads a browser. Every wait is bounded and the app's server is always stopped.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.launch import start_app, stop_app, wait_until_ready
from tests.app.conftest import PDF_NAME, PDF_QUESTION, XSS_QUESTION

CHROMIUM = Path("/usr/bin/chromium")
# The README's screenshot is refreshed only on request, so a test run never edits the repo.
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-ask.png"
WAIT_MS = 90_000

# CI installs both, so there a missing browser is a failure rather than a skip.
if os.environ.get("CI") and not CHROMIUM.exists():
    raise RuntimeError("CI must install Debian's chromium for the browser test (see .ci/run)")
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install playwright)"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install -y chromium)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(app_library, tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("app-server") / "streamlit.log"
    server = start_app(app_library, port, address="127.0.0.1", log=log)
    try:
        wait_until_ready(server, port, timeout=90)
        yield f"http://127.0.0.1:{port}/"
    except (RuntimeError, TimeoutError) as error:
        raise AssertionError(f"{error}\n{log.read_text(errors='replace')[-3000:]}") from error
    finally:
        stop_app(server)


@pytest.fixture(scope="module")
def page(app_url) -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            timeout=WAIT_MS,
        )
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.set_default_timeout(WAIT_MS)
            tab.goto(app_url, timeout=WAIT_MS)
            yield tab
        finally:
            browser.close()


def ask(page, question: str):
    """Type the question, press Enter, and return the answer block once it is for this question."""
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "q => [...document.querySelectorAll('.precedent-answer')].some(e => e.dataset.question === q)",
        arg=question,
        timeout=WAIT_MS,
    )
    page.locator(".precedent-card").first.wait_for(state="visible", timeout=WAIT_MS)
    return page.locator(".precedent-answer")


def test_question_shows_the_cited_document_and_page(page, tmp_path):
    answer = ask(page, PDF_QUESTION)
    assert "Wye, Chilham and Boughton" in answer.inner_text()
    card = page.locator(".precedent-card").first
    assert "[1] Health Improvement Fund annual report" in card.inner_text()
    assert (
        "Kent County Council · report · 2025-01 · p. 2"
        in card.locator(".precedent-meta").inner_text()
    )
    assert PDF_NAME in card.inner_text()
    assert (
        card.locator("mark")
        .first.inner_text()
        .startswith("The Health Improvement Fund gave grants")
    )
    shot = page.screenshot(path=str(tmp_path / "screenshot-ask.png"))
    assert len(shot) > 10_000
    if os.environ.get("PRECEDENT_UPDATE_SCREENSHOT"):
        README_SCREENSHOT.write_bytes(shot)


def test_script_in_a_document_is_shown_not_run(page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ask(page, XSS_QUESTION)
    card = page.locator(".precedent-card", has_text="harbour zone").first
    assert "<script>alert(1)</script>" in card.inner_text()
    assert "<img src=x onerror=alert(1)>" in card.inner_text()
    assert card.locator("script, img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def test_decisions_page_opens_and_filters(page):
    page.get_by_role("link", name="Decisions").click()
    page.get_by_text("8 of 8 decisions").wait_for(timeout=WAIT_MS)
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="Leicester City Council").click()
    page.get_by_text("3 of 8 decisions").wait_for(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    page.get_by_label("Open a decision in its minutes").click()
    page.get_by_role("option", name=re.compile("consultation phase")).click()
    context = page.locator('[data-testid="decision-context"]')
    context.wait_for(state="visible", timeout=WAIT_MS)
    assert "Leicester City Council" in context.inner_text()
    assert context.locator("mark").count() == 1
    page.get_by_role("link", name="Ask").click()  # the tests after this one ask questions
    page.get_by_label("Your question").wait_for(timeout=WAIT_MS)


def test_pdf_citation_shows_the_page_image_and_opens_the_pdf_at_its_page(page):
    ask(page, PDF_QUESTION)
    page.get_by_text("Show page 2").first.click()
    image = page.locator("[data-testid='stImage'] img").first
    image.wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert (width, height) == (893, 1263)  # A4 at 1.5 pixels a point
    assert "the answering sentence boxed" in page.get_by_text(f"Page 2 of {PDF_NAME}").inner_text()
    link = page.get_by_role("link", name="Open the PDF at page 2")
    href = link.get_attribute("href")
    assert href.endswith(f"/pdf/{PDF_NAME}#page=2")
    response = page.request.get(href.split("#")[0])
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert page.request.get(href.split("/pdf/")[0] + "/pdf/..%2F..%2Fetc%2Fpasswd").status == 403
