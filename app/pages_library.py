"""The Library page: what is indexed, what was skipped and why; add documents; correct metadata.

A Streamlit page script: `streamlit_app.py` runs it on every interaction.
"""

from __future__ import annotations

import streamlit as st

from app.engine import EngineProblem, current_settings, library_manifest
from app.ingest_job import current_job, start_ingest
from app.ingest_panel import show_ingest_progress, show_problem
from app.sidecar_edit import save_metadata
from app.uploads import (
    ALLOWED_SUFFIXES,
    MAX_UPLOAD_MB,
    CheckedUpload,
    UploadRejected,
    check_size,
    check_upload,
    save_upload,
)
from index.settings import Settings
from index.store import DocumentRecord, Manifest
from ingest.sidecar import SidecarError

EDITABLE = (
    ("title", "Title"),
    ("organisation", "Organisation"),
    ("doc_type", "Document type"),
    ("date", "Date (YYYY-MM-DD, YYYY-MM or YYYY)"),
)


def show_index(manifest: Manifest) -> None:
    st.caption(
        f"{len(manifest.documents)} documents, {manifest.passage_count} passages, "
        f"{sum(d.decision_count for d in manifest.documents)} decisions. "
        f"Built {manifest.built_at} with the model {manifest.model}."
    )
    st.dataframe(
        [
            {
                "Title": d.title,
                "Organisation": d.organisation,
                "Type": d.doc_type,
                "Date": d.date,
                "Pages": d.pages,
                "Passages": d.passage_count,
                "Decisions": d.decision_count,
                "File": d.source,
                "Warnings": "; ".join(d.warnings),
            }
            for d in manifest.documents
        ],
        hide_index=True,
        width="stretch",
    )
    if manifest.skipped:
        st.subheader("Skipped files")
        st.caption("These files are in the documents folder but could not be indexed.")
        st.dataframe(
            [{"File": s.source, "Why": s.reason} for s in manifest.skipped],
            hide_index=True,
            width="stretch",
        )


def _start_update(settings: Settings) -> None:
    if start_ingest(settings).running:
        st.toast("Updating the index in the background.")


def upload_section(settings: Settings) -> None:
    """Add files to the documents folder after checking them; ask before replacing a file."""
    st.subheader("Add documents")
    generation = st.session_state.setdefault("uploader_generation", 0)
    files = st.file_uploader(
        f"PDF, Word, HTML, text or Markdown files, up to {MAX_UPLOAD_MB} MB each",
        type=[suffix.lstrip(".") for suffix in ALLOWED_SUFFIXES],
        accept_multiple_files=True,
        key=f"uploader-{generation}",
    )
    accepted: list[tuple[CheckedUpload, bytes]] = []
    for file in files or []:
        try:
            check_size(file.name, file.size)  # before its bytes are copied out
            data = file.getvalue()
            accepted.append((check_upload(file.name, data, settings.documents_dir), data))
        except UploadRejected as error:
            st.error(f"Not added: {error}", icon=":material/block:")
    replace = {
        upload.name: st.checkbox(
            f"Replace the existing file {upload.name}", key=f"replace-{generation}-{upload.name}"
        )
        for upload, _ in accepted
        if upload.exists
    }
    if not accepted:
        return
    if st.button("Add to the library and update the index", type="primary", key="add-files"):
        saved = []
        for upload, data in accepted:
            if upload.exists and not replace.get(upload.name):
                st.warning(f"Kept the existing {upload.name}: tick “Replace” to overwrite it.")
                continue
            save_upload(settings.documents_dir, upload, data, overwrite=upload.exists)
            saved.append(upload.name)
        if saved:
            st.session_state.uploader_generation = generation + 1
            st.session_state.added_files = saved
            _start_update(settings)
            st.rerun()


def metadata_section(settings: Settings, documents: list[DocumentRecord]) -> None:
    """Correct a document's title, organisation, type or date in the sidecar file, then re-ingest."""
    st.subheader("Correct a document's details")
    if not documents:
        return
    by_source = {d.source: d for d in documents}
    source = st.selectbox(
        "Document",
        list(by_source),
        format_func=lambda s: f"{by_source[s].title} ({s})",
        key="edit-source",
    )
    record = by_source[source]
    with st.form(f"edit-{source}"):
        entered = {
            name: st.text_input(
                label, value=getattr(record, name) or "", key=f"edit-{name}-{source}"
            )
            for name, label in EDITABLE
        }
        submitted = st.form_submit_button("Save and update the index")
    if not submitted:
        return
    changed = {
        name: value.strip()
        for name, value in entered.items()
        if value.strip() != (getattr(record, name) or "")
    }
    if not changed:
        st.info("Nothing was changed.")
        return
    try:
        path = save_metadata(settings.documents_dir, source, changed)
    except SidecarError as error:
        st.error(f"Not saved: {error}")
        return
    st.success(f"Saved in {path.name}. The index is being updated so that answers use it.")
    _start_update(settings)


def main() -> None:
    settings = current_settings()
    st.title("Library")
    added = st.session_state.pop("added_files", None)
    if added:
        st.success(f"Added {', '.join(added)}. The index is being updated.")
    manifest = library_manifest(settings)
    if isinstance(manifest, EngineProblem):
        show_problem(manifest, settings)
    else:
        show_ingest_progress(settings)
        show_index(manifest)
        job = current_job(settings)
        if job is None or not job.running:
            st.button(
                "Update the index from the documents folder",
                key="update-index",
                help="Reads new, changed and removed files; unchanged ones are kept as they are.",
                on_click=_start_update,
                args=(settings,),
            )
        metadata_section(settings, manifest.documents)
    upload_section(settings)


main()
