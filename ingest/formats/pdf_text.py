"""What a PDF text extractor (PDFium or pypdf) hands to the PDF reader: raw text page by page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutlineEntry:
    """A bookmark: a heading and the page it opens on."""

    page: int  # from 0
    title: str


@dataclass
class PdfText:
    """Each page's raw extracted text (index 0 is page 1), before cleaning and OCR."""

    pages: list[str]
    title: str | None
    failures: list[str] = field(default_factory=list)  # pages that could not be read, and why
    warnings: list[str] = field(default_factory=list)
    reader: str = "pdfium"  # which library read it: "pdfium" or "pypdf"
    outline: list[OutlineEntry] = field(default_factory=list)  # bookmarks, in outline order


def clean_title(title: object) -> str | None:
    """The embedded /Title (or a bookmark's), if it decodes into something short and printable."""
    if not isinstance(title, str):
        return None
    title = " ".join(title.split())
    printable = sum(1 for char in title if char.isprintable())
    return title if title and printable == len(title) and len(title) <= 300 else None


def short_reason(err: BaseException | str) -> str:
    message = str(err).strip() or type(err).__name__
    return message if len(message) <= 120 else message[:117] + "..."
