"""Sections for a PDF's text from its outline (bookmarks): the author's own headings, each with
the page it opens on, so that a PDF passage is cited and read by the models under its heading
as a Word or HTML passage is.

An outline title is looked for as whole lines of its page's text; where it is found, its
section opens there and the heading is its own paragraph. One the page does not show
("Slide 3: ..." bookmarks of a slide deck) opens its section at the top of its page, unless
a heading found on that page comes before it in the outline, where it cannot be placed.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.clean import split_paragraphs
from ingest.formats import Paragraph
from ingest.formats.pdf_text import OutlineEntry, clean_title

MAX_TITLE_CHARS = 200  # longer "titles" are whole sentences some tools put in bookmarks
MAX_TITLE_LINES = 3  # a heading wrapped over at most this many lines
_NOT_WORD = re.compile(r"\W+")
# "Slide 4", "Slide Number 4": a bookmark that names no topic
_BARE_NUMBER = re.compile(r"(?:(?:slide|page|section)(?: number| no\.?)?)?\s*\d+", re.IGNORECASE)


def outline_entry(page: int | None, title: str) -> OutlineEntry | None:
    """An entry worth using: it points at a page and has a short, printable title."""
    title = clean_title(title)
    if page is None or page < 0 or not title or not _key(title) or len(title) > MAX_TITLE_CHARS:
        return None
    return None if _BARE_NUMBER.fullmatch(title) else OutlineEntry(page, title)


def outlined_paragraphs(
    pages: list[str], outline: list[OutlineEntry], confidences: list[float | None]
) -> list[Paragraph]:
    """Every page's paragraphs (page numbers from 1), each under the nearest heading above it."""
    by_page: dict[int, list[OutlineEntry]] = defaultdict(list)
    for entry in outline:
        by_page[entry.page].append(entry)  # outline order kept within a page
    paragraphs: list[Paragraph] = []
    section: str | None = None
    for index, text in enumerate(pages):
        lines = text.split("\n")
        found, leading = _place(lines, by_page.get(index, []))
        if leading:
            section = leading[-1].title
        page, confidence = index + 1, confidences[index]
        position = 0
        for start, end, title in found:
            paragraphs.extend(_paragraphs(lines[position:start], section, page, confidence))
            section = title
            heading = " ".join(lines[start:end])
            paragraphs.append(
                Paragraph(
                    heading, section=title, page=page, heading=True, ocr_confidence=confidence
                )
            )
            position = end
        paragraphs.extend(_paragraphs(lines[position:], section, page, confidence))
    return paragraphs


def _place(
    lines: list[str], entries: list[OutlineEntry]
) -> tuple[list[tuple[int, int, str]], list[OutlineEntry]]:
    """The line spans of the entries the page shows, in order, and the entries before the first
    of them that it does not show."""
    found: list[tuple[int, int, str]] = []
    leading: list[OutlineEntry] = []
    cursor = 0
    for entry in entries:
        span = _find(lines, _key(entry.title), cursor)
        if span is None:
            if not found:
                leading.append(entry)
            continue
        found.append((*span, entry.title))
        cursor = span[1]
    return found, leading


def _find(lines: list[str], wanted: str, start: int) -> tuple[int, int] | None:
    for first in range(start, len(lines)):
        joined = ""
        for last in range(first, min(first + MAX_TITLE_LINES, len(lines))):
            joined = f"{joined} {_key(lines[last])}".strip()
            if joined == wanted:
                return first, last + 1
            if not wanted.startswith(joined):
                break
    return None


def _paragraphs(
    lines: list[str], section: str | None, page: int, confidence: float | None
) -> list[Paragraph]:
    text = "\n".join(lines).strip()
    return [
        Paragraph(text=paragraph, section=section, page=page, ocr_confidence=confidence)
        for paragraph in split_paragraphs(text)
    ]


def _key(text: str) -> str:
    """Headings compared as their words: case, spacing and punctuation aside."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()
