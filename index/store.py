"""The index on disk: the one module that knows its files, and how they are swapped in atomically.

An index folder holds generations; `CURRENT` names the complete one. A build writes a new
generation beside it and only then replaces `CURRENT` (an atomic rename), so a build killed at
any moment leaves the previous index opening and answering, and readers never see half a write.

    INDEX_DIR/CURRENT                  name of the live generation
    INDEX_DIR/gen-<time>/manifest.json model, chunking settings, documents (with hashes), skipped files
    INDEX_DIR/gen-<time>/passages.jsonl one passage per line, in document order (+ .offsets.npy)
    INDEX_DIR/gen-<time>/texts.jsonl    each document's full text and blocks, in manifest order,
                                        for reading a passage in context (+ .offsets.npy)
    INDEX_DIR/gen-<time>/embeddings.npy unit vectors, one row per passage
    INDEX_DIR/gen-<time>/vectors.faiss  the FAISS index over those rows
    INDEX_DIR/gen-<time>/keyword/       the BM25 index (bm25s)
    INDEX_DIR/gen-<time>/decisions.jsonl the decisions register: formal decisions found in the
                                        documents, grouped by document in manifest order
    INDEX_DIR/gen-<time>/checksums.json CRC32 of every other file, written last (index/checksums.py)
    INDEX_DIR/.lock                     held by the running ingest, which it names

The JSON-lines files are read a line at a time through their offsets, so opening a
million-passage index neither parses nor holds every passage.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import mmap
import os
import shutil
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar, overload

import numpy as np

from index.checksums import Verification, verify_checksums, write_checksums
from index.keyword import KeywordIndex
from index.vectors import VECTOR_KINDS, Vectors, build_vectors, load_vectors, save_vectors
from ingest.document import BLOCK_SEPARATOR, Decision, Passage

FORMAT_VERSION = 2
log = logging.getLogger(__name__)
T = TypeVar("T")
CURRENT = "CURRENT"
DECISIONS = "decisions.jsonl"


class IndexMissing(Exception):
    """No index has been built in this folder yet."""


class IndexBusy(Exception):
    """Another ingest is writing this index right now."""


class IndexMismatch(Exception):
    """The index was built in a way this program cannot use as configured (model, format)."""


class IndexDamaged(IndexMismatch):
    """Files of the live generation are not as they were written; it is never searched."""


@dataclass
class DocumentRecord:
    """What the index keeps about one document: enough to cite it and to tell if it changed."""

    source: str
    title: str
    organisation: str | None
    doc_type: str | None
    date: str | None
    pages: int | None
    content_hash: str
    first_passage: int  # passages of a document are contiguous
    passage_count: int
    warnings: list[str] = field(default_factory=list)
    decision_count: int = 0


@dataclass
class SkippedFile:
    source: str
    reason: str
    content_hash: str


@dataclass
class Manifest:
    """How the index was built; checked whenever it is opened."""

    model: str
    dimension: int
    passage_tokens: int
    overlap_tokens: int
    context_tokens: int
    vector_index: str
    built_at: str
    documents: list[DocumentRecord]
    skipped: list[SkippedFile]
    format_version: int = FORMAT_VERSION

    @property
    def passage_count(self) -> int:
        return sum(d.passage_count for d in self.documents)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        raw["documents"] = [DocumentRecord(**d) for d in raw["documents"]]
        raw["skipped"] = [SkippedFile(**s) for s in raw["skipped"]]
        return cls(**raw)


@dataclass
class DocumentText:
    """A document's whole text with its blocks' spans, for showing a passage in its page."""

    source: str
    text: str
    blocks: list[tuple[int, int, int | None, str | None]]  # start, end, page, section

    def page_at(self, offset: int) -> int | None:
        """The page of the block holding character `offset` of the text."""
        for start, end, page, _ in self.blocks:
            if start <= offset < end + len(BLOCK_SEPARATOR):
                return page
        return None

    def page_text(self, page: int) -> str:
        return "\n\n".join(self.text[s:e] for s, e, p, _ in self.blocks if p == page)


class JsonLines(Sequence[T]):
    """Records of a JSON-lines file, read on demand through a table of line offsets."""

    def __init__(self, path: Path, make: Callable[[dict], T]) -> None:
        self.offsets = np.load(path.with_suffix(".offsets.npy"), mmap_mode="r")
        self.make = make
        with path.open("rb") as handle:
            self.data = (
                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if self.offsets[-1] else b""
            )

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        start, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return self.make(json.loads(self.data[start:end]))

    @staticmethod
    def write(path: Path, records: Iterable[dict]) -> None:
        offsets = [0]
        with path.open("wb") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
                offsets.append(handle.tell())
        np.save(path.with_suffix(".offsets.npy"), np.asarray(offsets, dtype=np.int64))


def live_generation(index_dir: Path) -> str | None:
    """Name of the complete generation the index points at now, or None before the first build.
    It changes exactly when an ingest swaps a new index in, so readers can key caches on it."""
    pointer = index_dir / CURRENT
    return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None


def _current_generation(index_dir: Path) -> Path:
    name = live_generation(index_dir)
    if name is None:
        raise IndexMissing(f"no index in {index_dir}: run `precedent ingest` to build one")
    generation = index_dir / name
    if not (generation / "manifest.json").is_file():
        raise IndexMissing(f"the index in {index_dir} is incomplete: run `precedent ingest` again")
    return generation


def read_manifest(index_dir: Path) -> Manifest:
    """The live generation's manifest alone: cheap, for status and incremental builds.

    The generation's small files and the headers of its large ones are verified first."""
    return _verified_manifest(_current_generation(index_dir))


def _verified_manifest(generation: Path) -> Manifest:
    index_dir = generation.parent
    _refuse_if_damaged(generation, verify_checksums(generation, whole=False))
    manifest = Manifest.from_json((generation / "manifest.json").read_text(encoding="utf-8"))
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatch(
            f"the index in {index_dir} has format {manifest.format_version}, this program reads "
            f"format {FORMAT_VERSION}: run `precedent ingest` to rebuild it"
        )
    if manifest.vector_index not in VECTOR_KINDS:
        raise IndexMismatch(
            f"the index in {index_dir} has a {manifest.vector_index!r} vector index, which this "
            "program no longer reads: run `precedent ingest` to rebuild it"
        )
    return manifest


@dataclass
class Store:
    """An opened index generation. Vectors and keyword scores are loaded; texts on demand."""

    path: Path
    manifest: Manifest
    passages: Sequence[Passage]
    embeddings: EmbeddingRows
    keyword: KeywordIndex
    vectors: Vectors

    @cached_property
    def document_of_passage(self) -> np.ndarray:
        """Position in `manifest.documents` of each passage's document."""
        owner = np.zeros(len(self.passages), dtype=np.int32)
        for number, record in enumerate(self.manifest.documents):
            owner[record.first_passage : record.first_passage + record.passage_count] = number
        return owner

    @cached_property
    def documents_by_source(self) -> dict[str, DocumentRecord]:
        return {d.source: d for d in self.manifest.documents}

    @cached_property
    def _texts(self) -> JsonLines[DocumentText]:
        return JsonLines(self.path / "texts.jsonl", _document_text)

    @cached_property
    def _document_positions(self) -> dict[str, int]:
        return {d.source: number for number, d in enumerate(self.manifest.documents)}

    def document_text(self, source: str) -> DocumentText:
        return self._texts[self._document_positions[source]]

    @cached_property
    def decisions(self) -> list[Decision]:
        """The decisions register. An index built before the register existed has none."""
        path = self.path / DECISIONS
        if not path.is_file():
            return []
        with path.open(encoding="utf-8") as handle:
            return [Decision(**json.loads(line)) for line in handle if line.strip()]

    def document_decisions(self, source: str) -> list[Decision]:
        return [d for d in self.decisions if d.source == source]

    def document_passages(self, source: str) -> list[Passage]:
        record = self.documents_by_source[source]
        return self.passages[record.first_passage : record.first_passage + record.passage_count]


def _document_text(raw: dict) -> DocumentText:
    return DocumentText(raw["source"], raw["text"], [tuple(b) for b in raw["blocks"]])


def open_store(index_dir: Path) -> Store:
    generation = _current_generation(index_dir)
    manifest = _verified_manifest(generation)
    passages = JsonLines(generation / "passages.jsonl", lambda raw: Passage(**raw))
    embeddings = EmbeddingRows(generation / "embeddings.npy")
    keyword = KeywordIndex.load(generation / "keyword")
    vectors = load_vectors(generation / "vectors.faiss", embeddings)
    return Store(generation, manifest, passages, embeddings, keyword, vectors)


class EmbeddingRows:
    """`embeddings.npy` read a row or a run of rows at a time with `pread`, not memory-mapped.

    Searching reads scattered rows (candidates to re-score, results to compare). Mapped, each
    row brought a large page-cache folio into the process (ext4 on Linux 6.x): 38 questions
    over a million passages added 1.1 GB to its resident memory. Read, it adds nothing.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            header = (
                np.lib.format.read_array_header_1_0
                if np.lib.format.read_magic(handle) == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran_order, dtype = header(handle)
            self._offset = handle.tell()
        if fortran_order or dtype != np.float32 or len(shape) != 2:
            raise IndexMismatch(f"{path} is not a table of float32 rows: run `precedent ingest`")
        self.shape: tuple[int, int] = shape
        self._file = path.open("rb", buffering=0)
        self._row_bytes = shape[1] * 4

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: int | slice | Sequence[int] | np.ndarray) -> np.ndarray:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step == 1:
                return self._read(start, max(0, stop - start))
            key = np.arange(start, stop, step)
        if isinstance(key, (int, np.integer)):
            return self[np.array([key])][0]
        numbers = np.asarray(key, dtype=np.int64).reshape(-1)
        numbers = np.where(numbers < 0, numbers + len(self), numbers)
        if len(numbers) and not (0 <= numbers.min() and numbers.max() < len(self)):
            raise IndexError(f"rows {key} of {len(self)}")
        # One read per run of consecutive rows: a filter admits whole documents, which are runs.
        order = np.argsort(numbers, kind="stable")
        ordered = numbers[order]
        runs = np.split(ordered, np.flatnonzero(np.diff(ordered) != 1) + 1)
        rows = np.empty((len(numbers), self.shape[1]), dtype=np.float32)
        if len(numbers):
            rows[order] = np.concatenate([self._read(int(run[0]), len(run)) for run in runs])
        return rows

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        rows = self[:]
        return rows if dtype is None else rows.astype(dtype)

    def _read(self, first: int, count: int) -> np.ndarray:
        rows = np.empty((count, self.shape[1]), dtype=np.float32)
        buffer = memoryview(rows.reshape(-1).view(np.uint8))
        done, start = 0, self._offset + first * self._row_bytes
        while done < len(buffer):
            got = os.preadv(self._file.fileno(), [buffer[done:]], start + done)
            if got == 0:
                raise IndexMismatch(f"{self._file.name} ends early: run `precedent ingest`")
            done += got
        return rows


def write_store(
    index_dir: Path,
    manifest: Manifest,
    passages: Sequence[Passage],
    embeddings: np.ndarray,
    keyword_texts: list[str],
    texts: list[DocumentText],
    decisions: Sequence[Decision] = (),
) -> Path:
    """Write a complete new generation, then make it the live one in a single rename.
    The decisions register is written inside it, so it is swapped in with the passages."""
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    partial = index_dir / f"{name}.partial"
    generation = index_dir / name
    try:
        partial.mkdir()
        JsonLines.write(partial / "passages.jsonl", (asdict(p) for p in passages))
        JsonLines.write(partial / "texts.jsonl", (asdict(t) for t in texts))
        with (partial / DECISIONS).open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(asdict(d), ensure_ascii=False) + "\n" for d in decisions)
        np.save(partial / "embeddings.npy", np.ascontiguousarray(embeddings, dtype=np.float32))
        save_vectors(build_vectors(embeddings, manifest.vector_index), partial / "vectors.faiss")
        KeywordIndex.build(keyword_texts).save(partial / "keyword")
        (partial / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        write_checksums(partial)  # last: it covers every file written above
        _sync_tree(partial)
        partial.rename(generation)
        keep = {name, live_generation(index_dir) or name}
        _point_to(index_dir, name)
    except (OSError, RuntimeError) as error:  # FAISS reports a failed write as a RuntimeError
        full = _disk_full(index_dir, error)  # before the cleanup frees the space again
        for half_written in (partial, generation):
            shutil.rmtree(half_written, ignore_errors=True)
        (index_dir / f"{CURRENT}.tmp").unlink(missing_ok=True)
        if isinstance(error, OSError) or full:
            raise _not_written(index_dir, error, full) from error
        raise
    _remove_stale_generations(index_dir, keep)
    return generation


class IndexNotWritten(OSError):
    """A new generation could not be written (a full disk); the previous one is unchanged."""


_NO_SPACE = os.strerror(errno.ENOSPC)
LOW_SPACE_BYTES = 1 << 20


def _disk_full(index_dir: Path, error: BaseException) -> bool:
    """Whether a failed write ran out of space: numpy and FAISS do not always say so by errno."""
    if getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or _NO_SPACE in str(error):
        return True
    return shutil.disk_usage(index_dir).free < LOW_SPACE_BYTES


def _not_written(index_dir: Path, error: BaseException, full: bool) -> IndexNotWritten:
    cause = "the disk is full" if full else f"{error}"
    previous = (
        "the previous index is unchanged and still answers"
        if live_generation(index_dir)
        else "there is no previous index"
    )
    return IndexNotWritten(
        f"the new index could not be written to {index_dir} ({cause}; "
        f"{shutil.disk_usage(index_dir).free / 1e6:,.1f} MB free there): the half-written copy "
        f"was removed and {previous}. Free some space and run `precedent ingest` again."
    )


def _point_to(index_dir: Path, name: str) -> None:
    """Make generation `name` the live one, in one atomic rename."""
    pointer = index_dir / f"{CURRENT}.tmp"
    pointer.write_text(name, encoding="utf-8")
    _fsync(pointer)
    os.replace(pointer, index_dir / CURRENT)


@dataclass
class GenerationCheck:
    """A generation of the index and what verifying every byte of it found."""

    name: str
    live: bool
    verification: Verification


def check_index(index_dir: Path) -> list[GenerationCheck]:
    """Every byte of every complete generation verified, the live one first."""
    live = _current_generation(index_dir).name
    names = [live, *(name for name in _generations(index_dir) if name != live)]
    return [
        GenerationCheck(name, name == live, verify_checksums(index_dir / name, whole=True))
        for name in names
    ]


def restore_previous(index_dir: Path) -> str:
    """Switch the index back to the newest other generation that is intact; returns its name."""
    with build_lock(index_dir):
        live = live_generation(index_dir)
        for name in _generations(index_dir):
            verification = verify_checksums(index_dir / name, whole=True)
            if name != live and verification.has_checksums and verification.intact:
                _point_to(index_dir, name)
                return name
    raise IndexMissing(f"no intact previous generation in {index_dir}: run `precedent ingest`")


def _generations(index_dir: Path) -> list[str]:
    """Complete generations (renamed into place after their last write), newest first."""
    names = (path.name for path in index_dir.glob("gen-*") if not path.name.endswith(".partial"))
    return sorted((n for n in names if (index_dir / n / "manifest.json").is_file()), reverse=True)


def _refuse_if_damaged(generation: Path, verification: Verification) -> None:
    if verification.intact:
        return
    problems = "; ".join(f"{d.path}: {d.problem}" for d in verification.damaged[:3])
    more = len(verification.damaged) - 3
    message = (
        f"the index in {generation.parent} is damaged and will not be searched ({problems}"
        f"{f'; and {more} more files' if more > 0 else ''}). Rebuild it with `precedent ingest`; "
        "`precedent check` reports every file."
    )
    for name in _generations(generation.parent):
        previous = verify_checksums(generation.parent / name, whole=False)
        if name != generation.name and previous.has_checksums and previous.intact:
            message += (
                f" The previous generation, {name}, looks intact: `precedent check "
                "--restore-previous` switches back to it until the next ingest."
            )
            break
    raise IndexDamaged(message)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time. The lock (an flock) goes with the process, so a killed build never
    keeps it; the file names its holder, so a second ingest is told which one is running, and a
    name left behind by a killed one is recognised as stale and cleared."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            raise IndexBusy(
                f"another ingest is updating {index_dir}: {_holder(handle.read())}; "
                "try again when it ends"
            ) from error
        handle.seek(0)
        left = handle.read()
        if left.strip():  # its holder ended without clearing it: killed, or the machine stopped
            log.warning("cleared a stale lock on %s, left by %s", index_dir, _holder(left))
        for partial in index_dir.glob("gen-*.partial"):  # no other writer can be writing it
            shutil.rmtree(partial, ignore_errors=True)
        handle.truncate(0)
        handle.write(json.dumps({
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:200],
        }))  # fmt: skip
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


def _holder(text: str) -> str:
    """Who holds (or held) the lock, in words: the command, its process and when it started."""
    try:
        holder = json.loads(text)
        return (
            f"`{holder['command']}` (process {holder['pid']} on {holder['host']}, "
            f"started {holder['started']})"
        )
    except (ValueError, KeyError, TypeError):
        return "an ingest that did not say which it is"


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _sync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync(path)


def _remove_stale_generations(index_dir: Path, keep: set[str]) -> None:
    """Drop leftovers of killed builds and all but the previous generation, which a reader that
    opened it before the swap (the app, mid-ingest) may still be reading texts from."""
    for path in index_dir.glob("gen-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
