"""A CRC32 of every file of a generation, written with it and verified when it is opened.

The list covers whatever files the generation folder holds (walked, not named), so files that
later versions add are covered without change here. Opening verifies every small file whole and
the sizes and first bytes (headers) of the large ones; `precedent check` verifies every byte.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

CHECKSUMS = "checksums.json"
HEAD_BYTES = 64 * 1024  # headers of .npy and FAISS files, and the start of the JSON lines
SMALL_BYTES = 8 * 1024 * 1024  # files up to this size are verified whole at every open
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileDamage:
    """One file of a generation that is not as it was written."""

    path: str  # relative to the generation folder
    problem: str


@dataclass
class Verification:
    """What verifying a generation found."""

    files: int = 0
    bytes_read: int = 0
    damaged: list[FileDamage] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # added after the build; not verified
    has_checksums: bool = True  # False for an index built before checksums were written

    @property
    def intact(self) -> bool:
        return not self.damaged


def write_checksums(folder: Path) -> None:
    """List every file under `folder` with its size, CRC32 and the CRC32 of its head."""
    files = {path: _sums(folder / path) for path in _files(folder)}
    listing = {"algorithm": "crc32", "files": files, "crc32": _listing_crc(files)}
    (folder / CHECKSUMS).write_text(json.dumps(listing, indent=1), encoding="utf-8")


def verify_checksums(folder: Path, whole: bool) -> Verification:
    """Compare the files with their checksums: every byte when `whole`, else small files whole
    and large ones by size and head."""
    result = Verification()
    try:
        listing = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
        files = listing["files"]
        valid = listing["crc32"] == _listing_crc(files)
    except FileNotFoundError:
        result.has_checksums = False
        return result
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        valid = False
    if not valid:
        result.damaged.append(FileDamage(CHECKSUMS, "the list of checksums itself is damaged"))
        return result
    present = set(_files(folder))
    result.unlisted = sorted(present - set(files))
    for name, expected in sorted(files.items()):
        result.files += 1
        path = folder / name
        if name not in present:
            result.damaged.append(FileDamage(name, "missing"))
            continue
        size = path.stat().st_size
        if size != expected["bytes"]:
            result.damaged.append(
                FileDamage(name, f"{size:,} bytes where {expected['bytes']:,} were written")
            )
            continue
        if whole or size <= SMALL_BYTES:
            result.bytes_read += size
            if crc32_of(path) != expected["crc32"]:
                result.damaged.append(FileDamage(name, "contents changed (CRC32 differs)"))
        else:
            result.bytes_read += min(size, expected["head_bytes"])
            if crc32_of(path, expected["head_bytes"]) != expected["head_crc32"]:
                result.damaged.append(FileDamage(name, "header changed (CRC32 differs)"))
    return result


def crc32_of(path: Path, limit: int | None = None) -> str:
    """CRC32 of the file's first `limit` bytes (all of it by default), read in 1 MiB chunks."""
    crc, left = 0, limit
    with path.open("rb", buffering=0) as handle:
        while left is None or left > 0:
            chunk = handle.read(_CHUNK if left is None else min(_CHUNK, left))
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            if left is not None:
                left -= len(chunk)
    return f"{crc:08x}"


def _sums(path: Path) -> dict[str, int | str]:
    return {
        "bytes": path.stat().st_size,
        "crc32": crc32_of(path),
        "head_bytes": HEAD_BYTES,
        "head_crc32": crc32_of(path, HEAD_BYTES),
    }


def _files(folder: Path) -> list[str]:
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            relative = (Path(parent) / name).relative_to(folder).as_posix()
            if relative != CHECKSUMS:
                found.append(relative)
    return sorted(found)


def _listing_crc(files: dict) -> str:
    return f"{zlib.crc32(json.dumps(files, sort_keys=True).encode()):08x}"
