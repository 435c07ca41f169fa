"""Reading scanned pages with Tesseract (pytesseract): their text, word boxes and confidence.

Tesseract is a program, not a Python package: without it on PATH, image-only pages are
reported with `INSTALL_HINT` instead of being read.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytesseract
from PIL import Image

INSTALL_HINT = (
    "install Tesseract to read it by OCR "
    "(Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-eng)"
)
OCR_DPI = 300  # Tesseract reads body text best at about 300 dots per inch
MIN_CONFIDENCE = 60.0  # mean word confidence (0-100) below which a page's text is mostly noise
LANGUAGE = "eng"
_ENVIRONMENT = threading.Lock()  # pytesseract passes os.environ to Tesseract: one caller at a time


@dataclass(frozen=True)
class OcrWord:
    """One word Tesseract found, with its box in the image's pixels (left, top, right, bottom)."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float
    line: tuple[int, int, int]  # block, paragraph, line: words of one line share it


@dataclass(frozen=True)
class OcrPage:
    """A page read by OCR: its text (paragraphs apart by blank lines) and how sure Tesseract was."""

    text: str
    words: list[OcrWord]
    confidence: float  # mean word confidence, 0-100; 0 when no word was found
    seconds: float

    @property
    def readable(self) -> bool:
        return bool(self.words) and self.confidence >= MIN_CONFIDENCE


def tesseract_available() -> bool:
    """Whether the `tesseract` program can be run (looked up on PATH at each call)."""
    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


@contextmanager
def _one_tesseract_thread() -> Iterator[None]:
    """OMP_THREAD_LIMIT=1 for Tesseract alone: OCR runs while the model embeds on the other core,
    where Tesseract's OpenMP threads only wait on each other (8.4 s a page against 6.3 s). Left
    set, every process started afterwards inherits it, and FAISS's k-means hangs under it."""
    with _ENVIRONMENT:
        previous = os.environ.get("OMP_THREAD_LIMIT")
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("OMP_THREAD_LIMIT", None)


def read_image(image: Image.Image) -> OcrPage:
    """Tesseract's reading of one page image."""
    started = time.perf_counter()
    with _one_tesseract_thread():
        data = pytesseract.image_to_data(image, lang=LANGUAGE, output_type=pytesseract.Output.DICT)
    words = [
        OcrWord(
            text=text.strip(),
            box=(left, top, left + width, top + height),
            confidence=float(confidence),
            line=(block, paragraph, line),
        )
        for text, left, top, width, height, confidence, block, paragraph, line in zip(
            data["text"],
            data["left"],
            data["top"],
            data["width"],
            data["height"],
            data["conf"],
            data["block_num"],
            data["par_num"],
            data["line_num"],
        )
        if text.strip() and float(confidence) >= 0
    ]
    confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
    return OcrPage(_text(words), words, round(confidence, 1), time.perf_counter() - started)


def _text(words: list[OcrWord]) -> str:
    """Words joined into lines, lines into paragraphs, as Tesseract grouped them."""
    out: list[str] = []
    previous: tuple[int, int, int] | None = None
    for word in words:
        if previous is None:
            out.append(word.text)
        elif word.line == previous:
            out.append(" " + word.text)
        elif word.line[:2] == previous[:2]:
            out.append("\n" + word.text)
        else:
            out.append("\n\n" + word.text)
        previous = word.line
    return "".join(out)
