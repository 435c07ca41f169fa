"""Ingest a fuzz set (see `ingest/fuzz.py`) and count what a hostile library does to an ingest."""

from __future__ import annotations

import re
import resource
import shutil
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from index.build import build_index
from index.settings import Settings
from ingest.reader import list_library

HANG = "took longer than"
LOST_PROCESS = "the reading process"


@dataclass
class FuzzFigures:
    """One ingest of a fuzz set: crashes and hangs must be 0, memory bounded."""

    files: int
    indexed: int
    skipped: int
    skipped_by_reason: dict[str, int]
    crashes: int  # the ingest itself failed
    hangs: int  # files stopped by the per-file time limit
    reading_process_lost: int  # files whose reading process died (segfault, out of memory)
    seconds: float
    peak_rss_mb: float  # the ingest's own process, model included
    peak_reader_rss_mb: float  # the largest reading process, counting pages shared with its parent
    error: str | None = None


def bench_fuzz(settings: Settings, corpus: Path, work: Path) -> FuzzFigures:
    """Ingest `corpus` into a fresh index under `work`."""
    index_dir = work / "fuzz-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    settings = replace(settings, documents_dir=corpus, index_dir=index_dir)
    started = time.perf_counter()
    try:
        report = build_index(settings, progress=False)
    except Exception as error:  # noqa: BLE001  a crash is what this measures
        return _figures(corpus, started, error=f"{type(error).__name__}: {error}")
    reasons = Counter(_kind(skip.reason) for skip in report.skipped)
    return _figures(
        corpus,
        started,
        indexed=report.documents,
        reasons=dict(reasons.most_common()),
        hangs=sum(HANG in skip.reason for skip in report.skipped),
        lost=sum(skip.reason.startswith(LOST_PROCESS) for skip in report.skipped),
    )


def _figures(
    corpus: Path,
    started: float,
    indexed: int = 0,
    reasons: dict[str, int] | None = None,
    hangs: int = 0,
    lost: int = 0,
    error: str | None = None,
) -> FuzzFigures:
    reasons = reasons or {}
    return FuzzFigures(
        files=len(list_library(corpus)),
        indexed=indexed,
        skipped=sum(reasons.values()),
        skipped_by_reason=reasons,
        crashes=int(error is not None),
        hangs=hangs,
        reading_process_lost=lost,
        seconds=round(time.perf_counter() - started, 1),
        peak_rss_mb=_peak_mb(resource.RUSAGE_SELF),
        peak_reader_rss_mb=_peak_mb(resource.RUSAGE_CHILDREN),
        error=error,
    )


def _kind(reason: str) -> str:
    """The reason without its particulars: "not a valid PDF", "zip bomb", "nesting too deep"."""
    return re.split(r"[:(]", reason, maxsplit=1)[0].strip()


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports kilobytes
