"""Hostile files made from real ones, to show that no file can stop an ingest.

Deterministic for a seed: truncations and bit flips of PDFs, DOCX and HTML; PDFs renamed
.docx and .html; a DOCX zip bomb; deeply nested HTML; a long single-line text file; NUL-filled,
zero-length and Latin-1 text files. `scripts/make_fuzz_corpus.py` writes the full set; the
tests write a small one.
"""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

_MB = 1 << 20


@dataclass(frozen=True)
class FuzzScale:
    """How much of each kind of hostile file to make."""

    sources_per_format: int  # real files of each format to damage
    truncations: tuple[float, ...]  # cut each file at these fractions of its length
    flipped_copies: int  # copies of each file with random bytes flipped
    flips: int  # bytes flipped in each copy
    bomb_mb: int  # what the DOCX zip bomb's document.xml inflates to
    html_depth: int
    long_line_mb: float


FULL = FuzzScale(4, (0.05, 0.3, 0.6, 0.95), 3, 30, 2048, 200_000, 2.0)
SMALL = FuzzScale(1, (0.5,), 1, 10, 600, 20_000, 0.02)
FORMATS = (".pdf", ".docx", ".html")


def make_fuzz_corpus(
    sources: Path, out: Path, scale: FuzzScale = FULL, seed: int = 14
) -> list[Path]:
    """Write the hostile files made from the real PDFs, DOCX and HTML in `sources` into `out`."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    originals = {  # the smallest of each format, so that the set ingests in minutes
        suffix: sorted(
            (p for p in sources.iterdir() if p.suffix.lower() == suffix),
            key=lambda p: (p.stat().st_size, p.name),
        )[: scale.sources_per_format]
        for suffix in FORMATS
    }
    for suffix, paths in originals.items():
        for number, path in enumerate(paths):
            data = path.read_bytes()
            stem = f"{suffix[1:]}{number}"
            for fraction in scale.truncations:
                made.append(_write(out / f"{stem}-cut{round(fraction * 100)}{suffix}",
                                   data[: int(len(data) * fraction)]))  # fmt: skip
            for copy in range(scale.flipped_copies):
                made.append(
                    _write(out / f"{stem}-flip{copy}{suffix}", _flip(data, scale.flips, rng))
                )
    for number, pdf in enumerate(originals[".pdf"][:1]):
        made.append(_write(out / f"pdf{number}-renamed.docx", pdf.read_bytes()))
        made.append(_write(out / f"pdf{number}-renamed.html", pdf.read_bytes()))
    made.append(write_zip_bomb(out / "zip-bomb.docx", scale.bomb_mb))
    made.append(write_deep_html(out / "deep-nesting.html", scale.html_depth))
    made.append(_write(out / "long-line.txt", _long_line(scale.long_line_mb, rng)))
    made.append(_write(out / "nul-filled.txt", bytes(64 * 1024)))
    made.append(_write(out / "zero-length.txt", b""))
    made.append(_write(out / "latin-1.txt", _LATIN_1.encode("latin-1")))
    return made


_LATIN_1 = (
    "Café provision in Wrexham: the council's rôle in the Health and Wellbeing Board's strategy, "
    "with £2.5m for prevention and a naïve first estimate of demand (±10%).\n"
) * 20
_WORDS = ("council", "strategy", "board", "health", "care", "prevention", "housing", "carers")


def write_deep_html(path: Path, depth: int) -> Path:
    """A page of `depth` nested <div>s around one sentence: what broken exports produce."""
    body = "<div>" * depth + "The strategy sets out our priorities." + "</div>" * depth
    return _write(path, f"<html><body>{body}</body></html>".encode())


def write_zip_bomb(path: Path, inflated_mb: int) -> Path:
    """A DOCX of a few MB whose word/document.xml inflates to `inflated_mb` MB of spaces.

    Deflate blocks ended by a full flush do not depend on what came before, so one compressed
    megabyte repeated makes the whole stream without compressing gigabytes."""
    header = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    )
    chunk = b" " * _MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(header) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    crc = zlib.crc32(header)
    for _ in range(inflated_mb):
        crc = zlib.crc32(chunk, crc)
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _RELS),
    ]
    with path.open("wb") as handle:
        central = []
        for name, content in parts:
            compressed = zlib.compress(content, 9)[2:-4]
            central.append(_local(handle, name, compressed, zlib.crc32(content), len(content)))
            handle.write(compressed)
        size = len(header) + inflated_mb * _MB
        compressed_size = len(first) + len(block) * inflated_mb + len(tail)
        central.append(_local(handle, "word/document.xml", None, crc, size, compressed_size))
        handle.write(first)
        for _ in range(inflated_mb):
            handle.write(block)
        handle.write(tail)
        start = handle.tell()
        for entry in central:
            handle.write(entry)
        handle.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                                 handle.tell() - start, start, 0))  # fmt: skip
    return path


def _local(
    handle, name: str, compressed: bytes | None, crc: int, size: int, compressed_size: int = 0
) -> bytes:
    """Write a local file header; return the matching central directory entry."""
    encoded = name.encode()
    length = len(compressed) if compressed is not None else compressed_size
    offset = handle.tell()
    fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, length, size, len(encoded), 0)
    handle.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded)
    return (
        struct.pack("<IH", 0x02014B50, 20)
        + struct.pack("<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, offset)
        + encoded
    )


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
    b'main+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)


def _flip(data: bytes, flips: int, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    for _ in range(min(flips, len(damaged))):
        damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
    return bytes(damaged)


def _long_line(megabytes: float, rng: random.Random) -> bytes:
    words: list[str] = []
    size, target = 0, int(megabytes * _MB)
    while size < target:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words).encode()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
