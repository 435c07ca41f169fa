"""Files uploaded through the browser: checked, given a safe name, and saved into the documents folder.

Whatever a browser sends as a file name is untrusted: it may hold folders, `..`, control
characters or a name that already exists. Nothing is ever written outside the documents folder,
and an existing file is replaced only when the person has confirmed it.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.safe_paths import UnsafePath, resolve_inside, unsafe_name_reason

ALLOWED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_NAME_CHARS = 120
# Files whose first bytes must say what the name claims; a renamed executable is refused.
_SIGNATURES = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",)}
_UNSAFE_CHARACTERS = re.compile(r"[^A-Za-z0-9._() -]+")


class UploadRejected(Exception):
    """An upload that will not be saved, with a reason a person can act on."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks: the name it will have, and whether that name is taken."""

    original_name: str
    name: str
    size: int
    exists: bool


def safe_file_name(name: str) -> str:
    """The last part of `name`, reduced to letters, digits and a few marks, never hidden or empty."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE_CHARACTERS.sub("-", base)
    base = re.sub(r"-{2,}", "-", base).strip(" .-")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1].strip(" .-") or "document"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def check_size(name: str, size: int) -> None:
    """Refuse an upload by its announced size, before its bytes are read or written."""
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected(name, f"the file is larger than {MAX_UPLOAD_MB} MB")


def check_upload(name: str, data: bytes, documents_dir: Path) -> CheckedUpload:
    """Name, type, size and content checks; raises UploadRejected with the reason."""
    reason = unsafe_name_reason(name)
    if reason:
        raise UploadRejected(name, reason)
    safe = safe_file_name(name)
    suffix = Path(safe).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRejected(name, f"only {', '.join(ALLOWED_SUFFIXES)} files can be added")
    if not data:
        raise UploadRejected(name, "the file is empty")
    check_size(name, len(data))
    signatures = _SIGNATURES.get(suffix)
    if signatures and not data.startswith(signatures):
        raise UploadRejected(name, f"the file is not a real {suffix} file")
    return CheckedUpload(name, safe, len(data), _target(documents_dir, safe).exists())


def save_upload(
    documents_dir: Path, upload: CheckedUpload, data: bytes, overwrite: bool = False
) -> Path:
    """Write the file whole (temporary file, then rename) so ingest never reads half of it."""
    target = _target(documents_dir, upload.name)
    if target.exists() and not overwrite:
        raise UploadRejected(upload.original_name, f"{upload.name} already exists in the library")
    documents_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=documents_dir, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _target(documents_dir: Path, safe_name: str) -> Path:
    """The path inside the documents folder; refuses links and anything that resolves elsewhere."""
    try:
        target = resolve_inside(documents_dir, safe_name)
    except UnsafePath as error:
        raise UploadRejected(safe_name, str(error)) from error
    if target.parent != documents_dir.resolve():
        raise UploadRejected(safe_name, "the file name is not allowed")
    return target
