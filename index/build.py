"""Documents folder to index: read what changed, split, embed, and swap in a new generation."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index.embedder import Embedder, configured_embedder, model_identity
from index.settings import Settings
from index.store import (
    DocumentRecord,
    DocumentText,
    IndexMismatch,
    IndexMissing,
    Manifest,
    SkippedFile,
    build_lock,
    open_store,
    read_manifest,
    write_store,
)
from index.vectors import vector_kind
from ingest.document import ParsedDocument, Passage, UnreadableDocument, passage_heading
from ingest.limits import ReadLimits
from ingest.reader import Reading, list_library, readable_now
from ingest.sidecar import load_sidecar
from ingest.split import Splitting

EMBED_CHUNK = 256
EAGER_CHUNK = 64  # a few seconds' work on one thread, so the second joins in soon after reading
log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What an ingest did, for the summary table and the benchmarks."""

    documents: int = 0
    pages: int = 0
    passages: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    embedded_passages: int = 0
    read_seconds: float = 0.0
    decisions: int = 0
    decision_seconds: float = 0.0  # of read_seconds, spent finding decisions
    ocr_pages: int = 0  # pages read by OCR in this run, and Tesseract's time on them
    ocr_seconds: float = 0.0
    embed_seconds: float = 0.0
    seconds: float = 0.0
    written: bool = False

    @property
    def ocr_seconds_per_page(self) -> float:
        return self.ocr_seconds / self.ocr_pages if self.ocr_pages else 0.0

    @property
    def passages_per_second(self) -> float:
        return self.embedded_passages / self.embed_seconds if self.embed_seconds else 0.0


def read_limits(settings: Settings) -> ReadLimits:
    """The reading limits of `settings`, which names them as `ReadLimits` does."""
    return ReadLimits(**{limit.name: getattr(settings, limit.name) for limit in fields(ReadLimits)})


def content_hash(path: Path, overrides: dict[str, str] | None) -> str:
    """Changes to the file or to its sidecar entry both mean the document is read again."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(json.dumps(overrides or {}, sort_keys=True).encode())
    return digest.hexdigest()


def embedding_text(
    embedder: Embedder, title: str, section: str | None, text: str, budget: int
) -> str:
    """What the model reads for a passage: its title and heading as context, then the passage."""
    return f"{embedder.truncate(passage_heading(title, section), budget)}\n{text}"


def embedding_texts(
    embedder: Embedder, title: str, passages: list[Passage], settings: Settings
) -> list[str]:
    """`embedding_text` of each of one document's passages, each heading cut to fit once."""
    headings: dict[str | None, str] = {}
    for passage in passages:
        if passage.section not in headings:
            headings[passage.section] = embedding_text(
                embedder, title, passage.section, "", settings.context_tokens
            )
    return [headings[p.section] + p.text for p in passages]


def keyword_text(title: str, section: str | None, text: str) -> str:
    return f"{title}\n{section or ''}\n{text}"


def _same_settings(manifest: Manifest, settings: Settings) -> bool:
    return (
        manifest.model,
        manifest.passage_tokens,
        manifest.overlap_tokens,
        manifest.context_tokens,
    ) == (
        model_identity(settings.model, settings.backend),
        settings.passage_tokens,
        settings.overlap_tokens,
        settings.context_tokens,
    )


def _previous_manifest(settings: Settings) -> Manifest | None:
    """The live index's manifest if its passages can be reused under these settings."""
    try:
        manifest = read_manifest(settings.index_dir)
    except (IndexMissing, IndexMismatch):
        return None
    return manifest if _same_settings(manifest, settings) else None


def build_index(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: bool | None = None,
    rebuild: bool = False,
) -> BuildReport:
    """Bring the index up to date with the documents folder, embedding only what changed.

    Without an embedder, the configured model is loaded only once something needs embedding,
    so a run that finds nothing changed takes as long as hashing the files. `rebuild` reads and
    embeds every file again, so that a newer Precedent's reading and guesses reach files that
    have not changed; the live index serves questions until the new one is complete.
    """
    started = time.perf_counter()
    progress = sys.stderr.isatty() if progress is None else progress
    root = settings.documents_dir
    with build_lock(settings.index_dir):
        sidecar = load_sidecar(root)
        files = {_relative(path, root): path for path in list_library(root)}
        hashes = {source: content_hash(path, sidecar.get(source)) for source, path in files.items()}
        previous = _previous_manifest(settings)
        old_docs = {d.source: d for d in previous.documents} if previous else {}
        old_skips = {s.source: s for s in previous.skipped} if previous else {}

        report = BuildReport()
        report.removed = sorted(set(old_docs) - set(files))
        to_read = [
            s
            for s in files
            if rebuild
            or (
                old_docs.get(s, _NO_RECORD).content_hash != hashes[s]
                and old_skips.get(s, _NO_SKIP).content_hash != hashes[s]
            )
            or readable_now(old_skips.get(s, _NO_SKIP).reason, old_docs.get(s, _NO_RECORD).warnings)
        ]
        report.skipped = [old_skips[s] for s in files if s in old_skips and s not in to_read]
        if (
            previous
            and not to_read
            and not report.removed
            and len(report.skipped) == len(previous.skipped)
        ):
            _summarise_unchanged(report, previous, started)
            return report

        log.info("Reading %d new or changed files", len(to_read))
        embedder = embedder or configured_embedder(settings)
        embedding = _Embedding(embedder, progress)
        prepared: dict[str, ParsedDocument] = {}
        read_started = time.perf_counter()
        # Files are parsed and split in a worker process while this one embeds what is
        # already read.
        splitting = Splitting(
            embedder.word_pieces, settings.passage_tokens, settings.overlap_tokens
        )
        reading = Reading(
            {s: files[s] for s in to_read}, root, sidecar, True, read_limits(settings), splitting
        )
        for source, outcome in tqdm(reading, desc="Reading", unit="file", disable=not progress):
            if isinstance(outcome, UnreadableDocument):
                report.skipped.append(SkippedFile(source, outcome.reason, hashes[source]))
                continue
            doc_passages = outcome.passages
            if not doc_passages:
                report.skipped.append(SkippedFile(source, "no text to index", hashes[source]))
                continue
            prepared[source] = outcome
            report.ocr_pages += outcome.ocr_pages
            report.ocr_seconds += outcome.ocr_seconds
            embedding.add(
                source,
                embedding_texts(embedder, outcome.metadata.title, doc_passages, settings),
            )
            # While the reading process works, this core embeds whatever chunks are queued.
            while reading.busy and embedding.pending >= EAGER_CHUNK:
                embedding.step(EAGER_CHUNK)
        report.read_seconds = time.perf_counter() - read_started
        log.info("Embedding %d passages", embedding.count)
        fresh = embedding.finish()
        report.embed_seconds = embedding.seconds
        report.embedded_passages = embedding.count

        old_store = (
            open_store(settings.index_dir) if previous and len(to_read) < len(files) else None
        )
        records, passages, vectors, texts, keywords, decisions = [], [], [], [], [], []
        for source in sorted(files):
            if source in prepared:
                document = prepared[source]
                doc_passages = document.passages
                (report.changed if source in old_docs else report.added).append(source)
                record = _record(document, hashes[source], len(passages), len(doc_passages))
                texts.append(_document_text(document))
                decisions.extend(document.decisions)
                report.decision_seconds += document.decision_seconds
                vectors.append(fresh[source])
            elif source in old_docs and old_store is not None:
                report.unchanged += 1
                old = old_docs[source]
                doc_passages = old_store.document_passages(source)
                record = DocumentRecord(**{**old.__dict__, "first_passage": len(passages)})
                texts.append(old_store.document_text(source))
                decisions.extend(old_store.document_decisions(source))
                vectors.append(
                    old_store.embeddings[old.first_passage : old.first_passage + old.passage_count]
                )
            else:
                continue
            records.append(record)
            passages.extend(doc_passages)
            keywords.extend(keyword_text(record.title, p.section, p.text) for p in doc_passages)
        embeddings = (
            np.concatenate(vectors).astype(np.float32, copy=False)
            if vectors
            else np.empty((0, embedder.dimension), dtype=np.float32)
        )

        manifest = Manifest(
            model=embedder.identity,
            dimension=embedder.dimension,
            passage_tokens=settings.passage_tokens,
            overlap_tokens=settings.overlap_tokens,
            context_tokens=settings.context_tokens,
            vector_index=vector_kind(len(passages), settings.ann_threshold),
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            documents=records,
            skipped=sorted(report.skipped, key=lambda s: s.source),
        )
        log.info("Writing the index to %s", settings.index_dir)
        write_store(settings.index_dir, manifest, passages, embeddings, keywords, texts, decisions)
        report.skipped = manifest.skipped
        report.written = True
        if embedding.count:
            embedder.prepare_questions()  # once per model version: seconds, with PyTorch loaded
        _summarise(report, manifest)
        report.seconds = time.perf_counter() - started
        return report


_NO_RECORD = DocumentRecord("", "", None, None, None, None, "", 0, 0)
_NO_SKIP = SkippedFile("", "", "")


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _record(document: ParsedDocument, digest: str, first: int, count: int) -> DocumentRecord:
    meta = document.metadata
    return DocumentRecord(
        source=document.source,
        title=meta.title,
        organisation=meta.organisation,
        doc_type=meta.doc_type,
        date=meta.date,
        pages=document.pages,
        content_hash=digest,
        first_passage=first,
        passage_count=count,
        warnings=list(document.warnings),
        decision_count=len(document.decisions),
    )


def _document_text(document: ParsedDocument) -> DocumentText:
    spans = [(start, start + len(b.text), b.page, b.section) for start, b in document.spans()]
    return DocumentText(document.source, document.text, spans)


class _Embedding:
    """Passages' texts on their way to the model, and the time the model spends on them.

    While files are still being read in the background, small chunks are embedded as they
    are queued (`step`), on one thread, the reading process holding the other core. The
    rest is embedded when reading is done, on every thread and longest first, as the model
    itself orders one batch: chunks of similar lengths pad far less than chunks in document
    order.
    """

    def __init__(self, embedder: Embedder, progress: bool) -> None:
        self.embedder = embedder
        self.texts: list[str] = []
        self.spans: dict[str, tuple[int, int]] = {}
        self.parts: list[np.ndarray] = []
        self.embedded = 0
        self.seconds = 0.0
        self.bar = tqdm(total=0, desc="Embedding", unit="passage", disable=not progress)

    @property
    def count(self) -> int:
        return len(self.texts)

    @property
    def pending(self) -> int:
        return len(self.texts) - self.embedded

    def add(self, source: str, texts: list[str]) -> None:
        self.spans[source] = (len(self.texts), len(texts))
        self.texts.extend(texts)
        self.bar.total += len(texts)
        self.bar.refresh()

    def step(self, most: int) -> None:
        """Embed up to `most` of the queued texts, in the order they came, on one thread."""
        chunk = self.texts[self.embedded : self.embedded + most]
        self.parts.append(self._encode(chunk, one_thread=True))
        self.embedded += len(chunk)

    def finish(self) -> dict[str, np.ndarray]:
        """Every source's vectors, in the order its texts were added."""
        rest = self.texts[self.embedded :]
        vectors = np.empty((len(rest), self.embedder.dimension), dtype=np.float32)
        order = sorted(range(len(rest)), key=lambda i: -len(rest[i]))
        for start in range(0, len(order), EMBED_CHUNK):
            chunk = order[start : start + EMBED_CHUNK]
            vectors[chunk] = self._encode([rest[i] for i in chunk])
        self.bar.close()
        every = np.concatenate([*self.parts, vectors])
        return {source: every[first : first + n] for source, (first, n) in self.spans.items()}

    def _encode(self, texts: list[str], one_thread: bool = False) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.embedder.encode(texts, one_thread=one_thread)
        self.seconds += time.perf_counter() - started
        self.bar.update(len(texts))
        return vectors


def _summarise(report: BuildReport, manifest: Manifest) -> None:
    report.documents = len(manifest.documents)
    report.pages = sum(d.pages or 0 for d in manifest.documents)
    report.passages = manifest.passage_count
    report.decisions = sum(d.decision_count for d in manifest.documents)


def _summarise_unchanged(report: BuildReport, manifest: Manifest, started: float) -> None:
    report.unchanged = len(manifest.documents)
    _summarise(report, manifest)
    report.seconds = time.perf_counter() - started
