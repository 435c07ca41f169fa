"""How many passages of each file type carry a section (the heading they sit under), and in how
many documents: what a citation can name besides the page.

    python scripts/sections.py .precedent/corpus-index
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path, PurePosixPath

from index.search import open_searcher
from index.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    args = parser.parse_args()
    store = open_searcher(load_settings().with_overrides(index_dir=args.index)).store
    passages, with_section = Counter(), Counter()
    documents: dict[str, set[str]] = {}
    sectioned: dict[str, set[str]] = {}
    for passage in store.passages:
        kind = PurePosixPath(passage.source).suffix.lower() or "(none)"
        passages[kind] += 1
        documents.setdefault(kind, set()).add(passage.source)
        if passage.section:
            with_section[kind] += 1
            sectioned.setdefault(kind, set()).add(passage.source)
    print("type    passages  with a section   documents  with a section")
    for kind in sorted(passages):
        print(
            f"{kind:<7} {passages[kind]:>8}  {with_section[kind]:>14}   "
            f"{len(documents[kind]):>9}  {len(sectioned.get(kind, ())):>14}"
        )


if __name__ == "__main__":
    main()
