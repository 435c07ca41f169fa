"""The first stage: passages worth a closer look, from BM25 and dense vectors, fused by rank.

Filters restrict both retrievers to the admitted documents; the question is widened with the
other form of its acronyms; organisations and document types it names are preferred; and
near-identical passages (two editions of one document) are kept once.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from index.glossary import default_glossary
from index.mentions import MentionFinder
from index.settings import Settings
from index.store import DocumentRecord, Store

# The engine is "hybrid+rerank" (or "hybrid" with re-ranking off); the others are baselines.
Method = Literal["hybrid+rerank", "hybrid", "bm25", "dense"]
FIRST_STAGES: tuple[Method, ...] = ("hybrid", "bm25", "dense")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some documents.

    From the command line, text filters match in part and ignore case (`--org kent`); the app
    offers the recorded values and sets `exact`, so "a.txt" never also selects "data.txt".
    """

    organisations: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    since: str | None = None  # ISO date, or its year / year-month prefix
    until: str | None = None
    exact: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.organisations or self.doc_types or self.documents or self.since or self.until
        )

    def _matches(self, wanted: tuple[str, ...], *values: str | None) -> bool:
        if not wanted:
            return True
        if self.exact:
            return any(v in wanted for v in values if v)
        return any(w.lower() in v.lower() for w in wanted for v in values if v)

    def admits(self, record: DocumentRecord) -> bool:
        if not self._matches(self.organisations, record.organisation):
            return False
        if self.doc_types and (record.doc_type or "").lower() not in {
            t.lower() for t in self.doc_types
        }:
            return False
        if not self._matches(
            self.documents, record.source, *(() if self.exact else (record.title,))
        ):
            return False
        if self.since or self.until:
            if not record.date:
                return False
            if self.since and record.date < self.since[: len(record.date)]:
                return False
            if self.until and record.date[: len(self.until)] > self.until:
                return False
        return True


@dataclass
class Candidates:
    """Ranked passage numbers before any later stage reorders them."""

    query: np.ndarray  # the (widened) question's vector
    top: list[tuple[int, float]]  # (passage number, fused score), best first
    similarities: np.ndarray  # cosine similarity of each to the question
    timings: dict[str, float]
    pool: int = 0  # how many passages each retriever gave the fusion


class CandidateFinder:
    """Keyword and vector retrieval over one store, fused."""

    def __init__(self, store: Store, embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.glossary = default_glossary()
        self.mentions = MentionFinder.for_documents(store.manifest.documents)

    def find(
        self,
        question: str,
        depth: int,
        filters: Filters,
        method: Method,
        like: Candidates | None = None,
    ) -> Candidates:
        """The best `depth` distinct passages by `method`'s first stage, each retriever giving
        its best `candidates` (or `depth` where that is more). `like`, an earlier search of the
        same question, gives its vector and its pool instead: the pool changes the fused order,
        since a passage both retrievers find gains from both, so a deeper look keeps it."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        engine = method.startswith("hybrid")  # the baselines see the question exactly as asked
        widened = (
            self.glossary.widen(question) if engine and self.settings.expand_acronyms else question
        )
        query = like.query if like is not None else self.embedder.encode_query(widened)
        timings["encode"] = ms_since(started)
        allowed = self._allowed(filters)
        if allowed is not None and not len(allowed):
            return Candidates(query, [], np.empty(0, dtype=np.float32), timings)
        keyword_ranked: list[tuple[int, float]] = []
        dense_ranked: list[tuple[int, float]] = []
        pool = like.pool if like is not None else max(self.settings.candidates, depth)
        if method != "dense":
            mark = time.perf_counter()
            keyword_ranked = self._keyword(widened, allowed, pool)
            timings["keyword"] = ms_since(mark)
        if method != "bm25":
            mark = time.perf_counter()
            similarities, ids = self.store.vectors.search(query, pool, allowed)
            dense_ranked = [(int(i), float(s)) for i, s in zip(ids, similarities)]
            timings["vector"] = ms_since(mark)
        mark = time.perf_counter()
        if engine:
            ranked = self._prefer_named(question, self._fuse(dense_ranked, keyword_ranked))
        else:
            ranked = keyword_ranked if method == "bm25" else dense_ranked
        top, vectors = self._distinct(ranked, depth)
        similarities = np.array(vectors) @ query if top else np.empty(0)
        timings["fusion"] = ms_since(mark)
        return Candidates(query, top, np.asarray(similarities, dtype=np.float32), timings, pool)

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        if not filters:
            return None
        admitted = np.array([filters.admits(d) for d in self.store.manifest.documents], dtype=bool)
        if not len(admitted):
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(admitted[self.store.document_of_passage])

    def _keyword(
        self, question: str, allowed: np.ndarray | None, depth: int
    ) -> list[tuple[int, float]]:
        scores = self.store.keyword.scores(question)
        if allowed is not None:
            mask = np.zeros_like(scores)
            mask[allowed] = 1.0
            scores = scores * mask
        count = min(depth, int((scores > 0).sum()))
        if count == 0:
            return []
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]

    def _fuse(
        self, dense: list[tuple[int, float]], keyword: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        fused = fuse_ranks(
            [(self.settings.dense_weight, dense), (self.settings.bm25_weight, keyword)],
            self.settings.rrf_k,
        )
        return sorted(fused.items(), key=lambda item: -item[1])

    def _prefer_named(
        self, question: str, ranked: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """Lift passages of the organisations and document types the question names."""
        documents = self.store.manifest.documents
        mentions = self.mentions.find(question)
        if not mentions or not self.settings.mention_boost:
            return ranked
        owner = self.store.document_of_passage
        boost = 1.0 + self.settings.mention_boost
        lifted = [(n, s * boost if mentions.prefers(documents[owner[n]]) else s) for n, s in ranked]
        return sorted(lifted, key=lambda item: -item[1])

    def _distinct(
        self, ranked: list[tuple[int, float]], k: int
    ) -> tuple[list[tuple[int, float]], list[np.ndarray]]:
        """The best k, skipping passages nearly identical to one already chosen (two editions,
        a copy), with their vectors (read once here, for the similarities shown).

        Where a later passage holds an earlier one's text and more (the same paragraph cut at
        other places), the fuller one takes the earlier one's place, so nothing is lost.
        """
        chosen: list[tuple[int, float]] = []
        vectors: list[np.ndarray] = []
        runs: list[set[tuple[str, ...]]] = []
        overlap = self.settings.duplicate_overlap

        def within(inner: set, outer: set) -> bool:
            return overlap > 0 and bool(inner) and run_share(inner, outer) >= overlap

        for number, score in ranked:
            vector = np.asarray(self.store.embeddings[number])
            if any(
                float(vector @ other) >= self.settings.duplicate_similarity for other in vectors
            ):
                continue
            own = word_runs(self.store.passages[number].text)
            if any(within(own, other) for other in runs):
                continue
            held = next((i for i, other in enumerate(runs) if within(other, own)), None)
            if held is not None:
                chosen[held] = (number, chosen[held][1])
                vectors[held], runs[held] = vector, own
                continue
            chosen.append((number, score))
            vectors.append(vector)
            runs.append(own)
            if len(chosen) == k:
                break
        return chosen, vectors


def word_runs(text: str, length: int = 5) -> set[tuple[str, ...]]:
    """The text's runs of `length` consecutive words, case and punctuation aside: two passages
    cut from the same text at different places share most of them."""
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def run_share(inner: set[tuple[str, ...]], outer: set[tuple[str, ...]]) -> float:
    """The share of `inner`'s word runs that `outer` holds too (0 for no runs)."""
    return len(inner & outer) / len(inner) if inner else 0.0


def fuse_ranks(rankings: list[tuple[float, list[tuple[int, float]]]], k: int) -> dict[int, float]:
    """Reciprocal rank fusion of weighted rankings (best first): robust to the retrievers'
    incomparable score scales. An item absent from a ranking gets nothing from it."""
    fused: dict[int, float] = {}
    for weight, ranking in rankings:
        for rank, (number, _) in enumerate(ranking):
            fused[number] = fused.get(number, 0.0) + weight / (k + rank + 1)
    return fused


def ms_since(mark: float) -> float:
    return round((time.perf_counter() - mark) * 1000, 2)
