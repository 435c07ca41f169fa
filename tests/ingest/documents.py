"""Real files for the ingest tests: PDFs drawn line by line with reportlab, and the corpus paths."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
HARD = CORPUS / "hard"
LIBRARY = CORPUS / "library"


def draw_pdf(
    path: Path,
    pages: list[list[str]],
    footer: str | None = "Page {n} of {total}",
    title: str | None = None,
    encrypt: StandardEncryption | None = None,
    outline: dict[int, list[str]] | None = None,
) -> Path:
    """A PDF with exactly these lines on each page ("" leaves a blank line) and a running footer;
    `outline` gives the bookmark titles that point at each page (numbered from 1)."""
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        pdf.setTitle(title)
    _, height = A4
    for number, lines in enumerate(pages, start=1):
        y = height - 72
        for line in lines:
            if line:
                pdf.drawString(72, y, line)
            y -= 28 if not line else 14
        if footer:
            pdf.drawString(72, 40, footer.format(n=number, total=len(pages)))
        for count, entry in enumerate((outline or {}).get(number, [])):
            pdf.bookmarkPage(key := f"p{number}-{count}")
            pdf.addOutlineEntry(entry, key, level=0)
        pdf.showPage()
    pdf.save()
    return path


def draw_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose pages hold only shapes: what a scan without OCR looks like to a text extractor."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        pdf.rect(72, 400, 300, 200, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def draw_scanned_pdf(path: Path, pages: list[list[str] | str]) -> Path:
    """A PDF whose pages are either text lines (a list) or a scan of a paragraph (a string).

    A scan is the paragraph drawn by Pillow into a 200 dpi greyscale image, placed on the page
    with no text layer: what a scanner without OCR produces.
    """
    from reportlab.lib.utils import ImageReader

    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for content in pages:
        if isinstance(content, str):
            pdf.drawImage(ImageReader(scan_image(content)), 0, 0, width, height)
        else:
            for number, line in enumerate(content):
                pdf.drawString(72, height - 72 - 14 * number, line)
        pdf.showPage()
    pdf.save()
    return path


def scan_image(paragraph: str, dpi: int = 200, words_per_line: int = 9):
    """An A4 page image with the paragraph written on it in black on white (a PIL image)."""
    from PIL import Image, ImageDraw, ImageFont

    size = (int(8.27 * dpi), int(11.69 * dpi))
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=dpi // 6)
    words = paragraph.split()
    y = dpi
    for start in range(0, len(words), words_per_line):
        draw.text((dpi, y), " ".join(words[start : start + words_per_line]), fill=0, font=font)
        y += dpi // 4
    return image
