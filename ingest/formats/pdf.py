"""PDF reader: text page by page with pypdf, so that every block keeps its page number."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ingest.clean import drop_running_lines, normalise_text, split_paragraphs
from ingest.document import UnreadableDocument
from ingest.formats import Paragraph, RawFile, build_blocks

NOT_A_PDF = "not a valid PDF: no PDF header (damaged, or another kind of file)"
NO_TEXT_LAYER = "no text layer (scanned or image-only PDF); run OCR first"
MAX_LOGGED = 3  # pypdf warnings quoted in the file's warnings; the rest are counted


def read_pdf(path: Path) -> RawFile:
    """Read a PDF; raise `UnreadableDocument` when it is corrupt, encrypted, empty or image-only."""
    if path.stat().st_size == 0:
        raise UnreadableDocument(str(path), "empty file")
    with path.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise UnreadableDocument(str(path), NOT_A_PDF)
    warnings: list[str] = []
    failures: list[str] = []
    with _pypdf_log(warnings):
        reader = _open(path)
        title = _embedded_title(reader)
        page_texts = _page_texts(reader, failures)
    warnings.extend(failures)
    if not any(page_texts):
        if len(failures) == len(page_texts):
            raise UnreadableDocument(str(path), f"no page could be read ({failures[0]})")
        raise UnreadableDocument(str(path), NO_TEXT_LAYER)
    empty = sum(1 for text in page_texts if not text) - len(failures)
    if empty:
        warnings.append(f"{empty} of {len(page_texts)} pages have no text layer (images only?)")
    paragraphs = [
        Paragraph(text=paragraph, page=number)
        for number, text in enumerate(drop_running_lines(page_texts), start=1)
        for paragraph in split_paragraphs(text)
    ]
    return RawFile(
        blocks=build_blocks(paragraphs),
        pages=len(page_texts),
        embedded_title=title,
        warnings=warnings,
    )


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(str(path), "encrypted PDF: needs a password")
        if len(reader.pages) == 0:
            raise UnreadableDocument(str(path), "no pages (empty PDF)")
    except FileNotDecryptedError as err:
        raise UnreadableDocument(str(path), "encrypted PDF: needs a password") from err
    except DependencyError as err:
        raise UnreadableDocument(
            str(path), f"encrypted PDF: cannot decrypt ({_short(err)})"
        ) from err
    except PyPdfError as err:
        raise UnreadableDocument(str(path), f"not a valid PDF: {_short(err)}") from err
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as err:
        # pypdf lets these through on some damaged files instead of a PdfReadError
        raise UnreadableDocument(str(path), f"not a valid PDF: {_short(err)}") from err
    return reader


def _embedded_title(reader: PdfReader) -> str | None:
    """The /Title of the document information, if it can be decoded into something printable."""
    try:
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, UnicodeError):
        return None
    if not isinstance(title, str):
        return None
    title = " ".join(title.split())
    printable = sum(1 for char in title if char.isprintable())
    return title if title and printable == len(title) and len(title) <= 300 else None


def _page_texts(reader: PdfReader, failures: list[str]) -> list[str]:
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text()
        except Exception as err:  # noqa: BLE001  one damaged page must not stop the document
            failures.append(f"could not read page {number}: {_short(err)}")
            text = ""
        texts.append(normalise_text(text or ""))
    return texts


def _short(err: BaseException | str) -> str:
    message = str(err).strip() or type(err).__name__
    return message if len(message) <= 120 else message[:117] + "..."


@contextmanager
def _pypdf_log(warnings: list[str]) -> Iterator[None]:
    """Collect pypdf's log messages into one warning instead of letting them flood the console."""
    logger = logging.getLogger("pypdf")
    messages: list[str] = []
    handler = _ListHandler(messages)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        distinct = list(dict.fromkeys(messages))
        if distinct:
            quoted = "; ".join(_short(message) for message in distinct[:MAX_LOGGED])
            more = len(distinct) - MAX_LOGGED
            warnings.append(f"pypdf: {quoted}" + (f" (and {more} more)" if more > 0 else ""))


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.messages.append(message.split(" {", 1)[0].split("\n", 1)[0])  # drop dict dumps
