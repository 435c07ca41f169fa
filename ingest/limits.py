"""What reading one file may cost: text size, pages, inflated size, nesting, time and memory.

A shared drive holds broken exports and hostile files; each limit turns "this file would take the
ingest down" into a skipped file with a reason, and the rest of the library is indexed.
Time and memory are enforced by the reading process's watchdog (`ingest/reader.py`).
"""

from __future__ import annotations

import zipfile
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from ingest.document import UnreadableDocument
from ingest.formats import RawFile

MB = 1_000_000
MAX_NESTING = 256  # levels of tags; libxml2's own default limit for XML, far above real pages
_PLAIN_TEXT = {".txt", ".md", ".markdown"}
_MARKUP = {".html", ".htm"}
MARKUP_SHARE = 4  # an HTML file may be this many times the text limit: tags are not text
_CHUNK = 1 << 20
# Files whose first bytes say they are not text, whatever their name says (a PDF renamed .html)
_BINARY_SIGNATURES = ((b"%PDF-", "a PDF"), (b"PK\x03\x04", "a zip or Word (.docx) file"))


@dataclass(frozen=True)
class ReadLimits:
    """The bounds of reading one file; each has a setting of the same meaning in `Settings`."""

    max_text_mb: float = 20.0  # extracted text per file, in millions of characters
    max_pages: int = 5000  # pages per PDF
    max_inflated_mb: float = 512.0  # a DOCX's parts once decompressed, all together
    file_timeout_seconds: float = 300.0
    reader_memory_mb: float = 1024.0  # memory the reading process may add while reading a file


def check_before_reading(path: Path, limits: ReadLimits) -> None:
    """Refuse files whose size alone says they would cost too much to read."""
    suffix = path.suffix.lower()
    size = path.stat().st_size
    allowed = limits.max_text_mb * MB * (MARKUP_SHARE if suffix in _MARKUP else 1)
    if suffix in _PLAIN_TEXT | _MARKUP and size > allowed:
        raise UnreadableDocument(
            str(path),
            f"too large: {size / MB:,.1f} MB of text, over the limit of {allowed / MB:,.0f} MB "
            "(setting max_text_mb); split the file",
        )
    if suffix in _PLAIN_TEXT | _MARKUP:
        with path.open("rb") as handle:
            start = handle.read(8)
        for signature, kind in _BINARY_SIGNATURES:
            if start.startswith(signature):
                raise UnreadableDocument(
                    str(path), f"not {suffix}: this is {kind} with the wrong name; rename it"
                )
    if suffix == ".docx":
        check_inflated_size(path, limits.max_inflated_mb)


def check_after_reading(path: Path, raw: RawFile, limits: ReadLimits) -> None:
    """Refuse what a reader found when it is more than one file should put in the index."""
    if raw.pages is not None and raw.pages > limits.max_pages:
        raise UnreadableDocument(
            str(path),
            f"too many pages: {raw.pages:,}, over the limit of {limits.max_pages:,} "
            "(setting max_pages); split the file",
        )
    chars = sum(len(block.text) for block in raw.blocks)
    if chars > limits.max_text_mb * MB:
        raise UnreadableDocument(
            str(path),
            f"too large: {chars / MB:,.1f} million characters of text, over the limit of "
            f"{limits.max_text_mb:,.0f} million (setting max_text_mb); split the file",
        )


def check_inflated_size(path: Path, max_mb: float) -> None:
    """Refuse a zip (DOCX) whose parts inflate past `max_mb`, by their declared sizes and then by
    their actual ones: a forged header cannot make a part inflate further than the limit."""
    limit = int(max_mb * MB)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if declared > limit:
                biggest = max(members, key=lambda member: member.file_size)
                raise _zip_bomb(path, biggest.filename, "declare", declared, max_mb)
            actual = 0
            for member in members:
                # Read as if it declared a little more than the budget left (zipfile stops at the
                # declared size), so the stream ends there however much it would really inflate.
                bounded = copy(member)
                bounded.file_size = limit - actual + 2 * _CHUNK
                with archive.open(bounded) as stream:
                    while chunk := stream.read(_CHUNK):
                        actual += len(chunk)
                        if actual > limit:
                            raise _zip_bomb(path, member.filename, "reach more than", limit,
                                            max_mb)  # fmt: skip
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise UnreadableDocument(str(path), "not a valid DOCX (corrupt or not a Word file)") from (
            error
        )


def _zip_bomb(path: Path, part: str, verb: str, size: int, max_mb: float) -> UnreadableDocument:
    return UnreadableDocument(
        str(path),
        f"zip bomb: its parts {verb} {size / MB:,.0f} MB once inflated (largest: {part}), over "
        f"the limit of {max_mb:,.0f} MB (setting max_inflated_mb)",
    )


def nesting_too_deep(path: Path) -> UnreadableDocument:
    return UnreadableDocument(
        str(path), f"nesting too deep: more than {MAX_NESTING} levels of tags (a broken export?)"
    )
