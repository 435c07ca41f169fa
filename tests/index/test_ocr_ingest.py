"""A scanned page through the whole ingest: searchable, cited on its page, marked as OCR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from index.build import build_index
from index.search import Searcher
from index.settings import Settings
from index.store import open_store
from ingest import ocr
from tests.ingest.documents import draw_scanned_pdf
from tests.ingest.test_ocr import SCANNED

pytestmark = pytest.mark.skipif(
    not ocr.tesseract_available(), reason=f"Tesseract is not installed: {ocr.INSTALL_HINT}"
)
QUESTION = "Which lido restoration did the committee fund from the reserve?"


@pytest.fixture(scope="module")
def scanned_library(tmp_path_factory: pytest.TempPathFactory, embedder) -> Settings:
    root = tmp_path_factory.mktemp("scanned")
    documents = root / "documents"
    documents.mkdir()
    draw_scanned_pdf(
        documents / "committee-minutes.pdf",
        [["Minutes of the leisure committee, 3 March 2025.", "Apologies were received."], SCANNED],
    )
    (documents / "parks.txt").write_text(
        "The parks strategy plants two hundred trees along the river path.", encoding="utf-8"
    )
    settings = Settings(documents_dir=documents, index_dir=root / "index")
    report = build_index(settings, embedder, progress=False)
    assert report.ocr_pages == 1 and report.ocr_seconds > 0
    return settings


def test_scanned_sentence_is_found_on_its_page_marked_ocr(scanned_library, embedder) -> None:
    searcher = Searcher(open_store(scanned_library.index_dir), embedder, scanned_library)
    best = searcher.search(QUESTION, k=3).results[0]
    assert best.source == "committee-minutes.pdf"
    assert best.page == 2
    assert "Brambleford lido" in best.text
    assert best.ocr is True and best.ocr_confidence >= ocr.MIN_CONFIDENCE
    results = searcher.search("parks strategy trees", k=3).results
    typed = [r for r in results if r.source == "parks.txt"]
    assert typed and not any(r.ocr for r in typed)
    assert all(r.ocr for r in results if r.source == "committee-minutes.pdf")


def test_json_answer_says_ocr_with_its_confidence(scanned_library) -> None:
    result = CliRunner().invoke(
        cli, ["ask", QUESTION, "--json", "--index", str(scanned_library.index_dir)]
    )
    assert result.exit_code == 0, result.output
    best = json.loads(result.output)["results"][0]
    assert best["ocr"] is True and best["page"] == 2
    assert best["ocr_confidence"] >= ocr.MIN_CONFIDENCE


def test_scans_skipped_without_tesseract_are_read_once_it_is_installed(
    tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    draw_scanned_pdf(documents / "decision.pdf", [SCANNED])
    (documents / "notes.txt").write_text("Notes of the parks meeting.", encoding="utf-8")
    settings = Settings(documents_dir=documents, index_dir=tmp_path / "index")
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract program on PATH
    first = build_index(settings, embedder, progress=False)
    assert [s.source for s in first.skipped] == ["decision.pdf"]
    assert "tesseract-ocr" in first.skipped[0].reason
    monkeypatch.undo()
    second = build_index(settings, embedder, progress=False)
    assert second.added == ["decision.pdf"] and not second.skipped
