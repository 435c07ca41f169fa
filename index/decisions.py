"""The decisions register, queried: filtered and listed newest first, or ranked against a query.

Ranking is the engine `ask` uses, run over decision texts rather than passages: the question
widened with the glossary, dense similarity from the same model, BM25 over the same tokens,
fused by reciprocal rank with the same weights. Decision texts are embedded when the register
is first ranked in a process (`DecisionIndex`), not at ingest: a library's register is small
(47 decisions in the development corpus, embedded in well under a second), the register then
needs no second vector store kept in step with the passages, and the app keeps one
`DecisionIndex` per index generation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from index.candidates import fuse_ranks
from index.keyword import KeywordIndex
from index.search import Filters, Searcher
from index.store import Store
from ingest.document import Decision

# Questions about what was decided: they get the matching decisions above the passages.
_DECISION_QUESTION = re.compile(
    r"\b(?:decid|decision|resolv|resolution|agree|approv|endors|adopt|delegat|vot(?:e|ed|ing)\b|"
    r"motion|rejected|deferred)",
    re.IGNORECASE,
)


_ASKED_OUTCOMES = [
    (re.compile(r"\bdelegat", re.IGNORECASE), "delegated"),
    (re.compile(r"\b(?:approv|adopt|ratif)", re.IGNORECASE), "approved"),
    (re.compile(r"\bendors", re.IGNORECASE), "endorsed"),
    (re.compile(r"\bnot(?:ed|e)\b", re.IGNORECASE), "noted"),
    (re.compile(r"\b(?:reject|refus|turned down)", re.IGNORECASE), "rejected"),
    (re.compile(r"\b(?:defer|postpon)", re.IGNORECASE), "deferred"),
    (re.compile(r"\bcarried\b", re.IGNORECASE), "carried"),
    (re.compile(r"\b(?:lost|defeated|voted down)\b", re.IGNORECASE), "lost"),
]


def asked_outcomes(query: str) -> set[str]:
    """The outcomes a query names: "has any council delegated ..." asks for delegations."""
    return {outcome for pattern, outcome in _ASKED_OUTCOMES if pattern.search(query)}


def asks_about_decisions(question: str) -> bool:
    """Whether a question asks what was decided, resolved, agreed or approved."""
    return bool(_DECISION_QUESTION.search(question))


@dataclass(frozen=True)
class FoundDecision:
    """A decision as a listing shows it, with its relevance when ranked against a query."""

    decision: Decision
    score: float | None = None
    similarity: float | None = None

    def to_dict(self) -> dict:
        d = self.decision
        return {
            "body": d.body,
            "organisation": d.organisation,
            "date": d.date,
            "item": d.item,
            "outcome": d.outcome,
            "text": d.text,
            "source": d.source,
            "page": d.page,
            "score": None if self.score is None else round(self.score, 4),
            "votes": d.votes,
            "uncertain": d.uncertain,
            "char_start": d.char_start,
            "char_end": d.char_end,
        }


def admitted(store: Store, filters: Filters, outcomes: tuple[str, ...] = ()) -> list[Decision]:
    """The register's decisions that pass `ask`'s filters (on the decision's own date and
    organisation) and, if given, have one of `outcomes`."""
    records = store.documents_by_source
    wanted = {o.casefold() for o in outcomes}
    return [
        d
        for d in store.decisions
        if (not wanted or d.outcome in wanted)
        and d.source in records
        and filters.admits(replace(records[d.source], date=d.date, organisation=d.organisation))
    ]


def newest_first(decisions: list[Decision]) -> list[FoundDecision]:
    """Dated decisions newest first, then undated ones; each meeting's in minute order."""
    dated = sorted(
        (d for d in decisions if d.date), key=lambda d: (d.date, d.source, -d.char_start)
    )
    ordered = [*reversed(dated), *sorted((d for d in decisions if not d.date), key=_place)]
    return [FoundDecision(d) for d in ordered]


def _place(decision: Decision) -> tuple[str, int]:
    return decision.source, decision.char_start


class DecisionIndex:
    """Decision texts embedded and keyword-indexed once, for ranking them against queries."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.decisions = list(searcher.store.decisions)
        texts = [_ranked_text(d) for d in self.decisions]
        # Short texts, a few dozen to a few hundred: encoded as a question's sentences are, so
        # that a question about decisions does not load PyTorch (index/onnx_model.py).
        self.vectors = (
            searcher.embedder.encode_sentences(texts)
            if texts
            else np.empty((0, searcher.embedder.dimension), dtype=np.float32)
        )
        self.keyword = KeywordIndex.build(texts)
        self.position = {(d.source, d.char_start): n for n, d in enumerate(self.decisions)}

    def rank(
        self, query: str, among: list[Decision], k: int = 10, relevant_only: bool = False
    ) -> list[FoundDecision]:
        """The best k of `among` for `query`. With `relevant_only`, only decisions as similar to
        the query as an answering passage must be (`min_similarity`), or sharing its keywords."""
        settings = self.searcher.settings
        rows = np.array([self.position[(d.source, d.char_start)] for d in among], dtype=np.int64)
        if not len(rows):
            return []
        widened = (
            self.searcher.candidates.glossary.widen(query) if settings.expand_acronyms else query
        )
        similarity = self.vectors[rows] @ self.searcher.embedder.encode_query(widened)
        keyword = self.keyword.scores(widened)[rows]
        dense = [(int(i), 0.0) for i in np.argsort(-similarity, kind="stable")]
        by_keyword = [(int(i), 0.0) for i in np.argsort(-keyword, kind="stable") if keyword[i] > 0]
        scores = fuse_ranks(
            [(settings.dense_weight, dense), (settings.bm25_weight, by_keyword)], settings.rrf_k
        )
        fused = np.array([scores.get(i, 0.0) for i in range(len(rows))])
        asked = asked_outcomes(query)
        if asked:
            named = np.array([d.outcome in asked for d in among])
            fused *= np.where(named, 1 + settings.decision_outcome_boost, 1.0)
        # "What did the Leicester board resolve?": the organisation is the topic, as in `ask`.
        organisations = self.searcher.candidates.mentions.find(query).organisations
        of_named = np.array([d.organisation in organisations for d in among], dtype=bool)
        fused *= np.where(of_named, 1 + settings.mention_boost, 1.0)
        keep = np.ones(len(rows), dtype=bool)
        if relevant_only:
            floor = settings.min_similarity
            keep = (similarity >= floor) | ((keyword > 0) & (similarity >= floor / 2)) | of_named
        best = [i for i in np.argsort(-fused, kind="stable") if keep[i]][:k]
        return [FoundDecision(among[i], float(fused[i]), float(similarity[i])) for i in best]


def _ranked_text(decision: Decision) -> str:
    """What a decision is matched on: its wording, with its agenda item as context. Not its
    body: "cabinet" or "board" in a question names who decided, which the filters handle."""
    title = decision.item_title
    return f"{title}\n{decision.text}" if title else decision.text


def decision_filters(
    org: list[str] | None, since: str | None, until: str | None, doc: list[str] | None = None
) -> Filters:
    return Filters(tuple(org or ()), (), tuple(doc or ()), since, until)


def as_dicts(found: list[FoundDecision]) -> list[dict]:
    return [f.to_dict() for f in found]
