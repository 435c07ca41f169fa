"""PDF reader: text page by page, so that every block keeps its page number.

PDFium reads the text layer (about twenty times faster than pypdf on this corpus); pypdf reads
the damaged files PDFium cannot open. Pages without a text layer are read by OCR when
Tesseract is installed, and their blocks carry the mean word confidence. Where the PDF has
an outline (bookmarks), its headings give the text its sections.
"""

from __future__ import annotations

from pathlib import Path

from tqdm import tqdm

from ingest import ocr
from ingest.clean import drop_running_lines, normalise_text
from ingest.document import UnreadableDocument
from ingest.formats import RawFile, build_blocks
from ingest.formats.pdf_outline import outlined_paragraphs
from ingest.formats.pdf_pdfium import open_pdfium, read_with_pdfium, render_page
from ingest.formats.pdf_pypdf import read_with_pypdf

NOT_A_PDF = "not a valid PDF: no PDF header (damaged, or another kind of file)"
NO_TEXT_LAYER = "no text layer (scanned or image-only PDF)"


def read_pdf(path: Path) -> RawFile:
    """Read a PDF; raise `UnreadableDocument` when it is corrupt, encrypted, empty or image-only."""
    if path.stat().st_size == 0:
        raise UnreadableDocument(str(path), "empty file")
    with path.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise UnreadableDocument(str(path), NOT_A_PDF)
    with open_pdfium(path) as document:
        extracted = read_with_pdfium(document) if document is not None else read_with_pypdf(path)
        texts = [normalise_text(text) for text in extracted.pages]
        confidences: list[float | None] = [None] * len(texts)
        warnings = [*extracted.warnings, *extracted.failures]
        blank = [n for n, text in enumerate(texts) if not text]
        ocr_seconds = 0.0
        if blank and document is not None and ocr.tesseract_available():
            ocr_seconds = _read_by_ocr(document, blank, texts, confidences, warnings)
    if not any(texts):
        if len(extracted.failures) == len(texts):
            raise UnreadableDocument(str(path), f"no page could be read ({extracted.failures[0]})")
        raise UnreadableDocument(str(path), _no_text_reason(document is not None, warnings))
    empty = sum(1 for text in texts if not text) - len(extracted.failures)
    if empty:
        hint = "" if ocr.tesseract_available() else f"; {ocr.INSTALL_HINT}"
        warnings.append(f"{empty} of {len(texts)} pages have no text layer (images only?){hint}")
    paragraphs = outlined_paragraphs(drop_running_lines(texts), extracted.outline, confidences)
    ocr_pages = sum(1 for c in confidences if c is not None)
    return RawFile(
        blocks=build_blocks(paragraphs),
        pages=len(texts),
        embedded_title=extracted.title,
        warnings=warnings,
        ocr_pages=ocr_pages,
        ocr_seconds=ocr_seconds,
    )


def _read_by_ocr(
    document: object,
    pages: list[int],
    texts: list[str],
    confidences: list[float | None],
    warnings: list[str],
) -> float:
    """OCR the pages at these positions in place; report (not index) those read too poorly."""
    seconds = 0.0
    for index in tqdm(pages, desc="OCR", unit="page", leave=False, disable=None):
        page = ocr.read_image(render_page(document, index, ocr.OCR_DPI / 72))
        seconds += page.seconds
        if page.readable:
            texts[index] = normalise_text(page.text)
            confidences[index] = page.confidence
        elif page.words:
            warnings.append(
                f"page {index + 1}: OCR confidence {page.confidence:.0f} is below "
                f"{ocr.MIN_CONFIDENCE:.0f}, too low to be useful; not indexed"
            )
    return seconds


def _no_text_reason(rendered: bool, warnings: list[str]) -> str:
    if not ocr.tesseract_available():
        return f"{NO_TEXT_LAYER}: {ocr.INSTALL_HINT}"
    if rendered and any("OCR confidence" in w for w in warnings):
        return f"{NO_TEXT_LAYER}, and OCR read it too poorly to index ({warnings[-1]})"
    return f"{NO_TEXT_LAYER}; OCR found no words on its pages"
