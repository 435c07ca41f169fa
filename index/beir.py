"""Evaluation on a BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels/test.tsv).

The corpus is embedded once into an ordinary index in a cache folder keyed by the corpus and
model, so a second run only answers the queries.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.build import embedding_text, keyword_text
from index.candidates import FIRST_STAGES
from index.embedder import Embedder
from index.search import Searcher
from index.settings import Settings
from index.store import (
    DocumentRecord,
    DocumentText,
    IndexMissing,
    Manifest,
    open_store,
    write_store,
)
from index.vectors import vector_kind
from ingest.document import Passage


@dataclass(frozen=True)
class BeirSet:
    corpus: dict[str, tuple[str, str]]  # id -> (title, text)
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: relevance}


def _jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def load_beir(folder: Path) -> BeirSet:
    corpus = {
        str(r["_id"]): (r.get("title") or "", r["text"]) for r in _jsonl(folder / "corpus.jsonl")
    }
    queries = {str(r["_id"]): r["text"] for r in _jsonl(folder / "queries.jsonl")}
    qrels: dict[str, dict[str, int]] = {}
    with (folder / "qrels" / "test.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    return BeirSet(corpus, {q: t for q, t in queries.items() if q in qrels}, qrels)


def _cache_dir(folder: Path, cache_root: Path, model_identity: str) -> Path:
    """One cached index per corpus and model (with its backend: their vectors differ)."""
    digest = hashlib.sha256(model_identity.encode())
    digest.update((folder / "corpus.jsonl").read_bytes())
    return cache_root / f"{folder.name}-{digest.hexdigest()[:16]}"


def _index_corpus(data: BeirSet, index_dir: Path, settings: Settings, embedder: Embedder) -> None:
    """Each corpus entry is one passage, embedded with its title as context (cut to the window)."""
    ids = sorted(data.corpus)
    passages, records, embed, keywords, texts = [], [], [], [], []
    for number, doc_id in enumerate(ids):
        title, text = data.corpus[doc_id]
        passages.append(Passage(doc_id, 0, text, None, None, None, 0, len(text)))
        records.append(
            DocumentRecord(doc_id, title or doc_id, None, None, None, None, "", number, 1)
        )
        embed.append(
            embedder.truncate(
                embedding_text(embedder, title or doc_id, None, text, 32), embedder.max_tokens - 2
            )
        )
        keywords.append(keyword_text(title, None, text))
        texts.append(DocumentText(doc_id, text, [(0, len(text), None, None)]))
    vectors = (
        embedder.encode(embed, progress=True)
        if embed
        else np.empty((0, embedder.dimension), np.float32)
    )
    manifest = Manifest(
        model=embedder.identity,
        dimension=embedder.dimension,
        passage_tokens=0,
        overlap_tokens=0,
        context_tokens=32,
        vector_index=vector_kind(len(passages), settings.ann_threshold),
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        documents=records,
        skipped=[],
    )
    write_store(index_dir, manifest, passages, vectors, keywords, texts)


def ndcg_at(ranked: list[str], relevant: dict[str, int], depth: int) -> float:
    gains = [relevant.get(doc, 0) for doc in ranked[:depth]]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(relevant.values(), reverse=True)[:depth]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], depth: int) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:depth])) / len(wanted) if wanted else 0.0


def evaluate_beir(
    folder: Path, cache_root: Path, settings: Settings, embedder: Embedder
) -> dict[str, dict]:
    """nDCG@10 and Recall@100 of each method; the corpus is embedded on the first run only."""
    data = load_beir(folder)
    index_dir = _cache_dir(folder, cache_root, embedder.identity)
    try:
        store = open_store(index_dir)
    except IndexMissing:
        _index_corpus(data, index_dir, settings, embedder)
        store = open_store(index_dir)
    searcher = Searcher(store, embedder, settings)
    out: dict[str, dict] = {}
    for method in FIRST_STAGES:  # ranking by passage; re-ranking is measured by `eval`
        ndcg, recall, latencies = [], [], []
        for query_id, text in data.queries.items():
            found = searcher.retrieve(text, k=min(100, len(store.passages)), method=method)
            latencies.append(sum(found.timings.values()))
            ranked = [store.passages[number].source for number, _ in found.top]
            ndcg.append(ndcg_at(ranked, data.qrels[query_id], 10))
            recall.append(recall_at(ranked, data.qrels[query_id], 100))
        out[method] = {
            "ndcg@10": round(float(np.mean(ndcg)), 4) if ndcg else None,
            "recall@100": round(float(np.mean(recall)), 4) if recall else None,
            "p50_ms": round(float(np.percentile(latencies, 50)), 2) if latencies else None,
        }
    return out
