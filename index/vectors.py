"""The FAISS vector index: exact inner product for ordinary libraries, IVF above a threshold.

Above `ann_threshold` passages the vectors go into an inverted file over 8-bit scalar-quantised
codes (IVF-SQ8): a quarter of float32's memory (about 0.4 GB rather than 1.5 GB per million
passages). Its best candidates are then re-scored against the float32 embeddings, of which
only the candidates' rows are read from disk: the order and similarities returned are exact,
and recall@10 against exact search is measured by `precedent bench`.

Why IVF rather than HNSW: on the synthetic million (hundreds of near-copies of each real passage)
HNSW-SQ8 found 0.47 of the exact top 10 at efSearch 128 and 0.67 at 8192 (22 ms a query),
because its graph links mostly within tight clusters; IVF-SQ8 probing 64 of 2048 lists, with
re-scoring, finds all of it in about 3 ms, and the index builds in minutes rather than a
quarter of an hour.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

IVF_PROBES = 64  # inverted lists scanned per question
TRAIN_PER_LIST = 50  # k-means training vectors per list (faiss asks for at least 39)
RESCORE_DEPTH = 100  # approximate candidates re-scored exactly, at least
EXACT_SUBSET = 5_000  # a filter admitting at most this many passages is searched exactly


VECTOR_KINDS = ("flat", "ivf")


def vector_kind(count: int, ann_threshold: int) -> str:
    return VECTOR_KINDS[1] if count > ann_threshold else VECTOR_KINDS[0]


def list_count(count: int) -> int:
    """A power of two near 2·sqrt(count): 2048 lists for a million passages."""
    return 2 ** max(0, round(math.log2(max(1.0, 2 * math.sqrt(count)))))


def build_vectors(embeddings: np.ndarray, kind: str) -> faiss.Index:
    """An index over unit vectors, so inner product is cosine similarity."""
    dimension = embeddings.shape[1]
    vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
    if kind != "ivf":
        index = faiss.IndexFlatIP(dimension)
        if len(vectors):
            index.add(vectors)
        return index
    lists = list_count(len(vectors))
    index = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(dimension),
        dimension,
        lists,
        faiss.ScalarQuantizer.QT_8bit,
        faiss.METRIC_INNER_PRODUCT,
    )
    rows = np.random.default_rng(0).choice(
        len(vectors), min(len(vectors), TRAIN_PER_LIST * lists), replace=False
    )
    with _threads(_thread_limit()):
        index.train(vectors[np.sort(rows)])
        index.add(vectors)
    return index


def _thread_limit() -> int:
    """FAISS's OpenMP threads, capped at OMP_THREAD_LIMIT where it is set: FAISS still asks
    for as many threads as cores, more than that limit lets OpenMP start, and training and
    adding to an IVF index then wait for them for ever (faiss-cpu 1.15, OMP_THREAD_LIMIT=1)."""
    limit = os.environ.get("OMP_THREAD_LIMIT", "")
    threads = faiss.omp_get_max_threads()
    return min(threads, int(limit)) if limit.isdigit() and int(limit) > 0 else threads


@dataclass(frozen=True)
class Vectors:
    """The FAISS index with the float32 rows it was built from, for exact re-scoring
    (an array, or the store's rows read from disk: anything indexed like an array)."""

    index: faiss.Index
    embeddings: np.ndarray

    @property
    def approximate(self) -> bool:
        return not isinstance(self.index, faiss.IndexFlat)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (similarities, passage numbers), optionally only among `allowed` numbers."""
        k = min(k, self.index.ntotal if allowed is None else len(allowed))
        if k <= 0:
            return np.empty(0, dtype=np.float32), np.empty(0, dtype=np.int64)
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if not self.approximate:
            return self._faiss(query, k, allowed)
        if allowed is not None and len(allowed) <= EXACT_SUBSET:
            candidates = np.asarray(allowed, dtype=np.int64)
        else:
            share = 1 if allowed is None else math.ceil(self.index.ntotal / len(allowed))
            probes = min(self.index.nlist, IVF_PROBES * share)
            candidates = self._faiss(query, max(k, RESCORE_DEPTH), allowed, probes)[1]
        return self._rescore(query, candidates, k)

    def _faiss(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None, probes: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """FAISS's own top-k: probing `probes` inverted lists when given, exact otherwise."""
        options: dict = {} if probes is None else {"nprobe": probes}
        if allowed is not None:
            options["sel"] = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
        params = None
        if options:
            kind = faiss.SearchParameters if probes is None else faiss.SearchParametersIVF
            params = kind(**options)
        # One question on one OpenMP thread: splitting it costs more in hand-over than it saves,
        # and waits ~40x longer when another process holds the other core (0.3 ms against
        # 45 ms over 10k passages on a busy 2-core machine).
        with _threads(1):
            similarities, ids = self.index.search(query.reshape(1, -1), k, params=params)
        keep = ids[0] >= 0
        return similarities[0][keep], ids[0][keep]

    def _rescore(
        self, query: np.ndarray, candidates: np.ndarray, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact similarities of the candidates, their rows read in order."""
        rows = np.sort(candidates)
        similarities = np.asarray(self.embeddings[rows], dtype=np.float32) @ query
        best = np.argsort(-similarities, kind="stable")[:k]
        return similarities[best], rows[best]


def save_vectors(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_vectors(path: Path, embeddings: np.ndarray) -> Vectors:
    return Vectors(faiss.read_index(str(path)), embeddings)


@contextmanager
def _threads(count: int) -> Iterator[None]:
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)
