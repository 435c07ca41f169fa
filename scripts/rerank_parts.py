"""Answer time over a questions file, with the re-rank stage split into its parts: the passages
scored whole, and what is scored after them (pairs, word pieces, ms): the windows of the best
passage, any further candidates the spread reads for other documents, and those
read before "not found"; then how many questions read that deeper look (their re-ranked passages all
under the threshold, the best a near miss), the first question, which loads the models and is
not timed, included; then each question whose re-ranked passages are all under the threshold, with
their best, the best score of what was read after them (windows, further and deeper candidates)
and whether it read deeper (`deeper_confidence=0` shows what every such question would find).

    python scripts/rerank_parts.py .precedent/corpus-index first40.jsonl
    python scripts/rerank_parts.py .precedent/corpus-index first40.jsonl rerank_depth=8 window_depth=1
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.search import open_searcher
from index.settings import load_settings


def main(index: str, questions_file: str, overrides: list[str]) -> None:
    lines = Path(questions_file).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    questions = [(r.get("id", str(i + 1)), r["question"]) for i, r in enumerate(records)]
    settings = load_settings()
    changes = dict(item.split("=", 1) for item in overrides)
    settings = replace(
        settings,
        index_dir=Path(index),
        **{name: type(getattr(settings, name))(value) for name, value in changes.items()},
    )
    searcher = open_searcher(settings)
    encoder = searcher.cross_encoder
    score = encoder.score
    calls: list[tuple[int, int, float]] = []  # (pairs, word pieces, ms) of each scoring call
    bests: list[float] = []  # the best score of each scoring call

    def timed(question: str, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        scores = score(question, texts)
        ms = (time.perf_counter() - started) * 1000
        pieces = sum(
            len(e.ids) for e in encoder.tokenizer.encode_batch([(question, t) for t in texts])
        )
        calls.append((len(texts), pieces, ms))
        bests.append(float(np.max(scores, initial=-np.inf)))
        return scores

    encoder.score = timed
    took, passages, rest = [], [], []
    under: list[tuple[str, float, float, bool]] = []  # (id, best re-ranked, best after, deeper)
    for number, (name, question) in enumerate(questions):
        calls.clear()
        bests.clear()
        started = time.perf_counter()
        searcher.search(question)
        if bests and bests[0] < settings.rerank_threshold:
            after = max(bests[1:], default=float("-inf"))
            under.append((name, bests[0], after, searcher.reads_deeper(bests[0])))
        if number == 0:
            continue  # it loads the models
        took.append((time.perf_counter() - started) * 1000)
        passages.append(calls[0])
        rest.append(np.sum(calls[1:], axis=0) if len(calls) > 1 else (0, 0, 0.0))
    print(
        f"{len(took)} answers: p50 {np.percentile(took, 50):.0f} ms, p95 {np.percentile(took, 95):.0f} ms"
    )
    for name, parts in (("passages", passages), ("windows, further", rest)):
        pairs, pieces, ms = np.mean(parts, axis=0)
        print(f"  {name}: {pairs:.1f} pairs, {pieces:.0f} word pieces, {ms:.0f} ms a question")
    deeper = sum(read for *_, read in under)  # reading deeper needs a best under the threshold
    print(f'  read deeper before "not found": {deeper} of {len(questions)} questions')
    if under:
        print("  under the threshold: best re-ranked, best after them, read deeper")
    for name, best, after, read in under:
        print(f"    {name:6s} {best:7.2f} {after:7.2f}  {'yes' if read else 'no'}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
