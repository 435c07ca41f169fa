"""Eight passage pairs scored by the bundled cross-encoder one after another on two threads,
one after another on one thread, and one per core at once on one thread each (as shipped),
with the check that every way gives the same scores.

    python scripts/rerank_threads.py
"""

from __future__ import annotations

import time

import numpy as np

from index.rerank import DEFAULT_RERANKER, OnnxCrossEncoder, bundled_folder

QUESTION = "How are district councils involved in prevention and improving health?"
PASSAGE = (
    "District councils hold many of the levers that shape health: housing, planning, leisure, "
    "environmental health and licensing. Their role in prevention is often overlooked. "
) * 6


def one_by_one(encoder: OnnxCrossEncoder, texts: list[str]) -> np.ndarray:
    return np.array(
        [
            encoder._score_one(e)
            for e in encoder.tokenizer.encode_batch([(QUESTION, t) for t in texts])
        ]
    )


def median_ms(run, repeats: int = 10) -> float:
    run()  # warm
    took = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        took.append((time.perf_counter() - started) * 1000)
    return float(np.median(took))


def main() -> None:
    import onnxruntime

    folder = bundled_folder(DEFAULT_RERANKER)
    shipped = OnnxCrossEncoder.load(folder, DEFAULT_RERANKER)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 0  # every core on each pair
    options.inter_op_num_threads = 1
    two = OnnxCrossEncoder(
        DEFAULT_RERANKER,
        onnxruntime.InferenceSession(str(folder / "model.onnx"), options),
        shipped.tokenizer,
        shipped.wants_token_types,
        shipped.pool,
    )
    texts = [PASSAGE[: 900 + 40 * i] for i in range(8)]
    print(
        f"8 pairs, one after another, every core on each: {median_ms(lambda: one_by_one(two, texts)):.0f} ms"
    )
    print(
        f"8 pairs, one after another, one thread:        {median_ms(lambda: one_by_one(shipped, texts)):.0f} ms"
    )
    print(
        f"8 pairs, one per core at once (shipped):       {median_ms(lambda: shipped.score(QUESTION, texts)):.0f} ms"
    )
    same = np.abs(one_by_one(two, texts) - shipped.score(QUESTION, texts)).max()
    print(f"largest score difference: {same:.2g}")


if __name__ == "__main__":
    main()
