"""The approximate vector index returns what exact search returns, with exact similarities."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.settings import Settings
from index.store import open_store
from index.vectors import Vectors, build_vectors, list_count, vector_kind


@pytest.fixture(scope="module")
def seed_vectors(seeds_settings: Settings, embedder) -> tuple[np.ndarray, np.ndarray]:
    """The seed passages' real embeddings, each also as 40 noisy near-copies (a crowded space),
    and real questions' embeddings."""
    real = np.asarray(open_store(seeds_settings.index_dir).embeddings)
    rng = np.random.default_rng(1)
    copies = np.repeat(real, 40, axis=0) + rng.normal(0, 0.03, (len(real) * 40, real.shape[1]))
    rows = np.vstack([real, copies]).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    questions = [
        "How are district councils involved in prevention?",
        "What did the board resolve about the strategy?",
        "Better Care Fund pooled budget",
        "housing and homelessness",
    ]
    return rows, np.stack([embedder.encode_query(q) for q in questions])


def _exact(rows: np.ndarray, query: np.ndarray, k: int, allowed=None) -> np.ndarray:
    numbers = np.arange(len(rows)) if allowed is None else np.asarray(allowed)
    scores = rows[numbers] @ query
    return numbers[np.argsort(-scores)[:k]]


def test_the_kind_follows_the_threshold_and_lists_grow_with_the_index() -> None:
    assert vector_kind(200_000, 200_000) == "flat"
    assert vector_kind(200_001, 200_000) == "ivf"
    assert list_count(1_000_000) == 2048
    assert list_count(10_000) == 256
    assert list_count(0) == 1


def test_ivf_finds_the_exact_top_ten_with_exact_similarities(seed_vectors) -> None:
    rows, queries = seed_vectors
    vectors = Vectors(build_vectors(rows, "ivf"), rows)
    assert vectors.approximate
    for query in queries:
        similarities, ids = vectors.search(query, 10)
        truth = _exact(rows, query, 10)
        assert len(set(ids.tolist()) & set(truth.tolist())) >= 9
        np.testing.assert_allclose(similarities, rows[ids] @ query, rtol=1e-5)
        assert list(similarities) == sorted(similarities, reverse=True)


def test_filters_on_ivf_return_only_admitted_passages(seed_vectors, monkeypatch) -> None:
    rows, queries = seed_vectors
    vectors = Vectors(build_vectors(rows, "ivf"), rows)
    monkeypatch.setattr("index.vectors.EXACT_SUBSET", 500)
    few = np.arange(0, len(rows), 97)  # at most EXACT_SUBSET: searched exactly
    many = np.arange(0, len(rows), 2)  # more: the inverted lists with a selector
    assert len(few) <= 500 < len(many)
    for allowed in (few, many):
        _, ids = vectors.search(queries[0], 10, allowed)
        assert len(ids) == 10 and set(ids.tolist()) <= set(allowed.tolist())
        assert len(set(ids.tolist()) & set(_exact(rows, queries[0], 10, allowed).tolist())) >= 9
    assert len(vectors.search(queries[0], 10, np.array([5]))[1]) == 1


def test_flat_search_is_exact(seed_vectors) -> None:
    rows, queries = seed_vectors
    vectors = Vectors(build_vectors(rows, "flat"), rows)
    assert not vectors.approximate
    _, ids = vectors.search(queries[1], 10)
    assert ids.tolist() == _exact(rows, queries[1], 10).tolist()


def test_an_ivf_index_builds_under_a_one_thread_openmp_limit(tmp_path) -> None:
    """faiss-cpu's IVF training and adding waited for ever for OpenMP threads that
    OMP_THREAD_LIMIT=1 would not start; the time limit only stops a hang, it measures nothing."""
    script = (
        "import numpy as np\n"
        "from index.vectors import build_vectors\n"
        "rows = np.random.default_rng(0).standard_normal((3000, 384)).astype(np.float32)\n"
        "print(build_vectors(rows, 'ivf').ntotal)\n"
    )
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, cwd=Path(__file__).parents[2],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3000"]
