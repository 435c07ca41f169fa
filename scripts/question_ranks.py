"""Each question's outcome with the engine as shipped: answered or "not found", the confidence,
and the rank of the first answering passage in the top 10 (single-answer questions). With
`--against` a second index, only the questions whose outcome differs between the two.

    python scripts/question_ranks.py .precedent/corpus-index eval/library.jsonl eval/wide.jsonl \
        --against .precedent/corpus-index-before
"""

from __future__ import annotations

import argparse
from pathlib import Path

from index.evaluate import first_hit, load_questions
from index.search import open_searcher
from index.settings import load_settings


def outcomes(index: Path, files: list[Path]) -> dict[str, tuple[bool, float, int | None]]:
    searcher = open_searcher(load_settings().with_overrides(index_dir=index))
    found = {}
    for path in files:
        for question in load_questions(path):
            response = searcher.search(question.question, k=10, method="hybrid+rerank")
            single = question.kind not in ("none", "multi")
            rank = first_hit(response, question.answers) if single else None
            found[question.id] = (response.answer.found, response.answer.confidence, rank)
    return found


def describe(outcome: tuple[bool, float, int | None]) -> str:
    answered, confidence, rank = outcome
    return f"{'answered' if answered else 'not found':>9} {confidence:5.2f} rank {rank or '-':>2}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--against", type=Path, help="a second index to compare with")
    args = parser.parse_args()
    now = outcomes(args.index, args.questions)
    before = outcomes(args.against, args.questions) if args.against else None
    for key, outcome in now.items():
        if before is None:
            print(f"{key:<5} {describe(outcome)}")
        elif (before[key][0], before[key][2]) != (outcome[0], outcome[2]):
            print(f"{key:<5} {describe(before[key])}  ->  {describe(outcome)}")


if __name__ == "__main__":
    main()
