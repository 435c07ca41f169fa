"""Hybrid retrieval: dense and BM25 candidates fused, duplicates collapsed, answers highlighted."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from index.embedder import Embedder, configured_embedder
from index.glossary import default_glossary
from index.highlight import highlight_passages
from index.mentions import MentionFinder
from index.settings import Settings
from index.store import DocumentRecord, IndexMismatch, Store, open_store
from ingest.document import Passage

Method = Literal["hybrid", "bm25", "dense"]
ANSWER_SENTENCES = 3
ANSWER_RELATIVE = 0.85  # share of the closest sentence's similarity another must reach


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
class SearchResult:
    rank: int
    text: str
    source: str
    title: str
    organisation: str | None
    doc_type: str | None
    date: str | None
    page: int | None  # the page of the best highlighted sentence, else where the passage starts
    pages: tuple[int, int] | None  # first and last page the passage covers
    section: str | None
    score: float
    similarity: float
    highlights: list[str]
    highlight_similarity: float  # of the best highlighted sentence to the question
    passage_number: int  # position in the index, for reading the passage in context
    ocr: bool = False  # read from a scanned page by OCR
    ocr_confidence: float | None = None  # mean word confidence of that page, 0-100


@dataclass
class Retrieval:
    """Ranked passage numbers before they are turned into results a person reads."""

    query: np.ndarray
    top: list[tuple[int, float]]  # (passage number, fused score), best first
    similarities: np.ndarray  # cosine similarity of each to the question
    timings: dict[str, float]


@dataclass
class Answer:
    found: bool
    text: str
    citations: list[int]


@dataclass
class Response:
    question: str
    took_ms: float
    answer: Answer
    results: list[SearchResult]
    timings_ms: dict[str, float] = field(default_factory=dict)

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
        self.glossary = default_glossary()
        self.mentions = MentionFinder.for_documents(store.manifest.documents)

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        if not filters:
            return None
        admitted = np.array([filters.admits(d) for d in self.store.manifest.documents], dtype=bool)
        if not len(admitted):
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(admitted[self.store.document_of_passage])

    def retrieve(
        self, question: str, k: int = 5, filters: Filters = Filters(), method: Method = "hybrid"
    ) -> Retrieval:
        """The best k passage numbers with their fused scores and cosine similarities."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        engine = method == "hybrid"  # the baselines see the question exactly as asked
        widened = (
            self.glossary.widen(question) if engine and self.settings.expand_acronyms else question
        )
        query = self.embedder.encode_query(widened)
        timings["encode"] = _ms_since(started)
        allowed = self._allowed(filters)
        if allowed is not None and not len(allowed):
            return Retrieval(query, [], np.empty(0, dtype=np.float32), timings)
        keyword_ranked: list[tuple[int, float]] = []
        dense_ranked: list[tuple[int, float]] = []
        depth = max(self.settings.candidates, k)
        if method in ("hybrid", "bm25"):
            mark = time.perf_counter()
            keyword_ranked = self._keyword(widened, allowed, depth)
            timings["keyword"] = _ms_since(mark)
        if method in ("hybrid", "dense"):
            mark = time.perf_counter()
            similarities, ids = self.store.vectors.search(query, depth, allowed)
            dense_ranked = [(int(i), float(s)) for i, s in zip(ids, similarities)]
            timings["vector"] = _ms_since(mark)
        mark = time.perf_counter()
        if engine:
            ranked = self._prefer_named(question, self._fuse(dense_ranked, keyword_ranked))
        else:
            ranked = keyword_ranked if method == "bm25" else dense_ranked
        top, vectors = self._distinct(ranked, k)
        similarities = np.array(vectors) @ query if top else np.empty(0)
        timings["fusion"] = _ms_since(mark)
        return Retrieval(query, top, np.asarray(similarities, dtype=np.float32), timings)

    def search(
        self, question: str, k: int = 5, filters: Filters = Filters(), method: Method = "hybrid"
    ) -> Response:
        """Retrieve, then highlight the answering sentences and compose the cited answer."""
        started = time.perf_counter()
        found = self.retrieve(question, k, filters, method)
        mark = time.perf_counter()
        results = self._results(found.query, found.top, found.similarities)
        answer = (
            _answer(results, self.settings.min_similarity)
            if self._found(method, question, results)
            else _not_found()
        )
        found.timings["highlight"] = _ms_since(mark)
        return Response(question, _ms_since(started), answer, results, found.timings)

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
        """Reciprocal rank fusion: robust to the two retrievers' incomparable score scales."""
        k = self.settings.rrf_k
        fused: dict[int, float] = {}
        for weight, ranking in (
            (self.settings.dense_weight, dense),
            (self.settings.bm25_weight, keyword),
        ):
            for rank, (number, _) in enumerate(ranking):
                fused[number] = fused.get(number, 0.0) + weight / (k + rank + 1)
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
        """The best k, skipping passages nearly identical to one already chosen (two editions),
        with their vectors (read once here, for the similarities shown)."""
        chosen: list[tuple[int, float]] = []
        vectors: list[np.ndarray] = []
        for number, score in ranked:
            vector = np.asarray(self.store.embeddings[number])
            if any(
                float(vector @ other) >= self.settings.duplicate_similarity for other in vectors
            ):
                continue
            chosen.append((number, score))
            vectors.append(vector)
            if len(chosen) == k:
                break
        return chosen, vectors

    def _found(self, method: Method, question: str, results: list[SearchResult]) -> bool:
        """Whether the library answers the question at all, or only offers weak matches.

        The baselines decide plainly: BM25 on any matching word, dense on the similarity floor.
        The engine also asks whether the question uses a word the library never does ("burial",
        "Ofsted"): then the passages are about something else unless one sentence in them is a
        close match on its own.
        """
        if not results:
            return False
        if method == "bm25":
            return True
        if max(r.similarity for r in results) < self.settings.min_similarity:
            return False
        if method == "dense" or not self.store.keyword.unknown_tokens(question):
            return True
        best_sentence = max(r.highlight_similarity for r in results[:ANSWER_SENTENCES])
        return best_sentence >= self.settings.min_sentence_similarity

    def _results(
        self, query: np.ndarray, top: list[tuple[int, float]], similarities: np.ndarray
    ) -> list[SearchResult]:
        passages = [self.store.passages[number] for number, _ in top]
        highlights = highlight_passages(self.embedder, query, [p.text for p in passages])
        results = []
        for rank, ((number, score), passage, marks, similarity) in enumerate(
            zip(top, passages, highlights, similarities), start=1
        ):
            results.append(self._result(rank, number, passage, score, float(similarity), marks))
        return results

    def _result(
        self, rank: int, number: int, passage: Passage, score: float, similarity: float, marks: list
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
            page=self._cited_page(passage, [text for text, _ in marks]),
            pages=(passage.page_start, passage.page_end)
            if passage.page_start is not None
            else None,
            section=passage.section,
            score=round(score, 6),
            similarity=round(similarity, 4),
            highlights=[text for text, _ in marks],
            highlight_similarity=round(max((score for _, score in marks), default=0.0), 4),
            passage_number=number,
            ocr=passage.ocr,
            ocr_confidence=passage.ocr_confidence,
        )

    def _cited_page(self, passage: Passage, highlights: list[str]) -> int | None:
        """A passage can run across a page break; cite the page its answering sentence is on."""
        if passage.page_start == passage.page_end or not highlights:
            return passage.page_start
        offset = passage.char_start + max(passage.text.find(highlights[0]), 0)
        return self.store.document_text(passage.source).page_at(offset) or passage.page_start


def _answer(results: list[SearchResult], floor: float) -> Answer:
    """The best highlighted sentence of up to three relevant passages in rank order, each with
    its citation. The first relevant passage always leads (rank beats sentence similarity at
    finding the right passage); another adds its sentence only if that sentence is nearly as
    close to the question as the closest one."""
    relevant = [r for r in results if r.similarity >= floor and r.highlights]
    if not relevant:
        return _not_found()
    strongest = max(r.highlight_similarity for r in relevant)
    chosen = [relevant[0]] + [
        r for r in relevant[1:] if r.highlight_similarity >= ANSWER_RELATIVE * strongest
    ]
    chosen = chosen[:ANSWER_SENTENCES]
    text = " ".join(f"{r.highlights[0]} [{r.rank}]" for r in chosen)
    return Answer(True, text, [r.rank for r in chosen])


def _not_found() -> Answer:
    return Answer(False, "Nothing in the library answers this question.", [])


def _ms_since(mark: float) -> float:
    return round((time.perf_counter() - mark) * 1000, 2)
