"""A small fuzz set ingests beside a good file: no crash, no hang, every hostile file accounted for."""

from __future__ import annotations

from pathlib import Path

from docx import Document as WordDocument

from index.build import build_index
from index.settings import Settings
from ingest.fuzz import SMALL, make_fuzz_corpus
from tests.conftest import write_pdf


def _sources(folder: Path) -> Path:
    folder.mkdir()
    write_pdf(folder / "minutes.pdf", [["The board agreed the carers strategy."],
                                       ["Item 2: the housing plan was noted."]])  # fmt: skip
    word = WordDocument()
    word.add_heading("Joint Strategy", level=1)
    word.add_paragraph("Talking therapies waiting times fell to six weeks across the county.")
    word.save(folder / "strategy.docx")
    (folder / "page.html").write_text(
        "<html><body><main><h1>Prevention</h1><p>Falls prevention classes run weekly.</p>"
        "</main></body></html>",
        encoding="utf-8",
    )
    return folder


def test_a_small_fuzz_set_is_ingested_without_a_crash(tmp_path: Path, embedder) -> None:
    documents = tmp_path / "documents"
    made = make_fuzz_corpus(_sources(tmp_path / "sources"), documents, SMALL, seed=14)
    (documents / "good.txt").write_text("The Better Care Fund pools budgets.\n", encoding="utf-8")
    settings = Settings(documents_dir=documents, index_dir=tmp_path / "index")

    report = build_index(settings, embedder, progress=False)

    indexed = {*report.added}
    skipped = {skip.source: skip.reason for skip in report.skipped}
    assert "good.txt" in indexed
    assert indexed | set(skipped) == {path.name for path in made} | {"good.txt"}
    assert skipped["zip-bomb.docx"].startswith("zip bomb: its parts declare 629 MB")
    assert skipped["deep-nesting.html"].startswith("nesting too deep")
    assert skipped["zero-length.txt"] == "empty file"
    assert skipped["nul-filled.txt"] == "not text: binary content"
    assert skipped["pdf0-renamed.docx"].startswith("not a valid DOCX")
    assert skipped["pdf0-renamed.html"] == "not .html: this is a PDF with the wrong name; rename it"
    assert "latin-1.txt" in indexed
    assert not any("reading process" in reason or "took longer" in reason
                   for reason in skipped.values())  # fmt: skip
