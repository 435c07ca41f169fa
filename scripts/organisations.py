"""The organisation (and title) ingest infers for each file of a folder, sidecar ignored: run it
at two commits and diff the outputs to see which labels a change of `ingest/metadata.py` moves.

    python scripts/organisations.py .precedent/corpus-documents > after.txt
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ingest.document import UnreadableDocument
from ingest.reader import list_library, read_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    root = parser.parse_args().folder
    for path in list_library(root):
        source = path.relative_to(root).as_posix()
        try:
            metadata = read_document(path, root).metadata
        except UnreadableDocument as err:
            print(f"{source}\tskipped: {err.reason}")
            continue
        print(f"{source}\t{metadata.organisation}\t{metadata.title}")


if __name__ == "__main__":
    main()
