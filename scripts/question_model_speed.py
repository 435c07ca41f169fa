"""PyTorch against the exact ONNX export of the embedding model, on the same texts: a batch of
the index's passages (what ingest embeds) and single questions (what a question embeds).

    python scripts/question_model_speed.py .precedent/corpus-index [--passages 512] [--rounds 2]

Backs BENCHMARKS.md's reason for encoding questions with the export and passages with PyTorch.
Needs an index built by `precedent ingest` (which leaves the export in the models folder).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.bench import QUESTIONS, embedded_texts
from index.embedder import configured_embedder, torch_threads
from index.settings import load_settings
from index.store import open_store


def seconds(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--passages", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    settings = replace(load_settings(), index_dir=args.index)
    embedder = configured_embedder(settings)
    export = embedder.questions
    if export is None:
        raise SystemExit(f"no question export beside {args.index}: run `precedent ingest` first")
    model = embedder.model
    texts = embedded_texts(embedder, open_store(args.index), settings)[: args.passages]
    size = embedder.batch_size
    for round_number in range(1, args.rounds + 1):
        torch_s = seconds(lambda: model.encode(texts, batch_size=size, normalize_embeddings=True))
        export_s = seconds(lambda: export.encode(texts, size, one_thread=False))
        print(
            f"round {round_number}: {len(texts)} passages, batches of {size}, every core: "
            f"PyTorch {torch_s:.1f} s, export {export_s:.1f} s"
        )
    with torch_threads(1):  # one thread each, as a question is encoded
        torch_ms = [
            1000 * seconds(lambda q=q: model.encode([q], normalize_embeddings=True))
            for q in QUESTIONS
        ]
    export_ms = [1000 * seconds(lambda q=q: embedder.encode_query(q)) for q in QUESTIONS]
    print(
        f"{len(QUESTIONS)} questions one at a time: PyTorch p50 {statistics.median(torch_ms):.1f} ms, "
        f"export (one thread) p50 {statistics.median(export_ms):.1f} ms"
    )
    same = np.abs(
        model.encode(texts[:32], normalize_embeddings=True) - export.encode(texts[:32], size, False)
    )
    print(f"largest difference on 32 passages: {same.max():.2g}")


if __name__ == "__main__":
    main()
