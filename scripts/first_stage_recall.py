"""How often the first stage (BM25 and vectors, fused) finds an answer at all: the ceiling of
what re-ranking can put first, since the cross-encoder reads only the fused top `rerank_depth`.

For each questions file and each N asked: the share of single-answer questions with an
answering passage (`expect` or `also`) among the first N candidates, and multi-document
recall there (the share of needed documents that answer, as `precedent eval` counts it).
Settings are read as the engine reads them, so fusion can be varied through the environment
(PRECEDENT_RRF_K=40, PRECEDENT_DENSE_WEIGHT=1.25, ...).

    python scripts/first_stage_recall.py .precedent/corpus-index eval/library.jsonl eval/wide.jsonl --depth 10 20 30
"""

from __future__ import annotations

import argparse
from pathlib import Path

from index.candidates import Filters
from index.evaluate import Works, load_questions, multi_recall, phrases_found
from index.search import open_searcher
from index.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--depth", type=int, nargs="+", default=[10, 20, 30])
    args = parser.parse_args()
    searcher = open_searcher(load_settings().with_overrides(index_dir=args.index))
    passages = searcher.store.passages
    works = Works(searcher.store)
    deepest = max(args.depth)
    print("file                 depth  single recall  multi recall")
    for path in args.questions:
        singles: dict[int, list[bool]] = {d: [] for d in args.depth}
        multis: dict[int, list[float]] = {d: [] for d in args.depth}
        for question in load_questions(path):
            if question.kind == "none":
                continue
            found = searcher.candidates.find(question.question, deepest, Filters(), "hybrid")
            shown = [(passages[n].source, passages[n].text) for n, _ in found.top]
            for depth in args.depth:
                if question.kind == "multi":
                    multis[depth].append(multi_recall(shown[:depth], question, works))
                else:
                    texts = [text for _, text in shown[:depth]]
                    singles[depth].append(phrases_found(texts, question.answers) > 0)
        for depth in args.depth:
            single = sum(singles[depth]) / len(singles[depth]) if singles[depth] else float("nan")
            multi = sum(multis[depth]) / len(multis[depth]) if multis[depth] else float("nan")
            print(f"{path.name:<20} {depth:>5}  {single:>13.3f}  {multi:>12.3f}")


if __name__ == "__main__":
    main()
