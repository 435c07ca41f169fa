"""Document text is shown as text: markup inside a document never reaches the page as markup."""

from __future__ import annotations

import re

from app.export import export_markdown
from app.passage_html import card_html, highlight_html
from index.search import open_searcher
from tests.app.conftest import XSS_QUESTION, ask

RAW = ("<script", "<img", "<b>")
APP_TAGS = {"div", "span", "strong", "mark", "h4"}  # the only tags the app writes itself


def rendered_markup(app) -> list[str]:
    """Everything the app hands to the browser as HTML or as Markdown that may contain HTML."""
    values = [h.value for h in app.html]
    values += [m.value for m in app.markdown if m.allow_html]
    return values


def assert_no_raw_markup(values: list[str]) -> None:
    for value in values:
        for raw in RAW:
            assert raw not in value.lower(), value
        assert set(re.findall(r"<(\w+)", value)) <= APP_TAGS, value


def test_hostile_passage_title_and_organisation_are_escaped(app_library, make_app):
    app = ask(make_app(app_library).run(), XSS_QUESTION)
    values = rendered_markup(app)
    assert_no_raw_markup(values)
    card = next(v for v in values if "precedent-card" in v and "harbour zone" in v)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "Notice &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(2)&lt;/script&gt;" in card
    assert "&lt;img src=x onerror=alert(3)&gt; Borough Council" in card
    context = [v for v in values if "precedent-context" in v and "harbour zone" in v]
    assert context and "&lt;script&gt;alert(1)&lt;/script&gt;" in context[0]


def test_hostile_organisation_is_escaped_when_comparing(app_library, make_app):
    app = ask(make_app(app_library).run(), XSS_QUESTION)
    app.radio(key="view").set_value("Compare across councils").run()
    hostile = next(o for o in app.multiselect(key="compare_orgs").options if "Borough" in o)
    app.multiselect(key="compare_orgs").set_value([hostile]).run()
    assert not app.exception
    values = rendered_markup(app)
    assert_no_raw_markup(values)
    assert any(v.startswith("<h4") and "&lt;img src=x onerror=alert(3)&gt;" in v for v in values)


def test_hostile_question_is_escaped(app_library, make_app):
    app = ask(make_app(app_library).run(), "<script>alert(9)</script> parking permits?")
    assert_no_raw_markup(rendered_markup(app))


def test_library_page_shows_hostile_metadata_as_text(app_library, make_app):
    app = make_app(app_library).run()
    app.switch_page("pages_library.py").run()
    assert not app.exception
    assert_no_raw_markup(rendered_markup(app))
    titles = list(app.dataframe[0].value["Title"])
    assert "Notice <b>bold</b> <script>alert(2)</script>" in titles  # a table cell is plain text


def test_highlighting_escapes_before_marking():
    text = "Before <script>x</script>. The <b>answer</b> & more."
    html = highlight_html(text, ["The <b>answer</b> & more."])
    assert (
        html
        == "Before &lt;script&gt;x&lt;/script&gt;. <mark>The &lt;b&gt;answer&lt;/b&gt; &amp; more.</mark>"
    )


def test_card_and_export_of_a_hostile_result(app_library):
    response = open_searcher(app_library).search(XSS_QUESTION, k=1)
    result = response.results[0]
    assert "<script>alert(1)</script>" in result.text  # the engine keeps the text as it is
    assert_no_raw_markup([card_html(result), export_markdown([(None, response)])])
