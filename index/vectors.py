"""The FAISS vector index: exact inner product for ordinary libraries, HNSW above a threshold.

The HNSW graph is built over 8-bit scalar-quantised vectors: a quarter of float32's memory
(about 0.4 GB rather than 1.5 GB per million passages) for a recall@10 that `precedent bench`
measures against exact search.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

HNSW_NEIGHBOURS = 32
HNSW_BUILD_DEPTH = 80
HNSW_SEARCH_DEPTH = 128


def vector_kind(count: int, ann_threshold: int) -> str:
    return "hnsw" if count > ann_threshold else "flat"


def build_vectors(embeddings: np.ndarray, kind: str) -> faiss.Index:
    """An index over unit vectors, so inner product is cosine similarity."""
    dimension = embeddings.shape[1]
    vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
    if kind == "hnsw":
        index = faiss.IndexHNSWSQ(
            dimension, faiss.ScalarQuantizer.QT_8bit, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT
        )
        index.hnsw.efConstruction = HNSW_BUILD_DEPTH
        index.train(vectors)
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(vectors)
    return index


def save_vectors(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_vectors(path: Path) -> faiss.Index:
    index = faiss.read_index(str(path))
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = HNSW_SEARCH_DEPTH
    return index


def search_vectors(
    index: faiss.Index, query: np.ndarray, k: int, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (similarities, passage numbers), optionally only among `allowed` passage numbers."""
    k = min(k, index.ntotal)
    if k <= 0:
        return np.empty(0, dtype=np.float32), np.empty(0, dtype=np.int64)
    params = None
    if allowed is not None:
        selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
        params = (
            faiss.SearchParametersHNSW(sel=selector, efSearch=HNSW_SEARCH_DEPTH)
            if hasattr(index, "hnsw")
            else faiss.SearchParameters(sel=selector)
        )
    with _one_thread():
        similarities, ids = index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
    keep = ids[0] >= 0
    return similarities[0][keep], ids[0][keep]


@contextmanager
def _one_thread() -> Iterator[None]:
    """One question on one OpenMP thread: splitting it costs more in hand-over than it saves,
    and waits ~40x longer when another process holds the other core (0.3 ms against 45 ms
    over 10k passages on a busy 2-core machine)."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)
