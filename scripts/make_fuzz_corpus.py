"""Write the fuzz set: hostile files made from real ones, deterministic for a seed.

    python scripts/make_fuzz_corpus.py OUT [--sources ../shared/corpus/library] [--seed 14] [--small]

Then `precedent bench --fuzz OUT` ingests it and prints files indexed, skipped by reason,
crashes, hangs, peak memory and time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ingest.fuzz import FULL, SMALL, make_fuzz_corpus

LIBRARY = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "library"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the hostile files into")
    parser.add_argument("--sources", type=Path, default=LIBRARY, help="real PDFs, DOCX and HTML")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--small", action="store_true", help="the small set the tests ingest")
    args = parser.parse_args()
    made = make_fuzz_corpus(args.sources, args.out, SMALL if args.small else FULL, args.seed)
    print(f"{len(made)} files in {args.out}")


if __name__ == "__main__":
    main()
