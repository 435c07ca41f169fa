"""Answer time from `precedent ask --batch` output (p50 and p95 of the whole answer and of each
stage), and the cross-encoder's cost per pair on an index's own passages.

    precedent ask --batch questions.jsonl --index .precedent/corpus-index > answers.jsonl
    python scripts/answer_latency.py answers.jsonl
    python scripts/answer_latency.py --pairs .precedent/corpus-index
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def answer_times(path: str) -> None:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    rows = rows[1:] if len(rows) > 1 else rows  # the first question also loads the models
    took = [r["took_ms"] for r in rows]
    print(f"{len(rows)} answers, method {rows[0].get('method')}")
    print(
        f"whole answer: p50 {np.percentile(took, 50):.0f} ms, p95 {np.percentile(took, 95):.0f} ms"
    )
    for stage in sorted({s for r in rows for s in r["timings_ms"]}):
        values = [r["timings_ms"].get(stage, 0.0) for r in rows]
        print(
            f"  {stage}: p50 {np.percentile(values, 50):.1f} ms, p95 {np.percentile(values, 95):.1f} ms"
        )


def pair_cost(index_dir: str, count: int = 60) -> None:
    """Question + title + passage pairs, one run each, as the re-ranking stage scores them."""
    from index.rerank import load_cross_encoder
    from index.settings import load_settings
    from index.store import open_store

    settings = load_settings().with_overrides(index_dir=Path(index_dir))
    store = open_store(settings.index_dir)
    encoder = load_cross_encoder(settings.rerank_model, cache_dir=settings.models_dir)
    question = "How are district councils involved in prevention?"
    step = max(1, len(store.passages) // count)
    texts = []
    for number in range(0, len(store.passages), step)[:count]:
        passage = store.passages[number]
        texts.append(f"{store.documents_by_source[passage.source].title}\n{passage.text}")
    encoder.score(question, texts[:2])
    started = time.perf_counter()
    encoder.score(question, texts)
    each = (time.perf_counter() - started) * 1000 / len(texts)
    tokens = np.mean([len(encoder.tokenizer.encode(question, t).ids) for t in texts])
    print(f"{len(texts)} pairs of {tokens:.0f} word pieces on average: {each:.1f} ms a pair")


if __name__ == "__main__":
    if sys.argv[1] == "--pairs":
        pair_cost(sys.argv[2])
    else:
        answer_times(sys.argv[1])
