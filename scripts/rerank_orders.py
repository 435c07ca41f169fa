"""Other ways to order the ten re-ranked candidates, scored on the same cross-encoder scores.

For each single-answer question, the fused top `rerank_depth` are scored once by the
cross-encoder (as re-ranking reads them: title, section, passage), then ordered by:
- the cross-encoder alone (the engine, without the spread and the copy rule);
- that score plus w times the passage's cosine similarity to the question, or its z-score
  among the ten;
- the cross-encoder, but a passage goes before one of its own document scored up to delta
  logits higher when the fused order had it first;
- the cross-encoder over the fused first d only, the rest left in fused order: what a
  shallower `rerank_depth` would give.
Each prints hit@1 / hit@5 / MRR@10 per file, then how the first-place misses of the
cross-encoder's own order split: another passage of the answering document first, another
document first, or no answer among the ten. `--read` sets how the cross-encoder reads the
question: with the expansion of each acronym it writes after it (the engine's way), as
typed, or with each acronym replaced by its expansion.

    python scripts/rerank_orders.py .precedent/corpus-index eval/library.jsonl eval/wide.jsonl
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.candidates import Filters
from index.evaluate import load_questions, phrases_found
from index.glossary import Glossary
from index.rerank import score_passages
from index.search import open_searcher
from index.settings import load_settings


@dataclass
class Scored:
    """One question's candidates in fused order."""

    sources: list[str]
    cosines: np.ndarray
    scores: np.ndarray  # the cross-encoder's
    answers: list[bool]


Order = Callable[[Scored], list[int]]


def by_blend(weight: float, standardise: bool) -> Order:
    def order(item: Scored) -> list[int]:
        cosines = item.cosines
        if standardise:
            cosines = (cosines - cosines.mean()) / (cosines.std() or 1.0)
        return list(np.argsort(-(item.scores + weight * cosines), kind="stable"))

    return order


def by_fused_within_document(delta: float) -> Order:
    def order(item: Scored) -> list[int]:
        ranked = list(np.argsort(-item.scores, kind="stable"))
        swapped = True
        while swapped:
            swapped = False
            for a in range(len(ranked)):
                for b in range(a + 1, len(ranked)):
                    i, j = ranked[a], ranked[b]
                    same = item.sources[i] == item.sources[j]
                    if same and j < i and item.scores[i] - item.scores[j] < delta:
                        ranked[a], ranked[b] = j, i
                        swapped = True
        return ranked

    return order


def by_depth(depth: int) -> Order:
    def order(item: Scored) -> list[int]:
        head = sorted(range(min(depth, len(item.scores))), key=lambda i: -item.scores[i])
        return head + list(range(len(head), len(item.scores)))

    return order


def figures(items: list[Scored], order: Order) -> str:
    ranks = []
    for item in items:
        hits = [place for place, i in enumerate(order(item), start=1) if item.answers[i]]
        ranks.append(hits[0] if hits else None)
    hit1 = sum(r == 1 for r in ranks) / len(ranks)
    hit5 = sum(r is not None and r <= 5 for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return f"{hit1:.3f} / {hit5:.3f} / {mrr:.3f}"


def first_place_misses(items: list[Scored]) -> str:
    same = other = unreached = 0
    for item in items:
        first = int(np.argmax(item.scores))
        if item.answers[first]:
            continue
        answering = {s for s, a in zip(item.sources, item.answers) if a}
        if not answering:
            unreached += 1
        elif item.sources[first] in answering:
            same += 1
        else:
            other += 1
    return f"same document {same}, another document {other}, no answer in reach {unreached}"


def replaced(glossary: Glossary, question: str) -> str:
    """The question with the first written form of each acronym replaced by its expansion."""
    for term in glossary.terms:
        match = term.written_in(question)
        if match and term.expansion.lower() not in question.lower():
            question = question[: match.start()] + term.expansion + question[match.end() :]
    return question


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument(
        "--read", choices=("spelled-out", "typed", "replaced"), default="spelled-out"
    )
    args = parser.parse_args()
    searcher = open_searcher(load_settings().with_overrides(index_dir=args.index))
    glossary = searcher.candidates.glossary
    read = {
        "spelled-out": glossary.spelled_out,
        "typed": lambda question: question,
        "replaced": lambda question: replaced(glossary, question),
    }[args.read]
    passages = searcher.store.passages
    orders: dict[str, Order] = {"cross-encoder": by_blend(0.0, False)}
    orders |= {f"+ {w:g}·cosine": by_blend(w, False) for w in (2, 5, 10, 20)}
    orders |= {f"+ {w:g}·z(cosine)": by_blend(w, True) for w in (0.5, 1, 2)}
    orders |= {f"fused within document, δ {d:g}": by_fused_within_document(d) for d in (0.5, 1)}
    depth = searcher.settings.rerank_depth
    orders |= {f"cross-encoder over the first {d}": by_depth(d) for d in range(5, depth)}
    scored: dict[Path, list[Scored]] = {}
    for path in args.questions:
        scored[path] = []
        for question in load_questions(path):
            if question.kind in ("none", "multi"):
                continue
            found = searcher.retrieve(question.question, searcher.settings.rerank_depth, Filters())
            numbers = [n for n, _ in found.top]
            text = read(question.question)
            score = dict(score_passages(searcher.cross_encoder, text, searcher.readable(numbers)))
            scored[path].append(
                Scored(
                    [passages[n].source for n in numbers],
                    found.similarities,
                    np.array([score[n] for n in numbers]),
                    [bool(phrases_found([passages[n].text], question.answers)) for n in numbers],
                )
            )
    print("order\t" + "\t".join(path.name for path in scored))
    for name, order in orders.items():
        print(name + "\t" + "\t".join(figures(items, order) for items in scored.values()))
    for path, items in scored.items():
        print(f"{path.name}: first places missed: {first_place_misses(items)}")


if __name__ == "__main__":
    main()
