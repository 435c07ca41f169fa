"""The search engine as the browser app holds it: loaded once per process, swapped after an ingest.

Streamlit reruns the page script on every interaction, so the model and the index live in its
resource cache. The searcher is keyed by the index's live generation: when an ingest swaps in a
new one, the next question opens it, and until then everyone keeps reading the old one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import streamlit as st

from index.decisions import DecisionIndex, FoundDecision
from index.embedder import Embedder, ModelUnavailable, configured_embedder
from index.search import Filters, Response, Searcher
from index.settings import Settings, load_settings
from index.store import (
    IndexMismatch,
    IndexMissing,
    Manifest,
    live_generation,
    open_store,
    read_manifest,
)
from ingest.document import Decision


def current_settings() -> Settings:
    """Settings from the environment that `precedent app` (run_app) passes down."""
    return load_settings()


@st.cache_resource(show_spinner="Loading the language model…", max_entries=2)
def _embedder(settings_key: str, _settings: Settings) -> Embedder:
    return configured_embedder(_settings)


@st.cache_resource(show_spinner="Opening the index…", max_entries=2)
def _searcher(generation: str, settings_key: str, _settings: Settings) -> Searcher:
    """One searcher per generation and settings; the first two arguments are the cache key."""
    embedder = _embedder(f"{_settings.model}|{_settings.backend}|{_settings.device}", _settings)
    return Searcher(open_store(_settings.index_dir), embedder, _settings)


@st.cache_resource
def _search_lock() -> threading.Lock:
    """Sessions run in threads; one model's tokenizer must not be used by two of them at once."""
    return threading.Lock()


@dataclass(frozen=True)
class EngineProblem:
    """Why there is no searcher, in words for the person at the screen, and what to do about it."""

    kind: str  # "missing", "mismatch", "model" or "busy"
    message: str


def open_engine(settings: Settings) -> Searcher | EngineProblem:
    """The searcher over the live index, or the reason there is none (never an exception)."""
    generation = live_generation(settings.index_dir)
    if generation is None:
        return EngineProblem("missing", f"There is no index yet in {settings.index_dir}.")
    try:
        return _searcher(generation, repr(settings), settings)
    except IndexMissing as error:
        return EngineProblem("missing", str(error))
    except IndexMismatch as error:
        return EngineProblem("mismatch", str(error))
    except ModelUnavailable as error:
        return EngineProblem("model", str(error))
    except FileNotFoundError:
        # Two ingests in quick succession can remove a generation while it is being opened.
        return EngineProblem(
            "busy", "The index was replaced while it was being opened: reload the page."
        )


def search(searcher: Searcher, question: str, k: int, filters: Filters) -> Response:
    """The engine's response, remembered, so that changing a view or a widget does not search again."""
    return _remembered_search(
        str(searcher.store.path),
        repr(searcher.settings),
        question,
        k,
        repr(filters),
        searcher,
        filters,
    )


@st.cache_data(max_entries=512, show_spinner=False)
def _remembered_search(
    generation_path: str,
    settings_key: str,
    question: str,
    k: int,
    filters_key: str,
    _searcher: Searcher,
    _filters: Filters,
) -> Response:
    """Keyed by the generation folder, so answers from an older index are never reused."""
    with _search_lock():
        return _searcher.search(question, k, _filters)


def library_manifest(settings: Settings) -> Manifest | EngineProblem:
    """The live index's manifest alone (no model needed), for the Library page and the filters."""
    try:
        return read_manifest(settings.index_dir)
    except IndexMissing as error:
        return EngineProblem("missing", str(error))
    except IndexMismatch as error:
        return EngineProblem("mismatch", str(error))


@st.cache_resource(show_spinner="Preparing the decisions register…", max_entries=2)
def _decision_index(generation_path: str, _searcher: Searcher) -> DecisionIndex:
    """One per index generation: decision texts are embedded once, not on every rerun."""
    with _search_lock():
        return DecisionIndex(_searcher)


def rank_decisions(
    searcher: Searcher, query: str, among: list[Decision], k: int, relevant_only: bool = False
) -> list[FoundDecision]:
    """The register's decisions ranked against `query`, as `precedent decisions QUERY` ranks."""
    index = _decision_index(str(searcher.store.path), searcher)
    with _search_lock():
        return index.rank(query, among, k, relevant_only)
