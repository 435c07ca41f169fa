"""How often an answer shows the same text twice: pairs of results in each question's top k
that share at least `--share` of the smaller one's five-word runs (the runs the engine's
copy rule compares), and how many of those are one passage all but inside the other.
With `--documents`, the pairs of indexed documents that share that much instead (what the
eval's `Works` counts as one document at 0.5).

    python scripts/repeated_text.py .precedent/corpus-index eval/library.jsonl eval/wide.jsonl ../shared/eval/dev.jsonl
    PRECEDENT_DUPLICATE_OVERLAP=0 python scripts/repeated_text.py ...   # the copy rule off
    python scripts/repeated_text.py .precedent/corpus-index --documents --share 0.05
"""

from __future__ import annotations

import argparse
from itertools import combinations
from pathlib import Path

from index.candidates import run_share, word_runs
from index.evaluate import Works, load_questions
from index.search import open_searcher
from index.settings import load_settings

INSIDE = 0.8  # the default duplicate_overlap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path, nargs="*")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--share", type=float, default=0.3)
    parser.add_argument("--documents", action="store_true", help="compare indexed documents")
    args = parser.parse_args()
    searcher = open_searcher(load_settings().with_overrides(index_dir=args.index))
    if args.documents:
        works = Works(searcher.store)
        sources = [d.source for d in searcher.store.manifest.documents]
        for one, other in combinations(sources, 2):
            if (share := works.share(one, other)) >= args.share:
                print(f"{share:.3f}  {one}  |  {other}")
        return
    asked = with_repeats = pairs = inside = 0
    for path in args.questions:
        for question in load_questions(path):
            asked += 1
            results = searcher.search(question.question, k=args.k).results
            shared = []
            for (a, runs_a), (b, runs_b) in combinations(
                ((r, word_runs(r.text)) for r in results), 2
            ):
                smaller, larger = sorted((runs_a, runs_b), key=len)
                share = run_share(smaller, larger)
                if share >= args.share:
                    shared.append(f"{a.rank}~{b.rank} {share:.2f}")
                    inside += share >= INSIDE
            if shared:
                with_repeats += 1
                pairs += len(shared)
                print(f"{question.id:<5} {', '.join(shared)}")
    print(
        f"{with_repeats} of {asked} questions show a repeat in their top {args.k}: {pairs} pairs, "
        f"{inside} of them one passage (at least {INSIDE:.0%}) inside the other"
    )


if __name__ == "__main__":
    main()
