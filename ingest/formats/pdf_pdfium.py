"""PDFium's reading of a PDF (pypdfium2): text page by page at native speed, and page images.

PDFium is not thread-safe: every call into it holds `PDFIUM_LOCK`, so the app's sessions
(threads) and an ingest running in the app never use it at the same time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from ingest.document import UnreadableDocument
from ingest.formats.pdf_outline import outline_entry
from ingest.formats.pdf_text import OutlineEntry, PdfText, clean_title, short_reason

PDFIUM_LOCK = threading.RLock()
SOFT_HYPHENS = str.maketrans({"\ufffe": "-\n", "\x02": "-\n"})  # PDFium's mark for "integ-|rated"


def _new_lock() -> None:
    global PDFIUM_LOCK  # a forked reading process must not inherit a held lock
    PDFIUM_LOCK = threading.RLock()


os.register_at_fork(after_in_child=_new_lock)


@contextmanager
def open_pdfium(path: Path) -> Iterator[pdfium.PdfDocument | None]:
    """The document, or None where PDFium cannot parse it (pypdf may still repair it).

    Raises `UnreadableDocument` for a user password, which no library can get past.
    """
    try:
        with PDFIUM_LOCK:
            document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise UnreadableDocument(str(path), "encrypted PDF: needs a password") from err
        yield None
        return
    try:
        yield document
    finally:
        with PDFIUM_LOCK:
            document.close()


def read_with_pdfium(document: pdfium.PdfDocument) -> PdfText:
    """Every page's text, with PDFium's soft hyphens turned back into line-end hyphens, so that
    the cleaning joins them exactly as it joins pypdf's."""
    with PDFIUM_LOCK:
        title = clean_title(document.get_metadata_dict().get("Title"))
        pages, failures = [], []
        for number in range(1, len(document) + 1):
            try:
                pages.append(_page_text(document, number - 1))
            except pdfium.PdfiumError as err:
                failures.append(f"could not read page {number}: {short_reason(err)}")
                pages.append("")
        outline = _outline(document)
    if not pages:
        raise UnreadableDocument("", "no pages (empty PDF)")
    return PdfText(pages, title, failures, reader="pdfium", outline=outline)


def _outline(document: pdfium.PdfDocument) -> list[OutlineEntry]:
    """The bookmarks that point at a page; none where the outline itself is damaged."""
    entries = []
    try:
        for bookmark in document.get_toc():
            dest = bookmark.get_dest()
            entry = outline_entry(dest.get_index() if dest else None, bookmark.get_title())
            if entry is not None and entry.page < len(document):
                entries.append(entry)
    except (pdfium.PdfiumError, ValueError, UnicodeError):
        return []
    return entries


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range().translate(SOFT_HYPHENS)
    finally:
        textpage.close()
        page.close()


def render_page(document: pdfium.PdfDocument, index: int, scale: float):  # -> PIL.Image.Image
    """Page `index` (from 0) as an RGB image, `scale` pixels per PDF point."""
    with PDFIUM_LOCK:
        page = document[index]
        try:
            return page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()
