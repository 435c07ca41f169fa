"""Markdown and CSV exports carry the question, the answer and every cited passage's full citation."""

from __future__ import annotations

import csv
import io

from app.export import CSV_COLUMNS, export_csv, export_markdown
from app.terminal import citation
from index.search import Filters, open_searcher
from tests.app.conftest import PDF_NAME, PDF_QUESTION, ask


def test_markdown_has_question_answer_and_citations(app_library):
    response = open_searcher(app_library).search(PDF_QUESTION, k=3)
    text = export_markdown([(None, response)])
    assert text.startswith(f"# {PDF_QUESTION}\n")
    assert "**Answer:** The Health Improvement Fund gave grants" in text
    first = response.results[0]
    assert f"[1] {citation(first)} — file `{PDF_NAME}`" in text
    assert "Health Improvement Fund annual report — Kent County Council (p. 2, 2025-01)" in text
    assert "\n> Grants awarded in the year. The Health Improvement Fund gave grants" in text


def test_csv_has_one_row_per_passage_with_full_citation(app_library):
    searcher = open_searcher(app_library)
    kent = searcher.search(
        PDF_QUESTION, k=2, filters=Filters(organisations=("Kent County Council",))
    )
    medway = searcher.search(PDF_QUESTION, k=2, filters=Filters(organisations=("Medway Council",)))
    rows = list(
        csv.DictReader(
            io.StringIO(export_csv([("Kent County Council", kent), ("Medway Council", medway)]))
        )
    )
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["scope"] for r in rows] == ["Kent County Council"] * 2 + ["Medway Council"] * 2
    first = rows[0]
    assert (first["question"], first["rank"], first["in_answer"]) == (PDF_QUESTION, "1", "yes")
    assert (first["source"], first["page"], first["pages"], first["organisation"]) == (
        PDF_NAME,
        "2",
        "2-2",
        "Kent County Council",
    )
    assert first["citation"] == citation(kent.results[0])
    assert "village halls of Wye" in first["passage"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(app_library):
    response = open_searcher(app_library).search(PDF_QUESTION, k=1)
    response.results[0].text = '=HYPERLINK("http://x")'
    row = next(csv.DictReader(io.StringIO(export_csv([(None, response)]))))
    assert row["passage"] == '\'=HYPERLINK("http://x")'


def test_the_page_offers_both_downloads(app_library, make_app):
    app = ask(make_app(app_library).run(), PDF_QUESTION)
    buttons = {b.label: b for b in app.get("download_button")}
    assert {"Download as Markdown", "Download as CSV"} <= set(buttons)
