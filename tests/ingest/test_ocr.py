"""Scanned pages read by Tesseract: PDFs made of Pillow-drawn page images with no text layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest import ocr
from ingest.document import UnreadableDocument
from ingest.formats.pdf import read_pdf
from tests.ingest.documents import draw_scanned_pdf

SCANNED = (
    "The committee resolved to fund the Brambleford lido restoration from the reserve, "
    "subject to a survey of the roof, and asked officers to report back in September."
)
# CI installs Tesseract (see .ci/run), so there a missing one is a failure rather than a skip.
if os.environ.get("CI") and not ocr.tesseract_available():
    raise RuntimeError("CI must install tesseract-ocr and tesseract-ocr-eng (see .ci/run)")
needs_tesseract = pytest.mark.skipif(
    not ocr.tesseract_available(), reason=f"Tesseract is not installed: {ocr.INSTALL_HINT}"
)


@pytest.fixture
def mixed_pdf(tmp_path: Path) -> Path:
    """Page 1 has a text layer; page 2 is a scan."""
    return draw_scanned_pdf(
        tmp_path / "minutes.pdf", [["Minutes of the committee, 3 March 2025."], SCANNED]
    )


@needs_tesseract
def test_only_the_scanned_page_is_read_by_ocr(mixed_pdf: Path) -> None:
    raw = read_pdf(mixed_pdf)
    by_page = {block.page: block for block in raw.blocks}
    assert by_page[1].ocr_confidence is None
    assert "Brambleford lido restoration" in by_page[2].text
    assert by_page[2].ocr_confidence >= ocr.MIN_CONFIDENCE
    assert raw.ocr_pages == 1 and raw.ocr_seconds > 0
    assert not any("no text layer" in warning for warning in raw.warnings)


@needs_tesseract
def test_tesseracts_thread_limit_is_not_left_for_later_processes(
    mixed_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Left in the environment, OMP_THREAD_LIMIT=1 passed to every process started later, and
    an IVF index built in one of them never finished."""
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    assert read_pdf(mixed_pdf).ocr_pages == 1
    assert "OMP_THREAD_LIMIT" not in os.environ
    monkeypatch.setenv("OMP_THREAD_LIMIT", "2")  # a user's own setting is kept
    read_pdf(mixed_pdf)
    assert os.environ["OMP_THREAD_LIMIT"] == "2"


@needs_tesseract
def test_a_page_read_too_poorly_is_reported_not_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = draw_scanned_pdf(tmp_path / "faint.pdf", [["A readable first page."], SCANNED])
    monkeypatch.setattr(ocr, "MIN_CONFIDENCE", 101.0)  # no reading can reach it: all too poor
    raw = read_pdf(path)
    assert {block.page for block in raw.blocks} == {1}
    assert any("page 2: OCR confidence" in w and "not indexed" in w for w in raw.warnings)


def test_without_tesseract_the_reason_says_what_to_install(
    tmp_path: Path, mixed_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract program on PATH
    scan_only = draw_scanned_pdf(tmp_path / "scan.pdf", [SCANNED])
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf(scan_only)
    assert "no text layer" in caught.value.reason
    assert "apt-get install tesseract-ocr tesseract-ocr-eng" in caught.value.reason
    mixed = read_pdf(mixed_pdf)
    assert {block.page for block in mixed.blocks} == {1}
    assert any("tesseract-ocr" in warning for warning in mixed.warnings)
