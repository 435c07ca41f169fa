"""Reading alone, in this process and without the model: the whole time, the slowest files,
and cProfile's top functions, for finding where ingest's reading time goes.

    python scripts/read_profile.py .precedent/corpus-documents
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

from ingest.reader import Reading, list_library
from ingest.sidecar import load_sidecar


def main(root: Path) -> None:
    files = {path.relative_to(root).as_posix(): path for path in list_library(root)}
    seconds: dict[str, float] = {}
    profile = cProfile.Profile()
    started = last = time.perf_counter()
    profile.enable()
    for source, _ in Reading(files, root, load_sidecar(root)):
        now = time.perf_counter()
        seconds[source], last = now - last, now
    profile.disable()
    print(f"{len(files)} files read in {time.perf_counter() - started:.1f} s")
    for source, took in sorted(seconds.items(), key=lambda item: -item[1])[:8]:
        print(f"{took:6.2f} s  {source}")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
