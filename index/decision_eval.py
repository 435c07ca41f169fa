"""Measure the decisions register against a labelled set (eval/decisions.jsonl).

A labelled decision is found when a decision extracted from its document contains its phrase
(both folded: case, whitespace, quotes, dashes). Precision counts every extracted decision of
the index: one is right when it contains some labelled phrase of its document; decisions in
documents the set does not list are counted wrong, since the set claims to list every
decision of the library. Field accuracy is over found decisions. Extraction is timed again
here, on the indexed text of every document, so the figure is the rules' own cost per page.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from index.store import Store
from ingest.decisions import find_decisions
from ingest.document import Block, Decision, DocumentMetadata, ParsedDocument

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fold(text: str) -> str:
    text = text.translate(_QUOTES)
    text = re.sub(r"(?<=\w)-[ \t]*\n\s*", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass
class DecisionScores:
    labelled: int = 0
    extracted: int = 0
    found: int = 0
    correct_extracted: int = 0
    right: dict[str, int] = field(default_factory=dict)  # field -> found decisions right on it
    dated_labels: int = 0
    dated_right: int = 0
    pages: int = 0
    extraction_ms: float = 0.0
    missed: list[str] = field(default_factory=list)  # label ids
    wrong: list[str] = field(default_factory=list)  # "source: first words" of false positives
    field_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_extracted / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    def accuracy(self, name: str) -> float:
        return self.right.get(name, 0) / self.found if self.found else 0.0

    def as_dict(self) -> dict:
        figures = asdict(self)
        figures |= {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            **{f"{n}_accuracy": round(self.accuracy(n), 4) for n in FIELDS},
            "date_accuracy_where_stated": round(
                self.dated_right / self.dated_labels if self.dated_labels else 0.0, 4
            ),
            "ms_per_page": round(self.extraction_ms / self.pages, 3) if self.pages else 0.0,
        }
        return figures


FIELDS = ("body", "date", "item", "outcome", "page")


def load_labels(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate_decisions(store: Store, labels: list[dict]) -> DecisionScores:
    """The register of an index against the labels, and the rules' time per page on its text."""
    extracted = {
        PurePosixPath(d.source).name: store.document_decisions(d.source)
        for d in store.manifest.documents
    }
    scores = score_decisions(extracted, labels)
    _time_extraction(store, scores)
    return scores


def score_decisions(extracted: dict[str, list[Decision]], labels: list[dict]) -> DecisionScores:
    """Decisions extracted per document (by file name) against the labels."""
    scores = DecisionScores()
    wanted: dict[str, list[dict]] = {}
    for label in labels:
        wanted.setdefault(label["doc"], [])
        if label["kind"] == "decision":
            wanted[label["doc"]].append(label)
    scores.labelled = sum(len(rows) for rows in wanted.values())
    for name, decisions in sorted(extracted.items()):
        rows = wanted.get(name, [])
        scores.extracted += len(decisions)
        for decision in decisions:
            if any(fold(row["phrase"]) in fold(decision.text) for row in rows):
                scores.correct_extracted += 1
            else:
                scores.wrong.append(f"{name}: {decision.text[:70]}")
        for row in rows:
            match = next((d for d in decisions if fold(row["phrase"]) in fold(d.text)), None)
            if match is None:
                scores.missed.append(row["id"])
                continue
            scores.found += 1
            _score_fields(scores, row, match)
    scores.missed += [r["id"] for n, rows in wanted.items() if n not in extracted for r in rows]
    return scores


def _score_fields(scores: DecisionScores, row: dict, decision: Decision) -> None:
    checks = {
        "body": _same_body(row["body"], decision.body),
        "date": row["date"] == decision.date,
        "item": _same_item(row["item"], decision),
        "outcome": row["outcome"] == decision.outcome,
        "page": row["page"] == decision.page,
    }
    for name, right in checks.items():
        scores.right[name] = scores.right.get(name, 0) + right
        if not right:
            got = decision.item if name == "item" else getattr(decision, name)
            scores.field_errors.append(f"{row['id']} {name}: labelled {row[name]!r}, got {got!r}")
    if row["date"]:
        scores.dated_labels += 1
        scores.dated_right += checks["date"]


def _same_body(labelled: str | None, found: str | None) -> bool:
    def norm(body: str | None) -> str:
        return re.sub(r"^the\s+", "", (body or "").casefold()).strip()

    return norm(labelled) == norm(found)


def _same_item(labelled: str | None, decision: Decision) -> bool:
    if labelled is None:
        return decision.item_number is None and decision.item_title is None
    wanted = labelled.casefold()
    return wanted in {
        (decision.item_number or "").casefold(),
        (decision.item_title or "").casefold(),
    }


def _time_extraction(store: Store, scores: DecisionScores) -> None:
    """Run the rules again on every indexed document's text, as ingest runs them."""
    for record in store.manifest.documents:
        stored = store.document_text(record.source)
        blocks = [Block(stored.text[s:e], page, section) for s, e, page, section in stored.blocks]
        metadata = DocumentMetadata(record.title, record.organisation, record.doc_type, record.date)
        document = ParsedDocument(record.source, metadata, blocks, record.pages)
        started = time.perf_counter()
        find_decisions(document)
        scores.extraction_ms += (time.perf_counter() - started) * 1000
        scores.pages += record.pages or 1
