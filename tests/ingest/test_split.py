"""Splitting keeps page ranges, sections and offsets, and respects the token budget."""

from __future__ import annotations

import pickle

from ingest.document import Block, DocumentMetadata, ParsedDocument
from ingest.split import WordPieceCounter, split_into_passages


def test_passages_keep_pages_sections_and_offsets(embedder):
    blocks = [
        Block("Introduction to the strategy. " * 30, page=1, section="Introduction"),
        Block(
            "It continues on the next page with more about prevention. " * 30,
            page=2,
            section="Introduction",
        ),
        Block("Carers will be supported with short breaks. " * 5, page=3, section="Carers"),
    ]
    document = ParsedDocument("s.pdf", DocumentMetadata(title="S"), blocks, pages=3)
    passages = split_into_passages(
        document, embedder.count_tokens, passage_tokens=120, overlap_tokens=20
    )

    assert all(embedder.count_tokens(p.text) <= 120 for p in passages)
    assert all(document.text[p.char_start : p.char_end] == p.text for p in passages)
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    carers = [p for p in passages if p.section == "Carers"]
    assert carers and all(p.page_start == p.page_end == 3 for p in carers)
    assert all(p.section == "Introduction" for p in passages if p.page_start in (1, 2))
    assert any(p.page_start == 2 for p in passages)
    assert passages[0].page_start == 1


def test_the_standalone_counter_counts_as_the_model_does_and_survives_pickling(embedder):
    texts = [
        "The ICB's s75 agreement (BCF) was signed on 12/03/2025 — £4.2m for 2025/26.",
        "Café, naïve coördination and non-breaking\u00a0spaces",
        "word " * 400,
        "",
        "Hyphen-\nated lines\tand\ttabs",
    ]
    counter = WordPieceCounter(embedder.model.tokenizer.backend_tokenizer)
    copy = pickle.loads(pickle.dumps(counter))
    for text in texts:
        expected = len(embedder.model.tokenizer.tokenize(text))
        assert counter(text) == copy(text) == expected, text
