"""Find the sentences of a passage that answer the question."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.embedder import Embedder

# A sentence ends at . ! ? (not inside "e.g." or "No. 5") before a capital, digit, quote or
# bullet, or at a line break; list items and headings on their own line count as sentences.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(•\-–])|\n+")
MIN_WORDS = 4
MAX_SENTENCES = 3
RELATIVE_CUTOFF = 0.85


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the passage text


def split_sentences(text: str) -> list[Sentence]:
    """Sentences as exact slices of `text`, so an interface can mark them in place."""
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        piece = text[start : match.start()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            sentences.append(Sentence(piece.strip(), start + lead))
        start = match.end()
    tail = text[start:]
    if tail.strip():
        sentences.append(Sentence(tail.strip(), start + len(tail) - len(tail.lstrip())))
    return sentences


def _is_heading(sentence: str) -> bool:
    """A short line with no closing punctuation, or one in Title Case, is a heading, not an answer."""
    words = sentence.split()
    capitalised = sum(w[:1].isupper() for w in words)
    return (len(words) < 10 and sentence[-1:] not in ".!?:;") or (
        len(words) < 12 and capitalised >= 0.7 * len(words)
    )


def answer_sentences(text: str) -> list[Sentence]:
    """Sentences that could answer something: not fragments, not headings (unless that is all)."""
    sentences = split_sentences(text)
    prose = [s for s in sentences if len(s.text.split()) >= MIN_WORDS and not _is_heading(s.text)]
    return prose or [s for s in sentences if len(s.text.split()) >= MIN_WORDS] or sentences


def highlight_passages(
    embedder: Embedder, query_vector: np.ndarray, passages: list[str]
) -> list[list[tuple[str, float]]]:
    """For each passage, its one to three best sentences, best first, with their similarity to
    the question.

    All sentences of all passages go through the model in one batch: a handful of short texts,
    far cheaper than the passages themselves.
    """
    per_passage = [answer_sentences(text) for text in passages]
    flat = [s.text for sentences in per_passage for s in sentences]
    if not flat:
        return [[] for _ in passages]
    similarities = embedder.encode_sentences(flat) @ query_vector
    out, cursor = [], 0
    for sentences in per_passage:
        scores = similarities[cursor : cursor + len(sentences)]
        cursor += len(sentences)
        if not sentences:
            out.append([])
            continue
        best = float(scores.max())
        order = np.argsort(-scores)[:MAX_SENTENCES]
        chosen = [i for i in order if scores[i] >= best * RELATIVE_CUTOFF or i == order[0]]
        out.append([(sentences[i].text, float(scores[i])) for i in chosen])
    return out
