"""pypdf's reading of a PDF: kept for the files that PDFium cannot open but pypdf can repair."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ingest.document import UnreadableDocument
from ingest.formats.pdf_text import PdfText, clean_title, short_reason

MAX_LOGGED = 3  # pypdf warnings quoted in the file's warnings; the rest are counted


def read_with_pypdf(path: Path) -> PdfText:
    """Every page's raw text and the /Title; raise `UnreadableDocument` if pypdf cannot open it."""
    warnings: list[str] = []
    failures: list[str] = []
    with _pypdf_log(warnings):
        reader = _open(path)
        title = _embedded_title(reader)
        page_texts = _page_texts(reader, failures)
    return PdfText(page_texts, title, failures, warnings, reader="pypdf")


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
            str(path), f"encrypted PDF: cannot decrypt ({short_reason(err)})"
        ) from err
    except PyPdfError as err:
        raise UnreadableDocument(str(path), f"not a valid PDF: {short_reason(err)}") from err
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as err:
        # pypdf lets these through on some damaged files instead of a PdfReadError
        raise UnreadableDocument(str(path), f"not a valid PDF: {short_reason(err)}") from err
    return reader


def _embedded_title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, UnicodeError):
        return None
    return clean_title(title)


def _page_texts(reader: PdfReader, failures: list[str]) -> list[str]:
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text()
        except Exception as err:  # noqa: BLE001  one damaged page must not stop the document
            failures.append(f"could not read page {number}: {short_reason(err)}")
            text = ""
        texts.append(text or "")
    return texts


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
            quoted = "; ".join(short_reason(message) for message in distinct[:MAX_LOGGED])
            more = len(distinct) - MAX_LOGGED
            warnings.append(f"pypdf: {quoted}" + (f" (and {more} more)" if more > 0 else ""))


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.messages.append(message.split(" {", 1)[0].split("\n", 1)[0])  # drop dict dumps
