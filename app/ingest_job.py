"""Ingest in a background thread, so the app keeps answering from the old index while it runs.

One job per index folder per process; its stage comes from the build's own log messages
("Embedding 120 passages"). The build gets its own copy of the model: a tokenizer must not be
used by a search and the build at the same time.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import streamlit as st

from index.build import BuildReport, build_index
from index.embedder import Embedder, ModelUnavailable, configured_embedder
from index.settings import Settings
from index.store import IndexBusy, IndexMismatch
from ingest.sidecar import SidecarError

STAGES = 4  # loading the model, reading, embedding, writing
_build_log = logging.getLogger("index.build")


@dataclass
class IngestJob:
    """What the Library page shows about a running or finished ingest."""

    started: float = field(default_factory=time.time)
    stage: str = "Loading the model"
    step: int = 0
    finished: float | None = None
    report: BuildReport | None = None
    error: str | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    @property
    def fraction(self) -> float:
        return 1.0 if self.finished else min(self.step, STAGES - 1) / STAGES


@st.cache_resource
def _jobs() -> tuple[threading.Lock, dict[str, IngestJob]]:
    """Jobs by index folder, shared by every session of this process."""
    return threading.Lock(), {}


def current_job(settings: Settings) -> IngestJob | None:
    lock, jobs = _jobs()
    with lock:
        return jobs.get(str(settings.index_dir.resolve()))


def start_ingest(settings: Settings) -> IngestJob:
    """Start bringing the index up to date, unless that is already happening; returns the job."""
    lock, jobs = _jobs()
    key = str(settings.index_dir.resolve())
    with lock:
        job = jobs.get(key)
        if job is not None and job.running:
            return job
        job = IngestJob()
        job.thread = threading.Thread(
            target=_run, args=(job, settings), name="precedent-ingest", daemon=True
        )
        jobs[key] = job
        job.thread.start()
    return job


@lru_cache(maxsize=1)
def _build_embedder(settings: Settings) -> Embedder:
    """A second instance of the model, not the cached one that searches use."""
    return configured_embedder(settings, shared=False)


class _StageHandler(logging.Handler):
    """Turns the build's log lines from this job's thread into the job's stage."""

    def __init__(self, job: IngestJob) -> None:
        super().__init__(logging.INFO)
        self.job = job
        self.thread_id = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread_id:
            self.job.stage = record.getMessage()
            self.job.step += 1


def _run(job: IngestJob, settings: Settings) -> None:
    handler = _StageHandler(job)
    _build_log.addHandler(handler)
    if _build_log.getEffectiveLevel() > logging.INFO:
        _build_log.setLevel(logging.INFO)
    try:
        embedder = _build_embedder(settings)
        job.step, job.stage = 1, "Checking the documents folder"
        job.report = build_index(settings, embedder, progress=False)
        job.stage = "Done"
    except (IndexBusy, IndexMismatch, ModelUnavailable, SidecarError, OSError) as error:
        job.error = str(error)
    except Exception as error:  # noqa: BLE001 - a thread's failure must reach the screen, not vanish
        job.error = f"the ingest failed unexpectedly: {type(error).__name__}: {error}"
    finally:
        _build_log.removeHandler(handler)
        job.finished = time.time()
