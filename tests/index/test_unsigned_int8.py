"""Int8 weights stored unsigned: the same products on every CPU, kept once beside the index."""

from __future__ import annotations

import os

import numpy as np
import onnx
import pytest
from onnx import TensorProto

from index.onnx_model import onnx_session
from index.rerank import DEFAULT_RERANKER, OnnxCrossEncoder, bundled_folder
from index.unsigned_int8 import exact_graph, product_model, unsigned_model

DEPTH = 64  # products summed per output: pairs of 255 x 127 overflow a 16-bit sum


def product_graph(folder, weights: np.ndarray, zero_point: bool = True):
    """A model file multiplying uint8 activations by int8 weights, as int8 exports do."""
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(product_model(weights, zero_point), str(folder / "model.onnx"))
    return folder / "model.onnx"


def run(graph, activations: np.ndarray) -> np.ndarray:
    return onnx_session(graph, 1).run(None, {"a": activations})[0]


@pytest.mark.parametrize("zero_point", [True, False])
def test_the_unsigned_copy_gives_the_exact_integer_products(tmp_path, zero_point):
    """Large activations times large weights: the sums a CPU without VNNI would saturate."""
    rng = np.random.default_rng(7)
    weights = rng.integers(100, 128, (DEPTH, 8)).astype(np.int8) * rng.choice([-1, 1], (DEPTH, 8))
    weights = weights.astype(np.int8)
    activations = rng.integers(200, 256, (3, DEPTH)).astype(np.uint8)
    source = product_graph(tmp_path / "model", weights, zero_point)
    exact = activations.astype(np.int64) @ weights.astype(np.int64)

    copy = exact_graph(source, None)

    assert isinstance(copy, bytes)
    assert np.array_equal(run(copy, activations), exact)


def test_the_copy_is_kept_beside_the_index_and_reused_until_the_model_changes(tmp_path):
    source = product_graph(tmp_path / "model", np.full((DEPTH, 4), 127, np.int8))
    models = tmp_path / "models"

    kept = exact_graph(source, models)
    assert kept.parent == models and kept.is_file()
    written = kept.stat().st_mtime_ns
    assert exact_graph(source, models) == kept and kept.stat().st_mtime_ns == written

    product_graph(tmp_path / "model", np.full((DEPTH, 4), -127, np.int8))
    os.utime(source, ns=(written + 10**9, written + 10**9))  # a later file, whatever the clock
    assert exact_graph(source, models) == kept
    ones = np.full((1, DEPTH), 255, np.uint8)
    assert np.array_equal(run(kept, ones), np.full((1, 4), -127 * 255 * DEPTH))


def test_a_models_folder_that_cannot_be_written_still_gives_the_exact_copy(tmp_path):
    source = product_graph(tmp_path / "model", np.full((DEPTH, 4), 127, np.int8))
    blocked = tmp_path / "models"
    blocked.write_text("a file where the models folder should be")

    copy = exact_graph(source, blocked)

    assert isinstance(copy, bytes)
    ones = np.full((1, DEPTH), 255, np.uint8)
    assert np.array_equal(run(copy, ones), np.full((1, 4), 127 * 255 * DEPTH))


def test_a_model_without_signed_weights_is_used_as_it_is(tmp_path):
    source = product_graph(tmp_path / "model", np.full((DEPTH, 4), 3, np.int8))
    model = onnx.load(str(source))
    assert unsigned_model(model) == 1
    onnx.save(model, str(source))  # now unsigned already

    assert exact_graph(source, tmp_path / "models") == source
    assert exact_graph(source, tmp_path / "models") == source


def test_the_bundled_cross_encoder_runs_from_its_unsigned_copy(tmp_path):
    folder = bundled_folder(DEFAULT_RERANKER)
    kept = exact_graph(folder / "model.onnx", tmp_path)
    weights = {t.name: t.data_type for t in onnx.load(str(kept)).graph.initializer}
    assert TensorProto.INT8 not in set(weights.values())

    encoder = OnnxCrossEncoder.load(folder, DEFAULT_RERANKER, 1, tmp_path)
    relevant, irrelevant = encoder.score(
        "How many people live in Berlin?",
        [
            "Berlin has a population of 3,520,031 registered inhabitants in 891.82 square km.",
            "New York City is famous for the Metropolitan Museum of Art.",
        ],
    )
    assert relevant > 5 and irrelevant < 0
