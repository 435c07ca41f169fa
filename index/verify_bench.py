"""What verifying checksums costs: at open (small files and headers) and in full (`check`)."""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from index.bench import _cached_synthetic_index
from index.checksums import verify_checksums
from index.settings import Settings
from index.store import live_generation, open_store

CPU_SAMPLE_MB = 256


@dataclass
class VerificationFigures:
    passages: int
    index_mb: float
    open_ms: float  # open_store in all, verification included
    verify_at_open_ms: float  # of which verification
    verified_at_open_mb: float
    check_s: float  # every byte, as `precedent check` reads it (page cache warm)
    check_mb_per_s: float
    crc32_cpu_mb_per_s: float  # zlib.crc32 over a buffer in memory: the CPU bound


def bench_verification(
    settings: Settings, passages: int, corpus: Path, cache: Path
) -> VerificationFigures:
    folder, _ = _cached_synthetic_index(settings, passages, corpus, cache)
    generation = folder / live_generation(folder)
    total = sum(path.stat().st_size for path in generation.rglob("*") if path.is_file())
    verify_checksums(generation, whole=True)  # warm the page cache, as an index in use is
    started = time.perf_counter()
    at_open = verify_checksums(generation, whole=False)
    verify_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    open_store(folder)
    open_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    whole = verify_checksums(generation, whole=True)
    check_s = time.perf_counter() - started
    assert at_open.intact and whole.intact
    buffer = bytes(CPU_SAMPLE_MB << 20)
    started = time.perf_counter()
    zlib.crc32(buffer)
    cpu_s = time.perf_counter() - started
    return VerificationFigures(
        passages=passages,
        index_mb=round(total / 1e6, 1),
        open_ms=round(open_ms, 1),
        verify_at_open_ms=round(verify_ms, 1),
        verified_at_open_mb=round(at_open.bytes_read / 1e6, 1),
        check_s=round(check_s, 2),
        check_mb_per_s=round(whole.bytes_read / 1e6 / check_s, 0),
        crc32_cpu_mb_per_s=round(CPU_SAMPLE_MB * 1.048576 / cpu_s, 0),
    )
