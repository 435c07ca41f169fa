"""Int8 weights stored unsigned, so that every CPU computes an int8 model's products exactly.

An int8 ONNX export multiplies unsigned 8-bit activations by signed 8-bit weights
(`MatMulInteger`). On an x86 CPU with AVX2 but without VNNI (AMD Zen 3, most Intel before Ice
Lake) onnxruntime runs that product with an instruction that adds each pair of products in
16 bits, and pairs past 32,767 saturate: the same question and passage score differently from
one machine to another (BENCHMARKS.md, "The same scores on every processor": held-out hit@1
0.500 on such a machine against the 0.591 recorded on another, which the copy gives back).
Stored as unsigned weights with a zero point 128 higher, every product is the same number,
and onnxruntime's unsigned-by-unsigned kernel never saturates on any CPU.

The copy is written once beside the index (`onnx` takes about a second to import, too long
for every `precedent ask`) and used while the source files are unchanged. On a CPU whose signed
products are exact (one with VNNI, as measured) the wheel's own file runs instead: the same
scores, where onnxruntime's unsigned kernel took twice as long (BENCHMARKS.md). Which one a
machine has is tried once, on products that saturate where they can, and kept beside the copy.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections import Counter
from pathlib import Path

import numpy as np

from index.onnx_model import model_fingerprint, onnx_session, read_card, replace_file

FORMAT = 1
PROBE_FORMAT = 1
PROBE_CARD = "int8-products.json"
# What the probe multiplies: an activation row of each length the kernels may treat apart (one
# word piece, a few, a passage), by as many weights as the model's hidden size, all near the
# ends of their ranges so that a pair of products summed in 16 bits overflows.
PROBE_ROWS = (1, 7, 150)
PROBE_DEPTH, PROBE_COLUMNS = 384, 16


def exact_graph(source: Path, cache_dir: Path | None) -> Path | bytes:
    """The ONNX graph to run for the int8 model file `source` that gives the same scores on
    every CPU: `source` itself where this CPU computes its signed products exactly, else the
    unsigned copy (`unsigned_graph`)."""
    if signed_products_exact(cache_dir):
        return source
    return unsigned_graph(source, cache_dir)


def signed_products_exact(cache_dir: Path | None) -> bool:
    """Whether onnxruntime on this CPU multiplies uint8 activations by int8 weights exactly,
    tried once per processor and onnxruntime version and kept in `cache_dir`."""
    card_path = cache_dir / PROBE_CARD if cache_dir is not None else None
    card = read_card(card_path) if card_path is not None else {}
    machines = card.get("machines", {}) if card.get("format") == PROBE_FORMAT else {}
    key = _machine_key()
    if key in machines:
        return bool(machines[key])
    exact = _products_exact()
    if card_path is not None:
        record = {"format": PROBE_FORMAT, "machines": machines | {key: exact}}
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            replace_file(card_path, json.dumps(record, indent=1))
        except OSError:  # read-only or full: the next process tries again
            pass
    return exact


def _products_exact() -> bool:
    rng = np.random.default_rng(0)
    weights = rng.choice(
        np.array([-128, -127, -120, 120, 127], np.int8), (PROBE_DEPTH, PROBE_COLUMNS)
    )
    session = onnx_session(product_model(weights).SerializeToString(), 1)
    for rows in PROBE_ROWS:
        activations = rng.integers(240, 256, (rows, PROBE_DEPTH), dtype=np.uint8)
        exact = activations.astype(np.int64) @ weights.astype(np.int64)
        if not np.array_equal(session.run(None, {"a": activations})[0], exact):
            return False
    return True


def _machine_key() -> str:
    """What onnxruntime picks its int8 kernel by: the processor's features, and its version."""
    import onnxruntime

    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines()
        fields = ("model name", "flags", "Features", "CPU implementer", "CPU part")
        described = sorted({line for line in lines if line.split(":")[0].strip() in fields})
    except OSError:  # not Linux: the processor's name, and the machine, as far as Python knows
        described = [platform.processor(), platform.node()]
    text = "\n".join([onnxruntime.__version__, platform.machine(), *described])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def unsigned_graph(source: Path, cache_dir: Path | None) -> Path | bytes:
    """The unsigned copy of the model file `source`: kept in `cache_dir`, `source` itself when
    it has no signed weights, or the copy in memory when it cannot be kept."""
    if cache_dir is None:
        return _unsigned_bytes(source) or source
    stem = cache_dir / f"{source.parent.name}-{_folder_key(source.parent)}-unsigned"
    graph, card = Path(f"{stem}.onnx"), Path(f"{stem}.json")
    fingerprint = model_fingerprint(str(source.parent))
    kept = read_card(card)
    if kept.get("format") == FORMAT and kept.get("fingerprint") == fingerprint:
        if not kept.get("converted"):
            return source
        if graph.is_file():
            return graph
    unsigned = _unsigned_bytes(source)
    record = {"format": FORMAT, "source": str(source), "fingerprint": fingerprint}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        if unsigned:
            replace_file(graph, unsigned)
        replace_file(card, json.dumps(record | {"converted": bool(unsigned)}, indent=1))
    except OSError:  # a read-only or full models folder: the next process makes it again
        return unsigned or source
    return graph if unsigned else source


def unsigned_model(model: object) -> int:
    """Store each signed int8 weight of the model's `MatMulInteger` nodes (an `onnx.ModelProto`)
    as unsigned, with its zero point, in place; the count of weights changed. A tensor that any
    other node also reads is left as it is."""
    from onnx import TensorProto, numpy_helper

    tensors = {tensor.name: tensor for tensor in model.graph.initializer}
    readers = Counter(name for node in model.graph.node for name in node.input)
    by_weight: dict[str, list] = {}
    for node in model.graph.node:
        weight = node.input[1] if node.op_type == "MatMulInteger" else None
        if weight in tensors and tensors[weight].data_type == TensorProto.INT8:
            by_weight.setdefault(weight, []).append(node)
    changed = 0
    for weight, nodes in by_weight.items():
        points = {node.input[3] if len(node.input) > 3 else "" for node in nodes}
        point = points.pop() if len(points) == 1 else None
        if readers[weight] != len(nodes) or point is None:
            continue
        if point and (point not in tensors or readers[point] != len(nodes)):
            continue
        if not point:  # no zero point given: it is 0
            point = f"{weight}_zero_point"
            model.graph.initializer.append(numpy_helper.from_array(np.array(0, np.int8), point))
            tensors[point] = model.graph.initializer[-1]
            for node in nodes:
                node.input.extend([""] * (4 - len(node.input)))
                node.input[3] = point
        for name in (weight, point):
            values = numpy_helper.to_array(tensors[name]).astype(np.int16) + 128
            tensors[name].CopyFrom(numpy_helper.from_array(values.astype(np.uint8), name))
        changed += 1
    return changed


def product_model(weights: np.ndarray, zero_point: bool = True) -> object:
    """A one-node graph multiplying uint8 activations `a` by these int8 weights, as int8 exports
    do: what the tests and `scripts/int8_products.py` run to see a CPU's arithmetic."""
    from onnx import TensorProto, helper, numpy_helper

    inputs = ["a", "b", "a_zero", "b_zero"] if zero_point else ["a", "b"]
    tensors = [numpy_helper.from_array(weights.astype(np.int8), "b")]
    if zero_point:
        tensors += [
            numpy_helper.from_array(np.array(0, np.uint8), "a_zero"),
            numpy_helper.from_array(np.array(0, np.int8), "b_zero"),
        ]
    rows, columns = weights.shape
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", inputs, ["y"])],
        "product",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [None, rows])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, columns])],
        tensors,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # read by every onnxruntime this project allows
    return model


def _unsigned_bytes(source: Path) -> bytes | None:
    """The serialised unsigned copy of `source`, or None when it has no signed int8 weights."""
    import onnx

    model = onnx.load(str(source))
    return model.SerializeToString() if unsigned_model(model) else None


def _folder_key(folder: Path) -> str:
    """A short name for the folder a model file is in, so two models never share a copy."""
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
