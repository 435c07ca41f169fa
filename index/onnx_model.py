"""The embedding model's transformer run by onnxruntime, from an ONNX export made here once.

Two exports of the loaded PyTorch model, kept in the models folder beside the index:
- int8 weights, for the onnx-int8 backend: close to PyTorch's vectors but not the same, so an
  index records that backend and never mixes the two;
- the exact fp32 graph, for questions: it is kept only if it gives PyTorch's vectors to within
  `TOLERANCE`, and loading it imports neither PyTorch nor sentence-transformers, which were
  about ten seconds of every `precedent ask` (BENCHMARKS.md).
Nothing here downloads anything.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

TOLERANCE = 1e-4  # largest difference from PyTorch's vector, per coordinate, an export may make
QUESTION_EXPORT_FORMAT = 1
# Texts the fp32 export is checked on before it is kept: a question, an acronym, a passage.
CHECK_TEXTS = (
    "How are district councils involved in prevention?",
    "BCF",
    (
        "The Board approved the Joint Health and Wellbeing Strategy 2022-2027 and asked officers "
        "to report progress on the Better Care Fund and the s75 agreement to its next meeting."
    ),
)


def onnx_session(graph: Path | bytes, threads: int) -> object:
    """An onnxruntime session on the CPU for a graph file or a serialised graph; `threads` 0
    lets it use every core."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    model = graph if isinstance(graph, bytes) else str(graph)
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


@dataclass
class OnnxModel:
    """The transformer under onnxruntime, mean-pooled and normalised as the sentence-transformers
    model is (the fp32 export is checked against it before it is kept)."""

    path: Path
    tokenizer: Tokenizer  # cuts at the model's window, pads each batch to its longest text
    dimension: int
    max_tokens: int

    @cached_property
    def session(self) -> object:
        """On every core, for batches; made on first use (a question never needs it)."""
        return onnx_session(self.path, 0)

    @cached_property
    def single(self) -> object:
        """On one thread (see Embedder.encode_query)."""
        return onnx_session(self.path, 1)

    def encode(self, texts: list[str], batch_size: int, one_thread: bool) -> np.ndarray:
        session = self.single if one_thread else self.session
        inputs = [i.name for i in session.get_inputs()]
        order = np.argsort([-len(t) for t in texts], kind="stable")
        by_length = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            encodings = self.tokenizer.encode_batch(
                [texts[i] for i in order[start : start + batch_size]]
            )
            columns = {
                "input_ids": [e.ids for e in encodings],
                "attention_mask": [e.attention_mask for e in encodings],
                "token_type_ids": [e.type_ids for e in encodings],
            }
            feed = {name: np.array(columns[name], dtype=np.int64) for name in inputs}
            hidden = session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            by_length[start : start + len(encodings)] = pooled / np.linalg.norm(
                pooled, axis=1, keepdims=True
            )
        vectors = np.empty_like(by_length)
        vectors[order] = by_length
        return vectors


def model_tokenizer(model: SentenceTransformer) -> Tokenizer:
    """A private copy of the model's fast tokenizer, cutting at its window and padding per batch
    (the model's own instance is reconfigured by transformers on every call)."""
    from tokenizers import Tokenizer

    hf = model.tokenizer
    tokenizer = Tokenizer.from_str(hf.backend_tokenizer.to_str())
    tokenizer.enable_truncation(max_length=int(model.max_seq_length))
    tokenizer.enable_padding(pad_id=int(hf.pad_token_id or 0), pad_token=str(hf.pad_token))
    return tokenizer


def onnx_for(model: SentenceTransformer, path: Path) -> OnnxModel:
    """`OnnxModel` of an export of `model`, with the model's tokenizer and sizes."""
    return OnnxModel(
        path,
        model_tokenizer(model),
        int(model.get_embedding_dimension()),
        int(model.max_seq_length),
    )


def export_graph(model: SentenceTransformer, target: Path) -> None:
    """The model's transformer, fp32, as an ONNX file with dynamic batch and length."""
    import torch

    class HiddenStates(torch.nn.Module):
        """The transformer with positional inputs and one output, as the ONNX exporter needs."""

        def __init__(self, inner: torch.nn.Module, names: list[str]) -> None:
            super().__init__()
            self.inner, self.names = inner, names

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(self.names, inputs))).last_hidden_state

    sample = model.tokenizer(
        ["an example", "a longer example sentence"], padding=True, return_tensors="pt"
    )
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes, for developers of models
        torch.onnx.export(
            HiddenStates(model[0].auto_model.eval(), names),
            tuple(sample[n] for n in names),
            str(target),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )


def _slug(name: str) -> str:
    return name.replace("/", "--")


def export_onnx_int8(name: str, model: SentenceTransformer, folder: Path) -> Path:
    """Export the loaded model's transformer and quantise its weights to int8, once: the file is
    cached in `folder` and reused."""
    target = folder / f"{_slug(name)}-int8.onnx"
    if target.is_file():
        return target
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    full = folder / f"export-{os.getpid()}.onnx"
    partial = folder / f"export-{os.getpid()}-int8.onnx.partial"
    export_graph(model, full)
    quantize_dynamic(str(full), str(partial), weight_type=QuantType.QInt8, per_channel=True)
    full.unlink()
    os.replace(partial, target)
    return target


def model_fingerprint(path: str) -> list[list[object]] | None:
    """Name, size and modification time of every file of a model folder: an export made from
    other files is never used. None for a model that is not a folder here."""
    folder = Path(path)
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return [
        [p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns] for p in files
    ]


@dataclass(frozen=True)
class _QuestionFiles:
    graph: Path
    tokenizer: Path
    card: Path  # written last: an export is complete once its card is there

    @classmethod
    def of(cls, name: str, folder: Path) -> _QuestionFiles:
        stem = folder / f"{_slug(name)}-fp32"
        return cls(Path(f"{stem}.onnx"), Path(f"{stem}-tokenizer.json"), Path(f"{stem}.json"))


def load_question_model(name: str, path: str, folder: Path) -> OnnxModel | None:
    """The exact fp32 export of this model's files, if an ingest has made one; else None."""
    files = _QuestionFiles.of(name, folder)
    card = read_card(files.card)
    fingerprint = model_fingerprint(path)
    if (
        card.get("format") != QUESTION_EXPORT_FORMAT
        or fingerprint is None
        or card.get("fingerprint") != fingerprint
        or not (files.graph.is_file() and files.tokenizer.is_file())  # removed by hand
    ):
        return None
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(files.tokenizer))
    return OnnxModel(files.graph, tokenizer, int(card["dimension"]), int(card["max_tokens"]))


def export_question_model(
    name: str, path: str, model: SentenceTransformer, folder: Path
) -> OnnxModel | None:
    """Export the fp32 graph with its tokenizer, and keep it if it reproduces PyTorch's vectors
    on `CHECK_TEXTS` (a model whose pooling is not a normalised mean does not, and keeps using
    PyTorch for questions). None when it is not kept."""
    fingerprint = model_fingerprint(path)
    if fingerprint is None:
        return None
    files = _QuestionFiles.of(name, folder)
    folder.mkdir(parents=True, exist_ok=True)
    graph = folder / f"export-{os.getpid()}-fp32.onnx"
    try:
        export_graph(model, graph)
        exported = onnx_for(model, graph)
        texts = list(CHECK_TEXTS)
        expected = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        difference = float(np.abs(exported.encode(texts, 8, one_thread=True) - expected).max())
        if difference > TOLERANCE:
            return None
        replace_file(files.tokenizer, exported.tokenizer.to_str())
        os.replace(graph, files.graph)
    finally:
        graph.unlink(missing_ok=True)  # a failed or refused export leaves nothing behind
    card = {
        "format": QUESTION_EXPORT_FORMAT,
        "model": name,
        "fingerprint": fingerprint,
        "dimension": exported.dimension,
        "max_tokens": exported.max_tokens,
        "largest_difference": difference,
    }
    replace_file(files.card, json.dumps(card, indent=1))
    return OnnxModel(files.graph, exported.tokenizer, exported.dimension, exported.max_tokens)


def replace_file(path: Path, content: str | bytes) -> None:
    """Write `path` whole or not at all, so a reader never sees half of it; a write cut short
    (a full disk) leaves nothing behind."""
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        if isinstance(content, bytes):
            partial.write_bytes(content)
        else:
            partial.write_text(content, encoding="utf-8")
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()


def read_card(path: Path) -> dict:
    """The JSON card an export was kept with; empty when there is none (or it is unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
