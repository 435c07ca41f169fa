"""Any supported file to a `ParsedDocument`: pick the reader by suffix, then add metadata."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields, replace
from functools import partial
from pathlib import Path

from ingest.decisions import find_decisions
from ingest.document import BLOCK_SEPARATOR, DocumentMetadata, ParsedDocument, UnreadableDocument
from ingest.formats import RawFile
from ingest.formats.docx import read_docx
from ingest.formats.html import read_html
from ingest.formats.markdown import read_markdown
from ingest.formats.pdf import read_pdf
from ingest.formats.text import read_text
from ingest.limits import ReadLimits, check_after_reading, check_before_reading
from ingest.metadata import infer_metadata
from ingest.ocr import INSTALL_HINT, tesseract_available
from ingest.reading_process import ReadingProcess
from ingest.sidecar import SIDECAR_NAMES
from ingest.split import Splitting

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
DEFAULT_LIMITS = ReadLimits()
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
    path: Path,
    root: Path,
    overrides: dict[str, str] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
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
        check_before_reading(path, limits)
        raw = reader(path)
        check_after_reading(path, raw, limits)
    except UnreadableDocument as err:
        raise UnreadableDocument(source, err.reason) from err.__cause__
    except OSError as err:
        raise UnreadableDocument(source, f"cannot open the file ({err.strerror or err})") from err
    except RecursionError as err:
        raise UnreadableDocument(source, "nesting too deep for the reader to follow") from err
    except Exception as err:
        log.debug("reading %s failed", source, exc_info=True)
        raise UnreadableDocument(
            source, f"the {suffix} reader failed on this file ({type(err).__name__}: {err})"[:300]
        ) from err
    if not raw.blocks:
        raise UnreadableDocument(source, "no text found")
    text = BLOCK_SEPARATOR.join(block.text for block in raw.blocks)
    metadata = infer_metadata(source, text, raw.embedded_title)
    if overrides:
        known = {field.name for field in fields(DocumentMetadata)}
        metadata = replace(
            metadata, **{key: value for key, value in overrides.items() if key in known and value}
        )
    document = ParsedDocument(
        source=source,
        metadata=metadata,
        blocks=raw.blocks,
        pages=raw.pages,
        warnings=raw.warnings,
        ocr_pages=raw.ocr_pages,
        ocr_seconds=raw.ocr_seconds,
    )
    started = time.perf_counter()
    document.decisions = find_decisions(document, overrides)
    document.decision_seconds = time.perf_counter() - started
    return document


Job = tuple[str, Path, Path, "dict[str, str] | None"]  # source, path, root, sidecar overrides


class Reading:
    """Files read in the order given, each yielded as soon as it is ready.

    With `splitting`, each document comes with its passages. With `background`, the files are
    parsed and split in a reading process, so that the caller can
    embed the documents already read while later ones are parsed, OCR (seconds a page) runs
    beside the model rather than before it, and no file can stop the ingest: one that takes
    longer than `limits.file_timeout_seconds` or more memory than `limits.reader_memory_mb` is
    stopped, one that crashes the process (a native parser's segfault, the out-of-memory
    killer) costs only itself; a new process goes on with the rest.
    """

    def __init__(
        self,
        paths: Mapping[str, Path],
        root: Path,
        sidecar: Mapping[str, dict[str, str]],
        background: bool = False,
        limits: ReadLimits = DEFAULT_LIMITS,
        splitting: Splitting | None = None,
    ) -> None:
        self.jobs: list[Job] = [
            (source, path, root, sidecar.get(source)) for source, path in paths.items()
        ]
        self.limits = limits
        self.read = partial(_read_or_reason, splitting=splitting)
        # A daemon process (a pool's worker) cannot start one.
        self.background = (
            background and bool(self.jobs) and not multiprocessing.current_process().daemon
        )
        self.restarts = 0  # reading processes started again after one stopped mid-file
        self._worker: ReadingProcess | None = None

    @property
    def busy(self) -> bool:
        """Whether files are still being parsed in the background."""
        return self._worker is not None and self._worker.busy

    def __len__(self) -> int:
        return len(self.jobs)

    def __iter__(self) -> Iterator[tuple[str, ParsedDocument | UnreadableDocument]]:
        if not self.background:
            for job in self.jobs:
                yield job[0], self.read(*job[1:], self.limits)
            return
        position, quiet_stops = 0, 0
        while position < len(self.jobs):
            self._worker = worker = ReadingProcess(self.jobs, position, self.limits, self.read)
            try:
                for number, outcome in worker.outcomes():
                    position = number + 1
                    yield self.jobs[number][0], outcome
            finally:
                worker.stop()
            if position == len(self.jobs):
                break
            self.restarts += 1
            lost = worker.lost_file()
            if lost is None or lost < position:  # stopped between files: read here if it recurs
                quiet_stops += 1
                log.warning("the reading process stopped (%s)", worker.why_stopped())
                if quiet_stops > 1:
                    log.warning("reading %s and the rest here instead", self.jobs[position][0])
                    for job in self.jobs[position:]:
                        yield job[0], self.read(*job[1:], self.limits)
                    break
                continue
            source, reason = self.jobs[lost][0], worker.why_stopped()
            log.warning(
                "the reading process stopped on %s (%s); starting a new one", source, reason
            )
            yield source, UnreadableDocument(source, reason)
            position = lost + 1
        self._worker = None


def _read_or_reason(
    path: Path,
    root: Path,
    overrides: dict[str, str] | None,
    limits: ReadLimits = DEFAULT_LIMITS,
    splitting: Splitting | None = None,
) -> ParsedDocument | UnreadableDocument:
    try:
        document = read_document(path, root, overrides, limits)
    except UnreadableDocument as error:
        return error
    if splitting is not None:
        document.passages = splitting(document)
    return document


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
