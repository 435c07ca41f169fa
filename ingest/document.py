"""The dataclasses that leave `ingest/`: what a file says, page by page and section by section."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class UnreadableDocument(Exception):
    """A file that cannot be indexed, with a reason a person can act on.

    Raised by every reader for corrupt, encrypted, empty, image-only or undecodable files,
    and for formats we do not support; ingest reports it and goes on with the next file.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple:
        # Rebuilt from its two fields when it comes back from a reading process.
        return (UnreadableDocument, (self.path, self.reason))


@dataclass(frozen=True)
class Block:
    """A run of cleaned text that sits on one page (if the format has pages) under one heading."""

    text: str
    page: int | None = None  # 1-based page number; None for formats without pages
    section: str | None = None  # nearest heading above this text, if any
    ocr_confidence: float | None = None  # read by OCR: the page's mean word confidence (0-100)


@dataclass
class DocumentMetadata:
    """What a citation shows about a document; inferred from the file, completed by the sidecar."""

    title: str
    organisation: str | None = None
    doc_type: str | None = None  # minutes, strategy, report, assessment, policy, ...
    # ISO date: YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is stated
    date: str | None = None


@dataclass
class ParsedDocument:
    """A readable file: its blocks in reading order, and what we know about it."""

    source: str  # path relative to the documents folder, with forward slashes
    metadata: DocumentMetadata
    blocks: list[Block]
    pages: int | None = None  # number of pages, for paged formats
    warnings: list[str] = field(default_factory=list)  # non-fatal problems worth telling the user
    decisions: list[Decision] = field(default_factory=list)  # formal decisions it records
    decision_seconds: float = field(default=0.0, compare=False)  # finding them, for benchmarks
    ocr_pages: int = 0  # pages read by OCR, and the time that took
    ocr_seconds: float = 0.0
    passages: list[Passage] = field(default_factory=list)  # when the reading split it

    @property
    def text(self) -> str:
        """The whole document as the passages' character offsets count it."""
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)

    def spans(self) -> list[tuple[int, Block]]:
        """Each block with the offset in `text` where it starts."""
        out, offset = [], 0
        for block in self.blocks:
            out.append((offset, block))
            offset += len(block.text) + len(BLOCK_SEPARATOR)
        return out


BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Passage:
    """A piece of a document small enough for the embedding model, with where it came from."""

    source: str  # the document's `source`
    ordinal: int  # position of the passage within its document, from 0
    text: str
    page_start: int | None
    page_end: int | None
    section: str | None
    char_start: int  # offsets into ParsedDocument.text
    char_end: int
    ocr: bool = False  # some of its text was read from a page image by OCR
    ocr_confidence: float | None = None  # the lowest mean word confidence of those pages


def passage_heading(title: str, section: str | None) -> str:
    """What a passage is read with by the models: its document's title, and its section."""
    return title if not section or section == title else f"{title} — {section}"


# A sub-item's enumerator: "(a) ", "b) ", "(iv) ", "1. ", "• ".
ENUMERATOR = re.compile(
    r"^\s*(?:\((?:[a-zA-Z]|[ivxIVX]{1,5}|\d{1,2})\)|(?:[a-zA-Z]|[ivx]{1,5}|\d{1,2})[.)]|[•·▪‣●\-–])\s+"
)
OUTCOMES = (
    "approved",
    "agreed",
    "noted",
    "endorsed",
    "rejected",
    "deferred",
    "carried",
    "lost",
    "delegated",
    "other",
)


@dataclass(frozen=True)
class Decision:
    """One formal decision, with where it was taken and the exact span of the text recording it."""

    source: str
    body: str | None  # the deciding body as the document states it: "Cabinet", "Committee"
    organisation: str | None
    date: str | None  # the meeting's date, ISO
    item_number: str | None  # minute or decision number: "91", "24/00115"
    item_title: str | None
    outcome: str  # one of OUTCOMES
    text: str  # the decision's own wording, exactly as in the document text
    char_start: int  # offsets of `text` in ParsedDocument.text
    char_end: int
    page: int | None
    votes: str | None = None  # "For 52, against 0, abstain 11: motion carried"
    uncertain: str | None = None  # why a field is a guess, if one is

    @property
    def item(self) -> str | None:
        parts = [p for p in (self.item_number, self.item_title) if p]
        return " ".join(parts) if parts else None

    @property
    def first_sentence(self) -> str:
        text = ENUMERATOR.sub("", self.text, count=1)
        match = re.match(r"(.+?[.;])(?:\s|$)", text)
        return (match.group(1) if match else text).strip()
