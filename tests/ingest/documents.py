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
) -> Path:
    """A PDF with exactly these lines on each page ("" leaves a blank line) and a running footer."""
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
