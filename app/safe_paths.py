"""File names from outside (an upload's name, a served document's path) checked before use.

A name that climbs out of its folder (`../`), is absolute, holds a NUL byte, is longer than a
file system allows, or leads through a symbolic link is refused, never repaired: whoever sent it
is told why, and nothing outside the documents folder is ever read or written.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_NAME_BYTES = 255  # the longest file name ext4, NTFS and APFS store
_ABSOLUTE = re.compile(r"^([\\/]|[A-Za-z]:)")


class UnsafePath(ValueError):
    """A name or path that will not be used, with the reason."""


def unsafe_name_reason(name: str) -> str | None:
    """Why `name` (a file name or a relative path) is refused, or None if it may be used."""
    if "\x00" in name:
        return "the name holds a NUL byte"
    if any(len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES
           for part in re.split(r"[\\/]", name)):  # fmt: skip
        return f"the name is longer than {MAX_NAME_BYTES} bytes"
    if _ABSOLUTE.match(name):
        return "the name is an absolute path"
    if ".." in re.split(r"[\\/]", name):
        return "the name leads out of its folder (..)"
    return None


def resolve_inside(root: Path, relative: str) -> Path:
    """`root / relative`, refused unless it stays inside `root` without following a link."""
    reason = unsafe_name_reason(relative)
    if reason:
        raise UnsafePath(reason)
    base = root.resolve()
    path = base
    for part in Path(relative).parts:
        path = path / part
        if path.is_symlink():
            raise UnsafePath(f"{relative} leads through a symbolic link")
    if not path.resolve().is_relative_to(base):
        raise UnsafePath(f"{relative} resolves outside the documents folder")
    return path
