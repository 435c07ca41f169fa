"""Write the passages to judge for a question file's `also` phrases: the pooled top 5 of every
method (the engine, hybrid, BM25, dense) for each single-answer question (or, with `--multi`,
each multi-document one), less those that already hold one of its phrases.

Usage:
    python eval/pool_for_judging.py eval/library.jsonl --index .precedent/corpus-index > pool.json

A person then reads each pooled passage beside the question and its expected passages; where
one answers the question as specifically on its own (for a multi-document question: gives its
document's own specific answer to it), a verbatim phrase of it goes into the question's `also`
list with the passage's document. Pooling every method's results, not the engine's alone,
keeps the judgments from favouring the engine.
"""

import argparse
import json
import sys
from pathlib import Path

from index.evaluate import METHODS, load_questions, phrases_found
from index.search import open_searcher
from index.settings import load_settings

POOL_DEPTH = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--multi", action="store_true", help="pool the multi-document questions")
    args = parser.parse_args()
    searcher = open_searcher(load_settings().with_overrides(index_dir=args.index))
    pool = []
    for question in load_questions(args.questions):
        if question.kind == "none" or (question.kind == "multi") != args.multi:
            continue
        pooled = {}
        for method in METHODS:
            for result in searcher.search(question.question, k=10, method=method).results:
                if result.rank <= POOL_DEPTH:
                    pooled.setdefault(result.passage_number, result)
        candidates = [
            {
                "passage": number,
                "title": result.title,
                "organisation": result.organisation,
                "source": result.source,
                "page": result.page,
                "section": result.section,
                "text": result.text,
            }
            for number, result in pooled.items()
            if not phrases_found([result.text], question.answers)
        ]
        pool.append(
            {
                "id": question.id,
                "question": question.question,
                "expect": list(question.expect),
                "also": list(question.also),
                "candidates": candidates,
            }
        )
    json.dump(pool, sys.stdout, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
