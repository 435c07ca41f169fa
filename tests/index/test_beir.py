"""Evaluation on a BEIR-layout folder: metrics for the three methods, corpus embedded once."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from index.beir import ndcg_at, recall_at
from index.store import live_generation

CORPUS = {
    "d1": (
        "Better Care Fund",
        "The Better Care Fund pools NHS and council budgets for community care.",
    ),
    "d2": ("Rough sleeping", "Outreach teams support people sleeping rough to find accommodation."),
    "d3": ("Smoking", "Stop smoking services offer free nicotine replacement therapy."),
    "d4": ("Libraries", "Library opening hours will be extended on Saturdays."),
    "d5": ("Dementia", "Memory assessment services diagnose dementia earlier."),
    "d6": ("Parks", "Parks and play areas will become smoke-free spaces."),
}
QUERIES = {
    "q1": "pooled health and social care budget",
    "q2": "help for homeless people",
    "q3": "quit smoking support",
}
QRELS = [("q1", "d1", 1), ("q2", "d2", 1), ("q3", "d3", 2), ("q3", "d6", 1)]


def write_beir(folder: Path) -> Path:
    (folder / "qrels").mkdir(parents=True)
    with (folder / "corpus.jsonl").open("w") as handle:
        for doc_id, (title, text) in CORPUS.items():
            handle.write(json.dumps({"_id": doc_id, "title": title, "text": text}) + "\n")
    with (folder / "queries.jsonl").open("w") as handle:
        for query_id, text in QUERIES.items():
            handle.write(json.dumps({"_id": query_id, "text": text}) + "\n")
    rows = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t{s}" for q, d, s in QRELS]
    (folder / "qrels" / "test.tsv").write_text("\n".join(rows) + "\n")
    return folder


def test_metrics_follow_their_definitions():
    assert ndcg_at(["a", "b"], {"a": 1}, 10) == 1.0
    assert 0 < ndcg_at(["b", "a"], {"a": 1}, 10) < 1
    assert recall_at(["x", "a"], {"a": 1, "b": 1}, 100) == 0.5


def test_beir_eval_reports_each_method_and_reuses_the_embedded_corpus(tmp_path):
    folder = write_beir(tmp_path / "tiny")
    index = tmp_path / "work" / "index"
    runner = CliRunner()
    first = runner.invoke(cli, ["eval", "--beir", str(folder), "--json", "--index", str(index)])
    assert first.exit_code == 0, first.output
    methods = json.loads(first.stdout)["methods"]
    assert set(methods) == {"hybrid", "bm25", "dense"}
    for scores in methods.values():
        assert 0.0 <= scores["ndcg@10"] <= 1.0 and 0.0 <= scores["recall@100"] <= 1.0
    assert methods["hybrid"]["ndcg@10"] > 0.8
    assert methods["dense"]["recall@100"] == 1.0

    cache = next((tmp_path / "work" / "beir").iterdir())
    generation = live_generation(cache)
    second = runner.invoke(cli, ["eval", "--beir", str(folder), "--json", "--index", str(index)])
    assert second.exit_code == 0, second.output
    assert live_generation(cache) == generation
    again = json.loads(second.stdout)["methods"]
    assert {m: (v["ndcg@10"], v["recall@100"]) for m, v in again.items()} == {
        m: (v["ndcg@10"], v["recall@100"]) for m, v in methods.items()
    }


def test_beir_eval_keeps_one_embedded_corpus_per_backend(tmp_path):
    folder = write_beir(tmp_path / "tiny")
    args = ["eval", "--beir", str(folder), "--json", "--index", str(tmp_path / "work" / "index")]
    runner = CliRunner()
    torch = runner.invoke(cli, args)
    assert torch.exit_code == 0, torch.output
    onnx = runner.invoke(cli, args, env={"PRECEDENT_BACKEND": "onnx-int8"})
    assert onnx.exit_code == 0, onnx.output  # its vectors are not the torch index's
    assert json.loads(onnx.stdout)["methods"]["dense"]["recall@100"] == 1.0
    assert len(list((tmp_path / "work" / "beir").iterdir())) == 2
