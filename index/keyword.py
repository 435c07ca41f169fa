"""The BM25 keyword index over passages (bm25s), with the tokenizer its queries must share."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

logging.getLogger("bm25s").setLevel(logging.WARNING)

# Words that shape a question ("How many...", "What did ... say") but say nothing of its topic:
# passages use them too, so matching them only adds noise to the keyword ranking.
QUESTION_WORDS = [
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "why",
    "how",
    "many",
    "much",
    "did",
    "does",
    "do",
    "say",
    "said",
    "says",
    "tell",
]


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def keyword_tokens(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed tokens: the same for passages and questions."""
    return bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )


@lru_cache(maxsize=1)
def _question_stems() -> frozenset[str]:
    return frozenset(_stemmer().stemWords(QUESTION_WORDS)) | frozenset(QUESTION_WORDS)


def question_tokens(question: str) -> list[str]:
    """The question's keyword tokens without the words that only make it a question."""
    skip = _question_stems()
    return [t for t in keyword_tokens([question])[0] if t not in skip]


@dataclass
class KeywordIndex:
    """BM25 scores for every passage; `scores` returns a dense array aligned with passages."""

    retriever: bm25s.BM25

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        retriever = bm25s.BM25()
        retriever.index(keyword_tokens(texts) if texts else [[""]], show_progress=False)
        return cls(retriever)

    def save(self, folder: Path) -> None:
        self.retriever.save(folder, show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        return cls(bm25s.BM25.load(folder, mmap=True, show_progress=False))

    def known_tokens(self, question: str) -> list[str]:
        """The question's tokens that occur somewhere in the library."""
        vocab = self.retriever.vocab_dict
        return [t for t in question_tokens(question) if t in vocab]

    def unknown_tokens(self, question: str) -> list[str]:
        """The question's words that occur nowhere in the library."""
        vocab = self.retriever.vocab_dict
        return [t for t in question_tokens(question) if t not in vocab]

    def scores(self, question: str) -> np.ndarray:
        tokens = self.known_tokens(question)
        size = int(self.retriever.scores["num_docs"])
        if not tokens:
            return np.zeros(size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)
