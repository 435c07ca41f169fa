"""The Ask page as a council officer uses it: ask, read the answer, check sources, filter, compare."""

from __future__ import annotations

import re

from tests.app.conftest import PDF_NAME, PDF_QUESTION, ask


def cards(app) -> list[str]:
    return [h.value for h in app.html if "precedent-card" in h.value]


def answer(app) -> str:
    return next(h.value for h in app.html if "precedent-answer" in h.value)


def test_examples_fill_the_question_box(app_library, make_app):
    app = make_app(app_library).run()
    assert not app.exception
    example = next(b for b in app.button if "district councils" in b.label)
    example.click().run()
    assert (
        app.text_input(key="question").value == "How are district councils involved in prevention?"
    )
    assert "data-found='true'" in answer(app)


def test_answer_comes_first_with_numbered_citations_and_cards(app_library, make_app):
    app = ask(make_app(app_library).run(), PDF_QUESTION)
    text = answer(app)
    assert "data-found='true'" in text and "<strong>[1]</strong>" in text
    assert "Wye, Chilham and Boughton" in text
    first = cards(app)[0]
    assert "Health Improvement Fund annual report" in first
    assert "Kent County Council · report · 2025-01 · p. 2" in first
    assert f"File: {PDF_NAME}" in first
    assert "<mark>The Health Improvement Fund gave grants" in first
    assert len(cards(app)) == 5  # the default number of passages


def test_show_in_context_holds_the_whole_page_and_the_download(app_library, make_app):
    app = ask(make_app(app_library).run(), PDF_QUESTION)
    assert [e.label for e in app.expander][:1] == ["Show in context"]
    context = next(h.value for h in app.html if "precedent-context" in h.value)
    assert "Grants awarded in the year." in context  # the page's text, around the passage
    assert "<mark>The Health Improvement Fund gave grants" in context
    captions = [c.value for c in app.caption]
    assert "The passage (tinted) with the whole page." in captions
    labels = [b.label for b in app.get("download_button")]
    assert labels[:2] == ["Download as Markdown", "Download as CSV"]
    assert "Download the document" in labels


def test_nothing_found_is_said_plainly(app_library, make_app):
    app = ask(make_app(app_library).run(), "What is the airspeed velocity of an unladen swallow?")
    text = answer(app)
    assert "data-found='false'" in text
    assert "Nothing in the library answers this question." in text
    assert any("do not seem to answer" in c.value for c in app.caption)


def test_filters_restrict_organisation_type_date_and_documents(app_library, make_app):
    app = make_app(app_library).run()
    organisations = app.multiselect(key="filter_orgs").options
    assert "Medway Council" in organisations and "Kent County Council" in organisations
    app.multiselect(key="filter_orgs").set_value(["Kent County Council"])
    ask(app, "How is the integrated care strategy being delivered?")
    assert cards(app) and all("Kent County Council" in card for card in cards(app))

    app.multiselect(key="filter_types").set_value(["report"]).run()
    assert cards(app) and all("· report ·" in card for card in cards(app))

    app.multiselect(key="filter_orgs").set_value([]).run()
    app.multiselect(key="filter_types").set_value([]).run()
    app.slider(key="filter_years").set_value((2024, 2024)).run()
    years = {
        re.search(r"precedent-meta[^>]*>[^<]* · (\d{4})", card).group(1) for card in cards(app)
    }
    assert years == {"2024"}

    app.slider(key="filter_years").set_value((2022, 2025)).run()
    app.multiselect(key="filter_docs").set_value([PDF_NAME]).run()
    assert cards(app) and all(f"File: {PDF_NAME}" in card for card in cards(app))


def test_number_of_passages(app_library, make_app):
    app = make_app(app_library).run()
    app.slider(key="k").set_value(2)
    ask(app, "What is the BCF?")
    assert len(cards(app)) == 2


def test_compare_across_councils_groups_passages_by_organisation(app_library, make_app):
    app = make_app(app_library).run()
    ask(app, "How is the integrated care strategy being delivered?")
    app.radio(key="view").set_value("Compare across councils").run()
    assert not app.exception
    chosen = ["Kent County Council", "Medway Council", "Leicester City Council"]
    app.multiselect(key="compare_orgs").set_value(chosen).run()
    headings = [h.value for h in app.html if h.value.startswith("<h4")]
    assert [re.sub("<[^>]+>", "", h) for h in headings] == chosen
    assert len(app.columns) >= 3
    for column, organisation in zip(app.columns, chosen):
        column_cards = [h.value for h in column.html if "precedent-card" in h.value]
        assert column_cards, organisation
        assert all(organisation in card for card in column_cards)
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Download as Markdown", "Download as CSV"]


def test_a_pdf_citation_shows_its_page_marked_and_a_link_to_the_pdf(app_library, make_app):
    app = ask(make_app(app_library).run(), PDF_QUESTION)
    toggle = app.toggle(key="answer-page-1")
    assert toggle.label == "Show page 2"
    toggle.set_value(True).run()
    assert not app.exception
    images = app.get("image")
    assert len(images) == 1
    assert images[0].captions == [f"Page 2 of {PDF_NAME}, the answering sentence boxed."]
    link = app.get("link_button")[0].proto
    assert link.label == "Open the PDF at page 2"
    assert link.url.startswith("http://127.0.0.1:") and link.url.endswith(f"/pdf/{PDF_NAME}#page=2")
