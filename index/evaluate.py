"""Retrieval quality as numbers: the engine beside BM25 alone and dense alone, on the same passages."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.candidates import FIRST_STAGES, run_share, word_runs
from index.search import Method, Response, Searcher
from index.store import Store

# The engine as shipped, the engine without re-ranking, and the two retrievers alone.
METHODS: tuple[Method, ...] = ("hybrid+rerank", *FIRST_STAGES)
_QUOTES = str.maketrans("‘’‚‛“”„‟–—‐‑−", "''''\"\"\"\"-----")


def fold(text: str) -> str:
    """Case, whitespace, curly quotes and dashes folded, as the question files compare phrases."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES).lower()).strip()


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # single | paraphrase | acronym | multi | none
    question: str
    expect: tuple[str, ...]
    # Phrases of other passages judged to answer the question as well (another edition's copy
    # of the figure, another correct statement, another council's answer to a question asked
    # across councils): the methods' pooled top 5s were read and judged, so that a right
    # answer the question's author did not foresee does not count as a miss.
    also: tuple[str, ...] = ()

    @property
    def answers(self) -> tuple[str, ...]:
        """Any of these in a passage makes it a hit for a single-answer question, and makes
        its document one that answers a multi-document question."""
        return self.expect + self.also


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            also = tuple(item["phrase"] for item in raw.get("also", ()))
            questions.append(
                Question(
                    raw["id"], raw["kind"], raw["question"], tuple(raw.get("expect", ())), also
                )
            )
        except (json.JSONDecodeError, KeyError) as error:
            raise ValueError(f"{path}:{number}: not a question line ({error})") from error
    return questions


def first_hit(response: Response, phrases: tuple[str, ...]) -> int | None:
    """Rank of the first result containing any expected phrase."""
    return next((r.rank for r in response.results if phrases_found([r.text], phrases)), None)


def quotes_answer(response: Response, phrases: tuple[str, ...]) -> bool:
    """Whether the answer quotes, from the first result, a sentence that one of the phrases
    runs into: what a member reads first should be the answer, not the sentence beside it."""
    if not response.answer.found or 1 not in response.answer.citations or not response.results:
        return False
    text = fold(response.results[0].text)
    quoted = [fold(h) for h in response.results[0].highlights if h in response.answer.text]
    spans = [(start, start + len(q)) for q in quoted if (start := text.find(q)) >= 0]
    for phrase in map(fold, phrases):
        at = text.find(phrase)
        if at >= 0 and any(start < at + len(phrase) and at < end for start, end in spans):
            return True
    return False


def phrases_found(texts: Sequence[str], phrases: tuple[str, ...]) -> int:
    """How many of the phrases occur in at least one of the texts, both folded."""
    folded = [fold(t) for t in texts]
    return sum(any(fold(p) in t for t in folded) for p in phrases)


class Works:
    """Which documents of an index are copies or editions of one another, so that one text
    counts once: a document is the same work as another when at least half of the smaller
    one's five-word runs are in the other. On the corpus index that joins the Kent cabinet
    minutes and their extract (0.95), the two dementia strategy editions (0.91) and the
    suicide prevention strategy and the web page quoting it (0.54); every other pair of
    documents shares under 0.35."""

    SHARE = 0.5

    def __init__(self, store: Store) -> None:
        self.store = store
        self._runs: dict[str, set[tuple[str, ...]]] = {}

    def count(self, sources: Sequence[str]) -> int:
        """How many distinct works the documents named are."""
        kept: list[str] = []
        for source in dict.fromkeys(sources):
            if not any(self._same(source, other) for other in kept):
                kept.append(source)
        return len(kept)

    def share(self, one: str, other: str) -> float:
        """The share of the smaller document's five-word runs that the other holds too."""
        a, b = self._runs_of(one), self._runs_of(other)
        return run_share(a, b) if len(a) <= len(b) else run_share(b, a)

    def _same(self, one: str, other: str) -> bool:
        return self.share(one, other) >= self.SHARE

    def _runs_of(self, source: str) -> set[tuple[str, ...]]:
        if source not in self._runs:
            passages = self.store.document_passages(source)
            self._runs[source] = set().union(*(word_runs(p.text) for p in passages))
        return self._runs[source]


def multi_recall(shown: Sequence[tuple[str, str]], question: Question, works: Works) -> float:
    """Of the documents a multi-document question needs (one per expected phrase), the share
    the shown (source, text) pairs answer from: distinct works with a passage holding one of
    its phrases, `expect` or judged `also`, so another council's judged answer counts as the
    foreseen one would, and one document's several passages, or its copies, count once."""
    answering = [source for source, text in shown if phrases_found([text], question.answers)]
    return min(works.count(answering), len(question.expect)) / len(question.expect)


@dataclass
class Scores:
    """The metrics of one method over one question set."""

    values: dict[str, float | None] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            **{k: (round(v, 4) if v is not None else None) for k, v in self.values.items()},
            "misses": self.misses,
        }


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def score_method(searcher: Searcher, questions: list[Question], method: Method) -> Scores:
    ranks: list[int | None] = []
    quoted: list[bool] = []  # of questions answered first: the answer quotes the answer
    recalls: list[float] = []
    abstained: list[bool] = []
    answered: list[bool] = []
    latencies: list[float] = []
    misses: list[str] = []
    works = Works(searcher.store)
    for question in questions:
        response = searcher.search(question.question, k=10, method=method)
        latencies.append(response.took_ms)
        if question.kind == "none":
            abstained.append(not response.answer.found)
            if response.answer.found:
                misses.append(question.id)
            continue
        answered.append(response.answer.found)
        if question.kind == "multi":
            shown = [(r.source, r.text) for r in response.results[:5]]
            recall = multi_recall(shown, question, works)
            recalls.append(recall)
            if recall < 1:
                misses.append(question.id)
            continue
        rank = first_hit(response, question.answers)
        ranks.append(rank)
        if rank == 1 and response.answer.found:
            quoted.append(quotes_answer(response, question.answers))
        if rank is None or rank > 5:
            misses.append(question.id)

    def hit(n: int) -> float | None:
        return _mean([1.0 if r is not None and r <= n else 0.0 for r in ranks])

    values = {
        "hit@1": hit(1),
        "hit@3": hit(3),
        "hit@5": hit(5),
        "mrr@10": _mean([1.0 / r if r is not None and r <= 10 else 0.0 for r in ranks]),
        "multi_recall@5": _mean(recalls),
        "abstain_ok": _mean([float(a) for a in abstained]),
        "answered_ok": _mean([float(a) for a in answered]),
        "quoted_ok": _mean([float(q) for q in quoted]),
        "p50_ms": float(np.percentile(latencies, 50)) if latencies else None,
        "p95_ms": float(np.percentile(latencies, 95)) if latencies else None,
    }
    return Scores(values, misses)


def evaluate(
    searcher: Searcher, questions: list[Question], methods: tuple[Method, ...] = METHODS
) -> dict[str, Scores]:
    """Every method on the same index and questions, in the same run."""
    for method in methods:
        searcher.search("warm up the models and caches", k=1, method=method)
    return {method: score_method(searcher, questions, method) for method in methods}
