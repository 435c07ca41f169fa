"""A cited PDF page as an image, with the answering sentence marked where it is drawn.

PDFium renders the page, and its text page gives each character's box, so the marked rectangles
come from the same characters that were indexed. A scanned page has no characters: there the
boxes are Tesseract's word boxes, read again from the page image. Nothing here is stored in the
index; the app caches pages per session.
"""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

from ingest import ocr
from ingest.formats import pdf_pdfium
from ingest.formats.pdf_pdfium import open_pdfium, render_page

SCALE = 1.5  # pixels per PDF point: an A4 page is 893 x 1263 pixels, readable on a laptop
MARK_FILL = (255, 214, 0, 90)  # translucent yellow over the sentence
MARK_EDGE = (220, 40, 40, 255)  # and a red frame, visible in greyscale print too
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")

Box = tuple[float, float, float, float]  # left, top, right, bottom in image pixels


class PageUnavailable(Exception):
    """The page cannot be shown: not a PDF PDFium can open, or no such page."""


@dataclass(frozen=True)
class PageImage:
    """A rendered page: PNG bytes, its size in pixels, and the boxes drawn around the sentence."""

    page: int
    png: bytes
    width: int
    height: int
    marks: list[Box]


def render_cited_page(
    path: Path, page: int, sentences: list[str], scale: float = SCALE
) -> PageImage:
    """Page `page` (from 1) of the PDF with every given sentence found on it marked."""
    with open_pdfium(path) as document:
        if document is None:
            raise PageUnavailable(f"{path.name} cannot be rendered (PDFium cannot open it)")
        if not 1 <= page <= len(document):
            raise PageUnavailable(f"{path.name} has no page {page} (it has {len(document)})")
        image = render_page(document, page - 1, scale)
        with pdf_pdfium.PDFIUM_LOCK:  # looked up each time: a forked process gets a new one
            pdf_page = document[page - 1]
            textpage = pdf_page.get_textpage()
            try:
                text = textpage.get_text_range()
                if len(text) != textpage.count_chars():  # boxes would not line up with letters
                    text = ""

                def box_of(number: int) -> Box:
                    return _char_box(pdf_page, textpage, image.size, number)

                marks = _marks(sentences, text, box_of)
            finally:
                textpage.close()
                pdf_page.close()
    if not text.strip() and ocr.tesseract_available():
        words = _ocr_words(path, page, image.size)
        text = "".join(char for char, _ in words)
        marks = _marks(sentences, text, lambda number: words[number][1])
    buffer = io.BytesIO()
    draw_marks(image, marks).save(buffer, format="PNG")
    return PageImage(page, buffer.getvalue(), image.width, image.height, marks)


def sentences_of(text: str) -> list[str]:
    """A passage cut into sentences, so that each is marked where it is, across page breaks."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def _marks(sentences: list[str], text: str, box_of: Callable[[int], Box]) -> list[Box]:
    return [box for sentence in sentences for box in find_marks(sentence, text, box_of)]


def find_marks(sentence: str, text: str, box_of: Callable[[int], Box]) -> list[Box]:
    """One box per line of the page that the sentence covers; none if it is not on the page.

    `text` is the page's characters in reading order, `box_of` the box of the character at an
    index of it (PDFium's text page, or Tesseract's words).

    Only letters and digits are compared, ignoring case, so line breaks, joined hyphens,
    dropped running headers and spacing do not stop the indexed text from matching the page.
    Where the whole sentence is not on the page (it runs over a page break), its longest
    leading or trailing part that is, of at least half of it, is marked.
    """
    wanted = _letters(sentence)
    if not wanted:
        return []
    positions = [n for n, char in enumerate(text) if char.isalnum()]
    page = "".join(text[n].lower() for n in positions)
    span = _find_part(wanted, page)
    if span is None:
        return []
    start, end = span
    return _line_boxes([box_of(positions[n]) for n in range(start, end)])


def _letters(text: str) -> str:
    return "".join(char.lower() for char in text if char.isalnum())


def _find_part(wanted: str, page: str) -> tuple[int, int] | None:
    at = page.find(wanted)
    if at >= 0:
        return at, at + len(wanted)
    for size in range(len(wanted) - 1, max(len(wanted) // 2, 12) - 1, -1):
        at = page.find(wanted[:size])
        if at >= 0:
            return at, at + size
        at = page.find(wanted[-size:])
        if at >= 0:
            return at, at + size
    return None


def _line_boxes(boxes: list[Box]) -> list[Box]:
    """Character boxes merged into one box per line (a new line starts below the last)."""
    lines: list[list[float]] = []
    for left, top, right, bottom in boxes:
        if lines:
            line = lines[-1]
            middle = (top + bottom) / 2
            if line[1] <= middle <= line[3] and left >= line[0] - 1:
                line[0], line[1] = min(line[0], left), min(line[1], top)
                line[2], line[3] = max(line[2], right), max(line[3], bottom)
                continue
        lines.append([left, top, right, bottom])
    return [(a, b, c, d) for a, b, c, d in lines]


def draw_marks(image: Image.Image, marks: list[Box], pad: float = 2.0) -> Image.Image:
    """The image with each box filled in translucent yellow and framed in red."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for left, top, right, bottom in marks:
        frame = (left - pad, top - pad, right + pad, bottom + pad)
        draw.rectangle(frame, fill=MARK_FILL, outline=MARK_EDGE, width=2)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _char_box(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, size: tuple[int, int], number: int
) -> Box:
    """Character `number`'s box in the rendered image's pixels."""
    left, bottom, right, top = textpage.get_charbox(number)
    x1, y1 = _to_pixels(page, size, left, top)
    x2, y2 = _to_pixels(page, size, right, bottom)
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _to_pixels(page: pdfium.PdfPage, size: tuple[int, int], x: float, y: float) -> tuple[int, int]:
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(
        page.raw, 0, 0, size[0], size[1], 0, x, y, ctypes.byref(device_x), ctypes.byref(device_y)
    )
    return device_x.value, device_y.value


def _ocr_words(path: Path, page: int, size: tuple[int, int]) -> list[tuple[str, Box]]:
    """A scanned page's words as Tesseract reads them, each letter given its word's box."""
    with open_pdfium(path) as document:
        image = render_page(document, page - 1, ocr.OCR_DPI / 72)
    factor = size[0] / image.width
    out: list[tuple[str, Box]] = []
    for word in ocr.read_image(image).words:
        box = tuple(value * factor for value in word.box)
        out.extend((char, box) for char in word.text)
        out.append((" ", (0.0, 0.0, 0.0, 0.0)))
    return out
