"""`precedent bench` on small real runs: the figures are there and sane, the synthetic index is
cached, the approximate index finds what exact search finds, and the ONNX backend agrees with
PyTorch. No assertion is about time: the machine running the tests may be busy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from app.cli import cli
from index.bench import QUESTIONS, bench_ingest, bench_queries
from index.embedder import Embedder, load_embedder
from index.onnx_model import export_onnx_int8
from index.settings import Settings
from tests.conftest import SEEDS

QUERY_KEYS = {
    "passages", "vector_index", "p50_ms", "p95_ms", "p99_ms", "stages_ms", "search_p50_ms",
    "rss_mb", "load_s", "disk_mb", "ann_recall_at_10", "reused",
}  # fmt: skip


def _bench(tmp_path: Path) -> dict:
    arguments = ["bench", "--passages", "2000", "--corpus", str(SEEDS), "--json"]
    arguments += ["--cache", str(tmp_path / "cache"), "--index", str(tmp_path / "index")]
    result = CliRunner().invoke(cli, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_bench_reports_figures_and_reuses_its_index(tmp_path: Path) -> None:
    first = _bench(tmp_path)
    assert QUERY_KEYS <= set(first)
    assert first["passages"] == 2000
    assert first["vector_index"] == "flat" and first["ann_recall_at_10"] is None
    assert 0 < first["p50_ms"] <= first["p95_ms"] <= first["p99_ms"]
    assert set(first["stages_ms"]) == {"encode", "keyword", "vector", "fusion"}
    # Both are positive; their order is not asserted, since this process is the test run's,
    # and earlier tests' memory can be handed back to the system between the two readings.
    assert first["rss_mb"] > 0 and first["rss_model_mb"] > 0
    assert first["disk_mb"] > 0 and first["load_s"] > 0
    assert not first["reused"]

    second = _bench(tmp_path)
    assert second["reused"] and second["build_s"] is None
    assert second["index"] == first["index"]


def test_ivf_above_the_threshold_finds_what_exact_search_finds(tmp_path: Path) -> None:
    # Without re-ranking: what is tested is the vector index, not the cross-encoder.
    settings = Settings(index_dir=tmp_path / "index", ann_threshold=1000, rerank=False)
    figures = bench_queries(settings, 3000, SEEDS, tmp_path / "cache", rounds=1)
    assert figures.vector_index == "ivf"
    # A hard case: the seed passages copied many times each, so the exact top 10 is decided
    # among near-ties.
    assert figures.ann_recall_at_10 is not None and figures.ann_recall_at_10 >= 0.95


def test_ingest_bench_compares_with_the_model_and_reingests(tmp_path: Path) -> None:
    figures = bench_ingest(
        Settings(index_dir=tmp_path / "index"), SEEDS, tmp_path / "work", rounds=2
    )
    assert figures.passages > 0 and figures.tokens > 0
    assert figures.model_only_s > 0 and figures.share_of_model_speed > 0
    # Each round ingests from nothing and is compared with its own model-alone pass.
    assert len(figures.round_shares) == 2 and all(s > 0 for s in figures.round_shares)
    assert figures.share_of_model_speed == min(figures.round_shares)  # the lower of two
    assert figures.peak_rss_mb > 0
    assert figures.one_changed is not None and figures.one_changed_embedded >= 1


def test_onnx_int8_backend_agrees_with_pytorch_and_is_exported_once(
    tmp_path: Path, embedder: Embedder
) -> None:
    onnx = load_embedder(Settings().model, backend="onnx-int8", cache_dir=tmp_path)
    exported = list(tmp_path.glob("*.onnx"))
    assert len(exported) == 1
    texts = list(QUESTIONS[:8])
    agreement = (onnx.encode(texts) * embedder.encode(texts)).sum(axis=1)
    assert agreement.min() > 0.97
    assert np.allclose(np.linalg.norm(onnx.encode_query(texts[0])), 1.0, atol=1e-4)
    assert onnx.identity != embedder.identity
    written = exported[0].stat().st_mtime_ns
    assert export_onnx_int8(onnx.name, onnx.model, tmp_path) == exported[0]
    assert exported[0].stat().st_mtime_ns == written
