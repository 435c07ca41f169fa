"""What finding decisions adds to reading: every file of a folder read as ingest reads it.

Usage: python scripts/bench_decision_reading.py FOLDER [FOLDER ...]
Prints reading time (parse + metadata + decisions), the part spent finding decisions, and
both per page. Reading runs in ingest's worker process beside embedding, so the decision
time is the most it can add to an ingest's wall time.
"""

import json
import logging
import sys
import time
from pathlib import Path

from ingest.document import UnreadableDocument
from ingest.reader import list_library, read_document
from ingest.sidecar import load_sidecar


def main(folders: list[str]) -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    read = found = 0.0
    pages = documents = decisions = 0
    for folder in map(Path, folders):
        sidecar = load_sidecar(folder)
        for path in list_library(folder):
            source = path.relative_to(folder).as_posix()
            started = time.perf_counter()
            try:
                document = read_document(path, folder, sidecar.get(source))
            except UnreadableDocument:
                continue
            read += time.perf_counter() - started
            found += document.decision_seconds
            pages += document.pages or 1
            documents += 1
            decisions += len(document.decisions)
    print(
        json.dumps(
            {
                "documents": documents,
                "pages": pages,
                "decisions": decisions,
                "read_seconds": round(read, 3),
                "decision_seconds": round(found, 3),
                "decision_share_of_reading": round(found / read, 4) if read else 0.0,
                "read_ms_per_page": round(1000 * read / pages, 2),
                "decision_ms_per_page": round(1000 * found / pages, 3),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
