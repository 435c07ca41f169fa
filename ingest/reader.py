"""Any supported file to a `ParsedDocument`: pick the reader by suffix, then add metadata."""

from __future__ import annotations

import os
from collections.abc import Callable
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
from ingest.sidecar import SIDECAR_NAMES

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
        source=source, metadata=metadata, blocks=raw.blocks, pages=raw.pages, warnings=raw.warnings
    )


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
