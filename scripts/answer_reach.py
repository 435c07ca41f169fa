"""Where each missed answer stands: for every single-answer question whose answer is not in
the engine's top 5, each answering passage's rank in the fused, BM25 and dense orders and the
cross-encoder's score for it, with the place it would take among the engine's top 10 if it
were re-ranked. It tells a question the first stage does not reach from one the
cross-encoder would not put first anyway. The fused order is the engine's own, from each
retriever's best `candidates` (50), so "-" there means neither retriever's pool holds it;
BM25 and dense are ranked to 300.

    python scripts/answer_reach.py .precedent/corpus-index eval/library.jsonl eval/wide.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

from index.candidates import Filters
from index.evaluate import first_hit, load_questions, phrases_found
from index.search import open_searcher
from index.settings import load_settings

DEPTH = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    args = parser.parse_args()
    searcher = open_searcher(load_settings().with_overrides(index_dir=args.index))
    passages = searcher.store.passages
    print("question  passage  fused  bm25  dense  score  engine's best  would rank")
    for path in args.questions:
        for question in load_questions(path):
            if question.kind in ("none", "multi"):
                continue
            response = searcher.search(question.question, k=10)
            rank = first_hit(response, question.answers)
            if rank is not None and rank <= 5:
                continue
            answering = [
                n for n, p in enumerate(passages) if phrases_found([p.text], question.answers)
            ]
            if not answering:
                print(f"{question.id:<9} no passage holds an expected phrase")
                continue
            engine = searcher.retrieve(question.question, 1)  # the engine's own pools
            orders = {
                method: [
                    n
                    for n, _ in searcher.candidates.find(
                        question.question,
                        2 * engine.pool if method == "hybrid" else DEPTH,
                        Filters(),
                        method,
                        like=engine if method == "hybrid" else None,
                    ).top
                ]
                for method in ("hybrid", "bm25", "dense")
            }
            shown = [r.score for r in response.results]
            best = max(shown, default=float("nan"))
            for number, score in searcher.score(question.question, answering):
                places = [
                    str(order.index(number) + 1) if number in order else "-"
                    for order in orders.values()
                ]
                would = 1 + sum(s > score for s in shown)
                print(
                    f"{question.id:<9} {number:>7}  {places[0]:>5}  {places[1]:>4}  "
                    f"{places[2]:>5}  {score:5.2f}  {best:13.2f}  {would:>10}"
                )


if __name__ == "__main__":
    main()
