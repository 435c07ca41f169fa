"""Speed and memory at scale: query latency over a synthetic index of N passages, and ingest
throughput against the model alone.

The synthetic index is made from a real one (the corpus folder, ingested as usual) and written
through `write_store`, so it has exactly the on-disk format of a real index. Copy 0 of each real
passage is the passage itself with its real embedding; every further copy has about one word in
ten replaced by a word drawn from the whole corpus (so BM25 sees varied texts and document
frequencies) and its embedding moved by Gaussian noise of standard deviation `NOISE` per
dimension, then re-normalised (cosine about 0.9 to the original). Synthetic indexes are cached
by size and by the base index's generation, and reused.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index.build import EMBED_CHUNK, build_index, embedding_texts
from index.embedder import Embedder, configured_embedder
from index.settings import Settings
from index.store import Store, live_generation, open_store, write_store
from index.vectors import vector_kind

RECIPE = 1  # bump when the synthesis below changes, so cached indexes are rebuilt
NOISE = 0.025
REPLACED_WORDS = 0.1
STAGES = ("encode", "keyword", "vector", "fusion")

# Questions people ask of this kind of library (from the dev and library question sets), so the
# keyword stage sees realistic query terms at every scale.
QUESTIONS = (
    "What questions were asked at the meeting about working better together?",
    "What score did the partnerships and communities quality statement get?",
    "Do partner organisations struggle to share records with each other?",
    "What is the BCF?",
    "What was the working as one programme?",
    "Why was the Leicester consultation delayed?",
    "When is the final Leicester strategy expected?",
    "What did the Leicester board resolve?",
    "What authority was delegated to the Director of Public Health in Kent?",
    "What helps keep people out of hospital at neighbourhood level?",
    "Was Healthwatch involved in the Kent and Medway strategy?",
    "How did co-production with voluntary partners develop?",
    "What have councils said about the workforce in health and care?",
    "What did the ICB leaders group focus on?",
    "When are the bin collection days in Cotswold?",
    "What did Kent's cabinet decide about the Integrated Care Strategy delivery plan in January 2025?",
    "What is Kent public health doing about poor health in coastal towns?",
    "What are the three themes of the West Sussex Joint Health and Wellbeing Strategy?",
    "What were the main suspected causes of death in the West Sussex review of homeless deaths?",
    "How much could the national insurance and minimum wage changes add to care providers' staff costs in Kent?",
    "How many responses did the consultation on the West Sussex health and wellbeing strategy receive?",
    "What did the Leeds scrutiny board suggest about planning for hot weather?",
    "What did tax agents think of the HMRC risk triggers built into their software?",
    "What is the dementia diagnosis rate in West Sussex?",
    "What is the Collaborative Working Agreement launched in West Sussex in 2019?",
    "What gaps did the 2014 West Sussex alcohol and drugs needs assessment find?",
    "Do the borough councils in Kent have someone in public health they can go to?",
    "Will there be enough family around to look after elderly relatives in future?",
    "Did people responding worry about where the money would come from to deliver the plan?",
    "Are Leeds care homes still able to hire staff from abroad?",
    "What is an LCN and who takes part?",
    "What has KALC done on health and wellbeing in Kent?",
    "Was the MTFP on the Kent Cabinet agenda for 30 January 2025?",
    "How are district and borough councils involved in prevention and improving health?",
    "What do we know about the health of people who are homeless?",
    "What is being done to prevent falls among older people?",
    "How do I appeal the council tax band my house is in?",
    "How much does the garden waste collection subscription cost?",
)


@dataclass
class QueryFigures:
    """Latency, memory and size of one index, as `precedent bench --passages N` reports them."""

    passages: int
    vector_index: str
    questions: int
    samples: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    stages_ms: dict[str, dict[str, float]]
    search_p50_ms: float
    load_s: float
    rss_mb: float  # after loading the index and answering (retrieval only), model included
    rss_model_mb: float  # the same process with only the model loaded
    rss_after_search_mb: float  # after full searches, which read the documents' texts
    disk_mb: float
    ann_recall_at_10: float | None
    index: str
    reused: bool
    build_s: float | None


@dataclass
class IngestFigures:
    """A fresh ingest of a folder beside the model alone embedding the same passages."""

    documents: int
    passages: int
    tokens: int
    seconds: float
    tokens_per_s: float
    read_s: float
    embed_s: float
    model_only_s: float
    model_tokens_per_s: float
    share_of_model_speed: float  # the median of the rounds' shares
    peak_rss_mb: float
    reingest_unchanged_s: float
    reingest_one_changed_s: float
    one_changed: str | None = None
    one_changed_embedded: int = 0
    round_shares: list[float] = field(default_factory=list)  # each round's, in order


def bench_queries(
    settings: Settings, passages: int, corpus: Path, cache: Path, rounds: int = 3
) -> QueryFigures:
    """Build (or reuse) a synthetic index of `passages` passages from `corpus` and measure it."""
    folder, build_s = _cached_synthetic_index(settings, passages, corpus, cache)
    embedder = configured_embedder(settings)
    embedder.encode_query("warm up the model")
    rss_model = _rss_mb()
    started = time.perf_counter()
    store = open_store(folder)
    load_s = time.perf_counter() - started

    from index.search import Searcher

    searcher = Searcher(store, embedder, settings)
    searcher.retrieve(QUESTIONS[0])
    totals, stages = [], {stage: [] for stage in STAGES}
    queries = {}
    for _ in range(rounds):
        for question in QUESTIONS:
            mark = time.perf_counter()
            found = searcher.retrieve(question)
            totals.append((time.perf_counter() - mark) * 1000)
            for stage in STAGES:
                stages[stage].append(found.timings.get(stage, 0.0))
            queries[question] = found.query
    rss = _rss_mb()
    search_ms = []
    for question in QUESTIONS:
        mark = time.perf_counter()
        searcher.search(question)
        search_ms.append((time.perf_counter() - mark) * 1000)
    recall = ann_recall(store, list(queries.values())) if store.vectors.approximate else None
    return QueryFigures(
        passages=len(store.passages),
        vector_index=store.manifest.vector_index,
        questions=len(QUESTIONS),
        samples=len(totals),
        p50_ms=_percentile(totals, 50),
        p95_ms=_percentile(totals, 95),
        p99_ms=_percentile(totals, 99),
        stages_ms={
            s: {"p50": _percentile(v, 50), "p95": _percentile(v, 95)} for s, v in stages.items()
        },
        search_p50_ms=_percentile(search_ms, 50),
        load_s=round(load_s, 3),
        rss_mb=rss,
        rss_model_mb=rss_model,
        rss_after_search_mb=_rss_mb(),
        disk_mb=round(
            sum(p.stat().st_size for p in store.path.rglob("*") if p.is_file()) / 2**20, 1
        ),
        ann_recall_at_10=recall,
        index=str(folder),
        reused=build_s is None,
        build_s=build_s,
    )


def ann_recall(store: Store, queries: list[np.ndarray], k: int = 10) -> float:
    """Share of the exact top-k (brute force over all embeddings) the vector index returns."""
    exact = _exact_top(store.embeddings, np.stack(queries), k)
    hits = [
        len(set(store.vectors.search(query, k)[1].tolist()) & set(truth.tolist())) / k
        for query, truth in zip(queries, exact)
    ]
    return round(float(np.mean(hits)), 4)


def _exact_top(
    embeddings: np.ndarray, queries: np.ndarray, k: int, chunk: int = 100_000
) -> np.ndarray:
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_ids = np.empty((len(queries), 0), dtype=np.int64)
    for start in range(0, len(embeddings), chunk):
        scores = queries @ np.asarray(embeddings[start : start + chunk]).T
        ids = np.broadcast_to(np.arange(start, start + scores.shape[1]), scores.shape)
        best_scores = np.concatenate([best_scores, scores], axis=1)
        best_ids = np.concatenate([best_ids, ids], axis=1)
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
        best_ids = np.take_along_axis(best_ids, keep, axis=1)
    return best_ids


def _cached_synthetic_index(
    settings: Settings, passages: int, corpus: Path, cache: Path
) -> tuple[Path, float | None]:
    """The cached index for this size and base, built in a child process if absent, so that
    the measuring process holds only what a reader of the index holds."""
    base = cache / f"corpus-{_digest(corpus.resolve(), settings.model, settings.backend)}"
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        folder, built = pool.apply(
            _ensure_synthetic_index, (settings, passages, corpus, base, cache)
        )
    return folder, round(time.perf_counter() - started, 1) if built else None


def _ensure_synthetic_index(
    settings: Settings, passages: int, corpus: Path, base: Path, cache: Path
) -> tuple[Path, bool]:
    embedder = configured_embedder(settings)
    build_index(replace(settings, documents_dir=corpus, index_dir=base), embedder, progress=False)
    kind = vector_kind(passages, settings.ann_threshold)
    folder = cache / f"{passages}-{_digest(RECIPE, live_generation(base), kind)}"
    if live_generation(folder) is not None:
        return folder, False
    write_synthetic_index(open_store(base), passages, kind, folder)
    return folder, True


def write_synthetic_index(base: Store, count: int, kind: str, folder: Path, seed: int = 0) -> None:
    """`count` passages made from `base`'s as the module docstring says, written as an index."""
    rng = np.random.default_rng(seed)
    pool = np.array(sorted({w for p in base.passages for w in p.text.split()}))
    records, passages, keywords, texts, rows = [], [], [], [], []
    copy = 0
    while len(passages) < count:
        for record in base.manifest.documents:
            if len(passages) >= count:
                break
            taken = min(record.passage_count, count - len(passages))
            source = f"copy-{copy:04d}/{record.source}" if copy else record.source
            records.append(
                replace(record, source=source, first_passage=len(passages), passage_count=taken)
            )
            text = base.document_text(record.source)
            texts.append(replace(text, source=source))
            for passage in base.passages[record.first_passage : record.first_passage + taken]:
                body = _vary(passage.text, pool, rng) if copy else passage.text
                passages.append(replace(passage, source=source, text=body))
                keywords.append(f"{record.title}\n{passage.section or ''}\n{body}")
            rows.append((record.first_passage, taken, copy))
        copy += 1
    manifest = replace(
        base.manifest,
        documents=records,
        skipped=[],
        vector_index=kind,
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    write_store(
        folder, manifest, passages, _embeddings(base.embeddings, rows, rng), keywords, texts
    )


def _vary(text: str, pool: np.ndarray, rng: np.random.Generator) -> str:
    words = text.split()
    if len(words) < 2:
        return text
    places = rng.integers(0, len(words), max(1, int(len(words) * REPLACED_WORDS)))
    for place, word in zip(places, rng.choice(pool, len(places))):
        words[place] = str(word)
    return " ".join(words)


def _embeddings(
    base: np.ndarray, rows: list[tuple[int, int, int]], rng: np.random.Generator
) -> np.ndarray:
    total = sum(taken for _, taken, _ in rows)
    out = np.empty((total, base.shape[1]), dtype=np.float32)
    cursor = 0
    for first, taken, copy in rows:
        block = np.asarray(base[first : first + taken], dtype=np.float32)
        if copy:
            block = block + rng.normal(0.0, NOISE, block.shape).astype(np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[cursor : cursor + taken] = block
        cursor += taken
    return out


def bench_ingest(settings: Settings, documents: Path, work: Path, rounds: int = 1) -> IngestFigures:
    """Ingest a copy of `documents` from nothing, embed the same passages with the model alone,
    then re-ingest with nothing changed and with one document changed.

    With several `rounds`, the fresh ingest and the model alone take turns, and each round's
    share is the ratio of its own pair: the machine's speed drifts by more over minutes than
    the gap being measured, and a pair run back to back shares most of the drift. The figures
    of the round with the median share are reported, with every round's share.
    """
    folder, index_dir = work / "documents", work / "index"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(documents, folder)
    embedder = configured_embedder(settings)
    settings = replace(settings, documents_dir=folder, index_dir=index_dir)
    embedder.encode(["warm up the model"])
    embedder.prepare_questions()  # the one-off export, so that no round pays for it
    measured = []
    for _ in range(rounds):
        shutil.rmtree(index_dir, ignore_errors=True)
        report = build_index(settings, embedder, progress=False)
        texts = embedded_texts(embedder, open_store(index_dir), settings)
        model_s = _model_only_seconds(embedder, texts)
        measured.append((model_s / report.seconds, report, model_s))
    peak = _peak_rss_mb()
    shares = [round(share, 3) for share, _, _ in measured]
    _, report, model_s = sorted(measured, key=lambda item: item[0])[(rounds - 1) // 2]
    tokens = _token_count(embedder, texts)
    unchanged = build_index(settings, embedder, progress=False)
    edited = _edit_one_document(folder)
    changed = build_index(settings, embedder, progress=False)
    return IngestFigures(
        documents=report.documents,
        passages=report.passages,
        tokens=tokens,
        seconds=round(report.seconds, 2),
        tokens_per_s=round(tokens / report.seconds, 1),
        read_s=round(report.read_seconds, 2),
        embed_s=round(report.embed_seconds, 2),
        model_only_s=round(model_s, 2),
        model_tokens_per_s=round(tokens / model_s, 1),
        share_of_model_speed=round(model_s / report.seconds, 3),
        peak_rss_mb=peak,
        reingest_unchanged_s=round(unchanged.seconds, 2),
        reingest_one_changed_s=round(changed.seconds, 2),
        one_changed=edited,
        one_changed_embedded=changed.embedded_passages,
        round_shares=shares,
    )


def embedded_texts(embedder: Embedder, store: Store, settings: Settings) -> list[str]:
    """What ingest gave the model for each passage of `store`, in index order."""
    texts = []
    for record in store.manifest.documents:
        texts.extend(
            embedding_texts(
                embedder, record.title, store.document_passages(record.source), settings
            )
        )
    return texts


def _model_only_seconds(embedder: Embedder, texts: list[str]) -> float:
    """The floor: the model embedding exactly the texts ingest embedded, in the same chunks."""
    started = time.perf_counter()
    for start in range(0, len(texts), EMBED_CHUNK):
        embedder.encode(texts[start : start + EMBED_CHUNK])
    return time.perf_counter() - started


def _token_count(embedder: Embedder, texts: list[str]) -> int:
    """Word pieces the model read, as it truncates them; counted here, not in the timed ingest."""
    if not texts:
        return 0
    encoded = embedder.model.tokenizer(texts, truncation=True, max_length=embedder.max_tokens)
    return sum(len(ids) for ids in encoded["input_ids"])


def _edit_one_document(folder: Path) -> str | None:
    """Append a sentence to the first plain-text document, as a person editing a file would."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".txt", ".md") and path.name.lower() != "readme.md":
            with path.open("a", encoding="utf-8") as handle:
                handle.write("\n\nThis paragraph was added to measure re-ingest of one change.\n")
            return path.relative_to(folder).as_posix()
    return None


def _percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else 0.0


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:10]


def _status_mb(field_name: str) -> float:
    """A memory figure of this process from /proc (Linux), in MiB."""
    status = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field_name}:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(match.group(1)) / 1024, 1) if match else 0.0


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _peak_rss_mb() -> float:
    return _status_mb("VmHWM")
