"""The cited page as an image: checked by rendering, against where reportlab drew the sentence."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from app.page_image import PageUnavailable, find_marks, render_cited_page, sentences_of
from ingest import ocr
from tests.ingest.documents import draw_scanned_pdf
from tests.ingest.test_ocr import SCANNED

SENTENCE = "The mobile library will stop at Little Hadham every second Tuesday."
OTHER = "Parking charges at the leisure centre are unchanged this year."
X, Y, FONT, SIZE = 90, 500, "Helvetica", 12  # where page 2 draws the sentence, in points
SCALE = 1.5
WIDTH, HEIGHT = A4


@pytest.fixture(scope="module")
def two_page_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page-image") / "library-report.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, SIZE)
    pdf.drawString(72, 700, "Page one is about something else entirely.")
    pdf.showPage()
    pdf.setFont(FONT, SIZE)
    pdf.drawString(72, 700, OTHER)
    pdf.drawString(X, Y, SENTENCE)
    pdf.showPage()
    pdf.save()
    return path


def expected_box() -> tuple[float, float, float, float]:
    """The sentence's line in pixels of the rendered page, from reportlab's own geometry."""
    left, right = X * SCALE, (X + stringWidth(SENTENCE, FONT, SIZE)) * SCALE
    top, bottom = (HEIGHT - Y - 0.75 * SIZE) * SCALE, (HEIGHT - Y + 0.25 * SIZE) * SCALE
    return left, top, right, bottom


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def ink_box(image: np.ndarray) -> tuple[int, int, int, int]:
    """The bounding box of the dark pixels (text) of a rendered page."""
    rows, columns = np.nonzero(image.sum(axis=2) < 300)
    return columns.min(), rows.min(), columns.max(), rows.max()


def test_rendered_page_is_page_two_with_the_sentence_drawn_where_reportlab_put_it(
    two_page_pdf: Path,
) -> None:
    plain = render_cited_page(two_page_pdf, 2, [], SCALE)
    assert (plain.width, plain.height) == (round(WIDTH * SCALE), round(HEIGHT * SCALE))
    assert plain.marks == []
    image = pixels(plain.png)
    left, top, right, bottom = (round(v) for v in expected_box())
    band = image[top:bottom, :]
    ink_left, _, ink_right, _ = ink_box(band)
    assert abs(ink_left - left) <= 3 and abs(ink_right - right) <= 3  # the sentence's line
    page_one = pixels(render_cited_page(two_page_pdf, 1, [], SCALE).png)
    assert ink_box(page_one)[1] < top - 100 and (page_one[top:bottom] > 250).all()


def test_marked_rectangle_lies_where_the_sentence_is_drawn(two_page_pdf: Path) -> None:
    marked = render_cited_page(two_page_pdf, 2, [SENTENCE], SCALE)
    assert len(marked.marks) == 1
    left, top, right, bottom = expected_box()
    mark = marked.marks[0]
    assert abs(mark[0] - left) <= 4 and right - 8 <= mark[2] <= right + 4  # up to the full stop
    assert mark[1] >= top - 6 and mark[3] <= bottom + 6
    # On the picture: the sentence's line is tinted yellow, the other line is not.
    image = pixels(marked.png)
    inside = image[round(top) : round(bottom), round(left) : round(right) - 8]
    yellowish = (inside[..., 0] > 200) & (inside[..., 1] > 180) & (inside[..., 2] < 200)
    assert yellowish.mean() > 0.5
    other = image[round((HEIGHT - 700 - 9) * SCALE) : round((HEIGHT - 700 + 3) * SCALE)]
    assert not ((other[..., 2] < 200) & (other[..., 0] > 200)).any()


def test_sentence_wrapped_over_two_lines_gets_a_box_per_line() -> None:
    text = "first line ends here\r\nand the second begins"
    boxes = {n: (10.0 * n, 0.0, 10.0 * n + 9, 10.0) for n in range(20)}
    boxes.update({n: (10.0 * (n - 22), 20.0, 10.0 * (n - 22) + 9, 30.0) for n in range(22, 43)})
    marks = find_marks("line ends here and the second", text, boxes.__getitem__)
    assert len(marks) == 2 and marks[0][1] == 0.0 and marks[1][1] == 20.0
    assert find_marks("not on this page at all, anywhere", text, boxes.__getitem__) == []


def test_passage_is_marked_sentence_by_sentence() -> None:
    assert sentences_of("One. Two? Three") == ["One.", "Two?", "Three"]


def test_missing_page_is_refused(two_page_pdf: Path) -> None:
    with pytest.raises(PageUnavailable, match="no page 3"):
        render_cited_page(two_page_pdf, 3, [])


@pytest.mark.skipif(not ocr.tesseract_available(), reason=ocr.INSTALL_HINT)
def test_scanned_page_is_marked_from_tesseract_word_boxes(tmp_path: Path) -> None:
    path = draw_scanned_pdf(tmp_path / "scan.pdf", [SCANNED])
    marked = render_cited_page(path, 1, ["The committee resolved to fund the Brambleford lido"])
    assert marked.marks
    top = min(box[1] for box in marked.marks)
    assert top < marked.height * 0.2  # the paragraph is drawn at the top of the scan
