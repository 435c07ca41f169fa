"""Split a parsed document into passages that fit the embedding model and keep page and section."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.document import BLOCK_SEPARATOR, Block, ParsedDocument, Passage

if TYPE_CHECKING:
    from tokenizers import Tokenizer

SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]
COUNTS_REMEMBERED = 4096  # a few documents' pieces: a counter lives as long as its ingest


class WordPieceCounter:
    """Counts word pieces as the embedding model does, with a standalone `tokenizers` copy of
    its tokenizer: the copy pickles, so a reading process can split passages beside the
    model, and it skips the transformers wrapper's cost on each of the splitter's many calls.

    Recent counts are remembered: the splitter counts each piece of text up to three times
    (to test it, to merge it, to drop it from the overlap), and counting is most of its time.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        from tokenizers import Tokenizer

        self._start(Tokenizer.from_str(tokenizer.to_str()))

    def _start(self, tokenizer: Tokenizer) -> None:
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        self._count = lru_cache(maxsize=COUNTS_REMEMBERED)(self._encode)

    def __call__(self, text: str) -> int:
        return self._count(text)

    def _encode(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def __getstate__(self) -> str:
        return self.tokenizer.to_str()

    def __setstate__(self, state: str) -> None:
        from tokenizers import Tokenizer

        self._start(Tokenizer.from_str(state))


@dataclass(frozen=True)
class Splitting:
    """How passages are cut: what `split_into_passages` needs, in one picklable value."""

    count_tokens: Callable[[str], int]
    passage_tokens: int
    overlap_tokens: int

    def __call__(self, document: ParsedDocument) -> list[Passage]:
        return split_into_passages(
            document, self.count_tokens, self.passage_tokens, self.overlap_tokens
        )


@dataclass(frozen=True)
class _Segment:
    """Consecutive blocks under one heading: passages never straddle two sections."""

    start: int  # offset of the first block in the document text
    blocks: list[Block]
    block_starts: list[int]

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)


def _segments(document: ParsedDocument) -> Iterator[_Segment]:
    current: list[Block] = []
    starts: list[int] = []
    for offset, block in document.spans():
        if current and block.section != current[-1].section:
            yield _Segment(starts[0], current, starts)
            current, starts = [], []
        current.append(block)
        starts.append(offset)
    if current:
        yield _Segment(starts[0], current, starts)


def _touched(segment: _Segment, start: int, end: int) -> list[Block]:
    """The blocks that the span [start, end) of the document touches."""
    first = max(bisect_right(segment.block_starts, start) - 1, 0)
    last = max(bisect_right(segment.block_starts, max(end - 1, start)) - 1, 0)
    return segment.blocks[first : last + 1]


def _pages(blocks: list[Block]) -> tuple[int | None, int | None]:
    """First and last page of these blocks."""
    pages = [b.page for b in blocks if b.page is not None]
    return (min(pages), max(pages)) if pages else (None, None)


def _ocr_confidence(blocks: list[Block]) -> float | None:
    """The lowest confidence of the blocks read by OCR; None if none was."""
    confidences = [b.ocr_confidence for b in blocks if b.ocr_confidence is not None]
    return min(confidences) if confidences else None


def split_into_passages(
    document: ParsedDocument,
    count_tokens: Callable[[str], int],
    passage_tokens: int,
    overlap_tokens: int,
) -> list[Passage]:
    """Passages of at most `passage_tokens` word pieces, as counted by the embedding model."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=passage_tokens,
        chunk_overlap=overlap_tokens,
        length_function=count_tokens,
        separators=SEPARATORS,
        keep_separator="end",
    )
    passages: list[Passage] = []
    for segment in _segments(document):
        for chunk in _fitting_chunks(splitter, segment.text, count_tokens, passage_tokens):
            text, local_start = chunk
            start = segment.start + local_start
            end = start + len(text)
            touched = _touched(segment, start, end)
            page_start, page_end = _pages(touched)
            confidence = _ocr_confidence(touched)
            passages.append(
                Passage(
                    source=document.source,
                    ordinal=len(passages),
                    text=text,
                    page_start=page_start,
                    page_end=page_end,
                    section=segment.blocks[0].section,
                    char_start=start,
                    char_end=end,
                    ocr=confidence is not None,
                    ocr_confidence=confidence,
                )
            )
    return passages


def _fitting_chunks(
    splitter: RecursiveCharacterTextSplitter,
    text: str,
    count_tokens: Callable[[str], int],
    limit: int,
) -> Iterator[tuple[str, int]]:
    """The splitter's chunks with their offsets, re-split where one came out over the limit.

    The splitter adds up the lengths of pieces, and word pieces at a join can differ from the
    sum; checking the real count is what guarantees nothing is silently truncated. Offsets are
    found here because the splitter's own `start_index` treats a token overlap as characters.
    """
    cursor = 0
    for content in splitter.split_text(text):
        start = text.find(content, cursor)
        if start < 0 or not content.strip():
            continue
        cursor = start + 1
        if count_tokens(content) <= limit:
            yield content, start
            continue
        smaller = RecursiveCharacterTextSplitter(
            chunk_size=max(limit // 2, 8),
            chunk_overlap=0,
            length_function=count_tokens,
            separators=SEPARATORS,
            keep_separator="end",
        )
        for text_part, part_start in _fitting_chunks(smaller, content, count_tokens, limit):
            yield text_part, start + part_start
