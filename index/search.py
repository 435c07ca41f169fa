"""A question's way through the engine, stage by stage.

    candidates (index/candidates.py)  BM25 and dense vectors, fused by rank, filtered
    re-rank    (index/rerank.py)      a cross-encoder reads the question with each candidate
    spread     (index/diversify.py)   no document crowds the others out of the top k
    answer     (index/answer.py)      answering sentences, a confidence, or "not found"

This module only runs them in order and turns passage numbers into results a person reads.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import partial

from index.answer import (
    Answer,
    Evidence,
    confidence_of,
    embedding_answer,
    not_found,
    quoted_sentences,
    reranked_answer,
)
from index.candidates import CandidateFinder, Candidates, Filters, Method, ms_since
from index.diversify import spread, spread_rule
from index.embedder import Embedder, configured_embedder
from index.highlight import highlight_passages
from index.rerank import CrossEncoder, Reranked, load_cross_encoder, rerank, score_passages
from index.settings import Settings
from index.store import IndexMismatch, Store, open_store
from ingest.document import Passage, passage_heading

NO_FILTERS = Filters()

__all__ = ["Answer", "Filters", "Method", "Response", "SearchResult", "Searcher", "open_searcher"]


@dataclass
class SearchResult:
    rank: int
    text: str
    source: str
    title: str
    organisation: str | None
    doc_type: str | None
    date: str | None
    page: int | None  # the page holding most of what the answer quotes, else the first
    pages: tuple[int, int] | None  # first and last page the passage covers
    section: str | None
    score: float  # the ranking score: cross-encoder logit when re-ranked, else the fused score
    similarity: float  # cosine similarity of the passage to the question
    highlights: list[str]
    highlight_score: float  # re-ranked: the quoted window's logit; else best sentence's cosine
    passage_number: int  # position in the index, for reading the passage in context
    ocr: bool = False  # read from a scanned page by OCR
    ocr_confidence: float | None = None  # mean word confidence of that page, 0-100


@dataclass
class Response:
    question: str
    took_ms: float
    answer: Answer
    results: list[SearchResult]
    timings_ms: dict[str, float] = field(default_factory=dict)
    method: str = "hybrid+rerank"

    def to_dict(self) -> dict:
        return asdict(self)


def open_searcher(settings: Settings) -> Searcher:
    """The index and model named by the settings, checked against each other."""
    return Searcher(open_store(settings.index_dir), configured_embedder(settings), settings)


class Searcher:
    """Answers questions over one opened index with one loaded model."""

    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        manifest = store.manifest
        if manifest.model != embedder.identity or manifest.dimension != embedder.dimension:
            raise IndexMismatch(
                f"the index was built with the model {manifest.model!r} ({manifest.dimension} "
                f"dimensions) but the configured model is {embedder.identity!r}: run `precedent ingest` "
                "to rebuild the index with this model, or set the model back"
            )
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.candidates = CandidateFinder(store, embedder, settings)

    @property
    def engine(self) -> Method:
        """The method a plain question goes through, as configured."""
        return "hybrid+rerank" if self.settings.rerank else "hybrid"

    @property
    def cross_encoder(self) -> CrossEncoder:
        """Loaded on the first re-ranked question, so `--no-rerank` never pays for it."""
        return load_cross_encoder(self.settings.rerank_model, cache_dir=self.settings.models_dir)

    def retrieve(
        self, question: str, k: int = 5, filters: Filters = NO_FILTERS, method: Method = "hybrid"
    ) -> Candidates:
        """The first stage alone: the best k passage numbers, fused."""
        return self.candidates.find(question, k, filters, method)

    def search(
        self,
        question: str,
        k: int = 5,
        filters: Filters = NO_FILTERS,
        method: Method | None = None,
    ) -> Response:
        """Every stage in turn; `method` picks a baseline, else the configured engine."""
        started = time.perf_counter()
        method = method or self.engine
        reranking = method == "hybrid+rerank"
        depth = max(k, self.settings.rerank_depth) if reranking else k
        beyond = self.settings.spread_depth if reranking else 0
        found = self.candidates.find(question, depth + beyond, filters, method)
        timings = found.timings
        similarity = dict(zip((n for n, _ in found.top), found.similarities.tolist()))

        reranked: Reranked | None = None
        ranked, further = found.top[:depth], found.top[depth:]
        if reranking and ranked:
            mark = time.perf_counter()
            numbers = [n for n, _ in ranked]
            reranked = rerank(
                self.cross_encoder,
                self._as_read(question),
                self.readable(numbers),
                self.settings.window_depth,
                deeper=partial(self._before_not_found, question, filters, found, numbers),
            )
            ranked = reranked.top
            read = {n for n, _ in ranked}
            further = [c for c in further if c[0] not in read][:beyond]
            timings["rerank"] = ms_since(mark)

        if method.startswith("hybrid"):
            mark = time.perf_counter()
            owner = self.store.document_of_passage
            weak = self._weak if reranked else None
            per_document, relevant = spread_rule(question, self.settings, weak)
            more = partial(self._from_other_documents, question, ranked, further)
            ranked = spread(
                ranked, lambda n: int(owner[n]), k, per_document, relevant, more if weak else None
            )
            timings["spread"] = ms_since(mark)
        ranked = ranked[:k]

        mark = time.perf_counter()
        passages = [self.store.passages[n] for n, _ in ranked]
        if reranked:
            marks = [reranked.windows.get(n, ([], score)) for n, score in ranked]
        else:
            marks = [
                ([text for text, _ in best], max((s for _, s in best), default=0.0))
                for best in highlight_passages(
                    self.embedder, found.query, [p.text for p in passages]
                )
            ]
        results = [
            self._result(rank, n, passage, score, similarity.get(n, 0.0), *mark_, bool(reranked))
            for rank, ((n, score), passage, mark_) in enumerate(
                zip(ranked, passages, marks), start=1
            )
        ]
        answer = self._answer(method, question, results, reranked)
        timings["answer"] = ms_since(mark)
        return Response(question, ms_since(started), answer, results, timings, method)

    def _before_not_found(
        self, question: str, filters: Filters, found: Candidates, read: list[int], best: float
    ) -> list[tuple[int, str, str]]:
        """When the best of the passages `read` would be "not found" but is a near miss, the
        first stage's further candidates down to `not_found_depth`, fused from the same pools
        as those `found` first: a paraphrase's answer can lie deeper, and the cost falls only on
        questions that would otherwise get no answer. A question whose best re-ranked is far off is
        taken as one the library does not answer, without the wait."""
        depth = self.settings.not_found_depth
        if not self.reads_deeper(best) or depth <= len(read):
            return []
        deeper = self.candidates.find(question, depth, filters, "hybrid+rerank", like=found)
        seen = set(read)
        return self.readable([n for n, _ in deeper.top if n not in seen])

    def reads_deeper(self, best: float) -> bool:
        """Whether this best re-ranked score sends the cross-encoder deeper before
        "not found": under the threshold, but a near miss (`deeper_confidence`)."""
        near_miss = self._confidence(best) >= self.settings.deeper_confidence
        return best < self.settings.rerank_threshold and near_miss

    def _weak(self, logit: float) -> bool:
        """A cross-encoder score that would be shown as a weak match."""
        return self._confidence(logit) < self.settings.weak_confidence

    def _confidence(self, logit: float) -> float:
        return confidence_of(logit, self.settings.rerank_threshold)

    def _from_other_documents(
        self, question: str, ranked: list[tuple[int, float]], further: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """The further candidates of documents not among the re-ranked ones, scored alike: what
        the spread reads when those cannot fill the top k."""
        owner = self.store.document_of_passage
        shown = {int(owner[n]) for n, _ in ranked}
        fresh = [n for n, _ in further if int(owner[n]) not in shown]
        return self.score(question, fresh)

    def score(self, question: str, numbers: list[int]) -> list[tuple[int, float]]:
        """(number, cross-encoder score) of each passage read whole with its heading, as
        re-ranking reads it; best first."""
        return score_passages(self.cross_encoder, self._as_read(question), self.readable(numbers))

    def _as_read(self, question: str) -> str:
        """The question as the cross-encoder reads it: with its acronyms spelled out."""
        if not self.settings.expand_acronyms:
            return question
        return self.candidates.glossary.spelled_out(question)

    def readable(self, numbers: list[int]) -> list[tuple[int, str, str]]:
        """(number, heading, text) of each, as the cross-encoder reads them."""
        return [(n, *self._heading_and_text(n)) for n in numbers]

    def _heading_and_text(self, number: int) -> tuple[str, str]:
        """What the cross-encoder reads besides the passage: its document's title and section,
        which often carry the place or body a question names and the passage does not."""
        passage = self.store.passages[number]
        title = self.store.documents_by_source[passage.source].title
        return passage_heading(title, passage.section), passage.text

    def _answer(
        self,
        method: Method,
        question: str,
        results: list[SearchResult],
        reranked: Reranked | None,
    ) -> Answer:
        evidence = [
            Evidence(r.rank, r.highlights, r.highlight_score, r.similarity) for r in results
        ]
        if not results:
            return not_found(0.0)
        unknown = method.startswith("hybrid") and bool(self.store.keyword.unknown_tokens(question))
        if reranked is not None:
            return reranked_answer(
                evidence,
                reranked.best,
                self.settings.rerank_threshold,
                self.settings.weak_confidence,
                unknown,
            )
        return embedding_answer(
            evidence,
            self.settings.min_similarity,
            self.settings.min_sentence_similarity,
            unknown,
        )

    def _result(
        self,
        rank: int,
        number: int,
        passage: Passage,
        score: float,
        similarity: float,
        highlights: list[str],
        highlight_score: float,
        reranked: bool,
    ) -> SearchResult:
        record = self.store.documents_by_source[passage.source]
        return SearchResult(
            rank=rank,
            text=passage.text,
            source=passage.source,
            title=record.title,
            organisation=record.organisation,
            doc_type=record.doc_type,
            date=record.date,
            page=self._cited_page(passage, quoted_sentences(highlights, reranked)),
            pages=(passage.page_start, passage.page_end)
            if passage.page_start is not None
            else None,
            section=passage.section,
            score=round(float(score), 6),
            similarity=round(float(similarity), 4),
            highlights=highlights,
            highlight_score=round(float(highlight_score), 4),
            passage_number=number,
            ocr=passage.ocr,
            ocr_confidence=passage.ocr_confidence,
        )

    def _cited_page(self, passage: Passage, quote: list[str]) -> int | None:
        """A passage can run across a page break; cite the page that holds most of its quote
        (a window's short lead-in can end the page before the sentence that answers)."""
        if passage.page_start == passage.page_end or not quote:
            return passage.page_start
        text = self.store.document_text(passage.source)
        held: Counter[int] = Counter()  # page -> characters of the quote that start on it
        for sentence in quote:
            offset = passage.char_start + max(passage.text.find(sentence), 0)
            held[text.page_at(offset) or passage.page_start] += len(sentence)
        return max(held, key=lambda page: (held[page], -page))
