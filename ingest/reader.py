"""Any supported file to a `ParsedDocument`: pick the reader by suffix, then add metadata."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import fields, replace
from pathlib import Path

from ingest.document import BLOCK_SEPARATOR, DocumentMetadata, ParsedDocument, UnreadableDocument
from ingest.formats import RawFile
from ingest.formats.docx import read_docx
from ingest.formats.html import read_html
from ingest.formats.markdown import read_markdown
from ingest.formats.pdf import read_pdf
from ingest.formats.text import read_text
from ingest.metadata import infer_metadata
from ingest.ocr import INSTALL_HINT, tesseract_available
from ingest.sidecar import SIDECAR_NAMES

log = logging.getLogger(__name__)

READERS: dict[str, Callable[[Path], RawFile]] = {
    ".pdf": read_pdf,
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
}
SUPPORTED_SUFFIXES = frozenset(READERS)
SUPPORTED_NAMES = "PDF, Word (.docx), HTML, Markdown and plain text (.txt)"
LEGACY_FORMATS = {
    ".doc": "Word 97-2003; save it as .docx or PDF",
    ".xls": "Excel 97-2003 spreadsheet; save the sheets you need as PDF",
    ".xlsx": "Excel spreadsheet; save the sheets you need as PDF",
    ".ppt": "PowerPoint 97-2003; save it as PDF",
    ".pptx": "PowerPoint; save it as PDF",
    ".rtf": "Rich Text Format; save it as .docx or PDF",
    ".odt": "OpenDocument text; save it as .docx or PDF",
}


def read_document(
    path: Path, root: Path, overrides: dict[str, str] | None = None
) -> ParsedDocument:
    """Read one file of the library; raise `UnreadableDocument` with a reason a person can act on.

    `overrides` is the file's entry in the sidecar: its fields replace the inferred ones.
    """
    source = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise UnreadableDocument(source, unsupported_reason(suffix))
    try:
        raw = reader(path)
    except UnreadableDocument as err:
        raise UnreadableDocument(source, err.reason) from err.__cause__
    except OSError as err:
        raise UnreadableDocument(source, f"cannot open the file ({err.strerror or err})") from err
    if not raw.blocks:
        raise UnreadableDocument(source, "no text found")
    text = BLOCK_SEPARATOR.join(block.text for block in raw.blocks)
    metadata = infer_metadata(source, text, raw.embedded_title)
    if overrides:
        known = {field.name for field in fields(DocumentMetadata)}
        metadata = replace(
            metadata, **{key: value for key, value in overrides.items() if key in known and value}
        )
    return ParsedDocument(
        source=source,
        metadata=metadata,
        blocks=raw.blocks,
        pages=raw.pages,
        warnings=raw.warnings,
        ocr_pages=raw.ocr_pages,
        ocr_seconds=raw.ocr_seconds,
    )


class Reading:
    """Files read in the order given, each yielded as soon as it is ready.

    With `background`, the files are parsed in one worker process, so that the caller can
    embed the documents already read while later ones are parsed, and OCR (seconds a page)
    runs beside the model rather than before it.
    """

    def __init__(
        self,
        paths: Mapping[str, Path],
        root: Path,
        sidecar: Mapping[str, dict[str, str]],
        background: bool = False,
    ) -> None:
        self.jobs = [(source, path, root, sidecar.get(source)) for source, path in paths.items()]
        # One file gains nothing from a worker; a daemon process (a pool's worker) cannot start one.
        self.background = (
            background and len(self.jobs) > 1 and not multiprocessing.current_process().daemon
        )
        self._futures: list[Future] = []
        self._next = 0

    @property
    def busy(self) -> bool:
        """Whether files are still being parsed in the background."""
        return not all(future.done() for future in self._futures[self._next :])

    def __len__(self) -> int:
        return len(self.jobs)

    def __iter__(self) -> Iterator[tuple[str, ParsedDocument | UnreadableDocument]]:
        if not self.background:
            for job in self.jobs:
                yield job[0], _read_or_reason(*job[1:])
            return
        # fork where it is safe (Linux): it starts at once and, unlike spawn, does not run
        # the caller's main module again. The worker only parses files; it never touches the
        # model or its threads.
        start = "fork" if sys.platform == "linux" else "spawn"
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(start))
        try:
            self._futures = [pool.submit(_read_or_reason, *job[1:]) for job in self.jobs]
            for position, (job, future) in enumerate(zip(self.jobs, self._futures)):
                self._next = position + 1  # the one the caller asks for after this
                try:
                    yield job[0], future.result()
                except BrokenProcessPool:
                    log.warning("the reading process stopped; reading %s here instead", job[0])
                    yield job[0], _read_or_reason(*job[1:])
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _read_or_reason(
    path: Path, root: Path, overrides: dict[str, str] | None
) -> ParsedDocument | UnreadableDocument:
    try:
        return read_document(path, root, overrides)
    except UnreadableDocument as error:
        return error


def readable_now(reason: str, warnings: list[str]) -> bool:
    """Whether an unchanged file's scanned pages, left unread for want of Tesseract, can be read
    now that it is installed: then ingest reads the file again."""
    said = INSTALL_HINT in reason or any(INSTALL_HINT in warning for warning in warnings)
    return said and tesseract_available()


def unsupported_reason(suffix: str) -> str:
    """Why a file of this type is not indexed, and what to do about it."""
    if not suffix:
        return f"unsupported format (no file extension); supported: {SUPPORTED_NAMES}"
    if suffix in LEGACY_FORMATS:
        return f"unsupported format {suffix} ({LEGACY_FORMATS[suffix]})"
    return f"unsupported format {suffix}; supported: {SUPPORTED_NAMES}"


def list_library(root: Path) -> list[Path]:
    """Every file under `root` except hidden ones and the sidecar, supported or not, sorted.

    Unsupported files are listed on purpose, so that ingest can report them instead of
    silently leaving them out.
    """
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        at_root = Path(folder) == root
        files.extend(
            Path(folder, name)
            for name in names
            if not name.startswith(".") and not (at_root and name in SIDECAR_NAMES)
        )
    return sorted(files, key=lambda path: path.relative_to(root).as_posix().casefold())
