"""Plain-text reader: guess the encoding, reject binary files, cut paragraphs at blank lines."""

from __future__ import annotations

from pathlib import Path

from ingest.clean import normalise_text, split_paragraphs
from ingest.document import UnreadableDocument
from ingest.formats import Paragraph, RawFile, build_blocks

MAX_CONTROL_SHARE = 0.005  # more control characters than this after decoding means binary
_FALLBACKS = (("cp1252", "Windows-1252"), ("latin-1", "Latin-1"))


def read_text(path: Path) -> RawFile:
    """Read a .txt file as paragraphs; the text has no pages and no headings we trust."""
    text, warnings = decode_text(path)
    paragraphs = [Paragraph(text=paragraph) for paragraph in split_paragraphs(normalise_text(text))]
    return RawFile(blocks=build_blocks(paragraphs), warnings=warnings)


def decode_text(path: Path) -> tuple[str, list[str]]:
    """The file's text and any warning about its encoding; `UnreadableDocument` if not text."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableDocument(str(path), "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(path, data), []
    if b"\x00" in data[:8192]:
        raise UnreadableDocument(str(path), "not text: binary content")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for codec, name in _FALLBACKS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _control_share(text) <= MAX_CONTROL_SHARE:
            return text, [f"not UTF-8: read as {name}; check accented letters and symbols"]
    raise UnreadableDocument(str(path), "not text: binary content")


def _decode_utf16(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as err:
        raise UnreadableDocument(str(path), "not text: invalid UTF-16") from err


def _control_share(text: str) -> float:
    controls = sum(
        1
        for char in text
        if (ord(char) < 32 and char not in "\t\n\r\f") or 0x7F <= ord(char) < 0xA0
    )
    return controls / len(text)
