"""How many passages begin in the middle of a sentence (a lower-case first letter), over the
whole index and by document: what a member meets who reads a passage from its first word.

    python scripts/passage_starts.py .precedent/corpus-index
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from index.store import open_store

MID_SENTENCE = re.compile(r"\s*[a-z]")
SHOWN = 8  # documents listed, most such passages first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    args = parser.parse_args()
    passages = open_store(args.index).passages
    total, mid = Counter(), Counter()
    for passage in passages:
        total[passage.source] += 1
        mid[passage.source] += bool(MID_SENTENCE.match(passage.text))
    count = sum(mid.values())
    print(f"{count} of {len(passages)} passages begin mid-sentence ({count / len(passages):.1%})")
    for source, n in mid.most_common(SHOWN):
        print(f"  {n:4d} of {total[source]:4d}  {source}")


if __name__ == "__main__":
    main()
