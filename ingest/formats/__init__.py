"""One reader per file format; each turns a file into the same `RawFile` of cleaned blocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.document import Block

MAX_BLOCK_CHARS = 1500  # merge small paragraphs up to this size; the splitter cuts passages later


@dataclass
class RawFile:
    """What a format reader found, before metadata is inferred: text blocks and a few hints."""

    blocks: list[Block]
    pages: int | None = None
    embedded_title: str | None = None  # PDF /Title, DOCX core title or Title paragraph, HTML <h1>
    warnings: list[str] = field(default_factory=list)
    ocr_pages: int = 0  # pages read by OCR
    ocr_seconds: float = 0.0  # time Tesseract took on them


@dataclass(frozen=True)
class Paragraph:
    """One paragraph, heading or table as a reader walks the file, before merging into blocks."""

    text: str
    section: str | None = None
    page: int | None = None
    heading: bool = False  # headings open their section; they are kept as text too
    ocr_confidence: float | None = None  # mean word confidence of its page, if read by OCR


def build_blocks(paragraphs: Iterable[Paragraph], max_chars: int = MAX_BLOCK_CHARS) -> list[Block]:
    """Merge consecutive paragraphs of one page and section into blocks of at most `max_chars`.

    A block holding only headings is carried into the next section, so that a run of headings
    ("Contents", "Key findings") does not become a passage of its own.
    """
    blocks: list[Block] = []
    parts: list[str] = []
    section: str | None = None
    page: int | None = None
    confidence: float | None = None
    has_body = False

    def flush() -> None:
        if parts:
            blocks.append(
                Block("\n\n".join(parts), page=page, section=section, ocr_confidence=confidence)
            )
        parts.clear()

    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        size = sum(len(part) + 2 for part in parts) + len(text)
        carry_headings = parts and not has_body and paragraph.page == page
        same_place = paragraph.page == page and paragraph.section == section
        if parts and not carry_headings and (not same_place or size > max_chars):
            flush()
        if not parts:
            has_body = False
        parts.append(text)
        section, page = paragraph.section, paragraph.page
        confidence = paragraph.ocr_confidence  # one page's paragraphs share it
        has_body = has_body or not paragraph.heading
    flush()
    return blocks
