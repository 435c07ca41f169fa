"""The Library page: what is indexed and skipped, adding documents, correcting their details."""

from __future__ import annotations

import yaml

from app.ingest_job import current_job
from index.store import read_manifest
from tests.app.conftest import PDF_NAME, wait_for

NEW_TEXT = (
    b"Allotment strategy. The council will create forty new allotment plots in Hythe by 2027."
)


def library(make_app, settings):
    app = make_app(settings).run()
    app.switch_page("pages_library.py").run()
    assert not app.exception
    return app


def finished(settings) -> bool:
    job = current_job(settings)
    return job is not None and not job.running


def messages(app, kind: str) -> list[str]:
    return [e.value for e in app.get(kind)]


def test_documents_skipped_files_and_build_details(app_library, make_app):
    app = library(make_app, app_library)
    documents, skipped = app.dataframe[0].value, app.dataframe[1].value
    assert len(documents) == 7
    pdf = documents[documents["File"] == PDF_NAME].iloc[0]
    assert (pdf["Organisation"], pdf["Type"], pdf["Date"], pdf["Pages"]) == (
        "Kent County Council",
        "report",
        "2025-01",
        3,
    )
    assert list(skipped["File"]) == ["old-minutes.doc"]
    assert "Word 97-2003" in skipped["Why"].iloc[0]
    caption = " ".join(c.value for c in app.caption)
    assert (
        "7 documents" in caption
        and "sentence-transformers/all-MiniLM-L6-v2" in caption
        and "Built 20" in caption
    )


def test_upload_is_validated_saved_and_indexed(library_copy, make_app):
    app = library(make_app, library_copy)
    uploader = app.file_uploader[0]
    uploader.set_value(
        [
            ("../../escape.txt", NEW_TEXT, "text/plain"),
            ("allotments.txt", NEW_TEXT, "text/plain"),
            ("fake.pdf", b"MZ this is a program", "application/pdf"),
            ("empty.md", b"", "text/markdown"),
        ]
    ).run()
    errors = messages(app, "error")
    assert any("fake.pdf" in e and "not a real .pdf" in e for e in errors)
    assert any("empty.md" in e and "empty" in e for e in errors)
    assert any("escape.txt" in e and "leads out of its folder" in e for e in errors)
    app.button(key="add-files").click().run()
    assert not app.exception
    assert (library_copy.documents_dir / "allotments.txt").read_bytes() == NEW_TEXT
    assert not (library_copy.documents_dir / "escape.txt").exists()
    assert not (library_copy.documents_dir.parent / "escape.txt").exists()
    assert not (library_copy.documents_dir / "fake.pdf").exists()
    wait_for(app, lambda: finished(library_copy))
    assert current_job(library_copy).error is None
    sources = [d.source for d in read_manifest(library_copy.index_dir).documents]
    assert "allotments.txt" in sources
    assert "allotments.txt" in list(app.dataframe[0].value["File"])


def test_an_existing_file_is_replaced_only_when_confirmed(library_copy, make_app):
    target = library_copy.documents_dir / "parking-permits-notice.txt"
    before = target.read_bytes()
    app = library(make_app, library_copy)
    app.file_uploader[0].set_value([("parking-permits-notice.txt", NEW_TEXT, "text/plain")]).run()
    confirm = app.checkbox[0]
    assert confirm.label == "Replace the existing file parking-permits-notice.txt"
    app.button(key="add-files").click().run()
    assert target.read_bytes() == before
    assert any(
        "Kept the existing parking-permits-notice.txt" in w for w in messages(app, "warning")
    )
    app.checkbox[0].check().run()
    app.button(key="add-files").click().run()
    assert target.read_bytes() == NEW_TEXT
    wait_for(app, lambda: finished(library_copy))


def test_metadata_edit_writes_the_sidecar_and_reindexes(library_copy, make_app):
    app = library(make_app, library_copy)
    app.selectbox(key="edit-source").set_value(PDF_NAME).run()
    app.text_input(key=f"edit-organisation-{PDF_NAME}").input("Kent and Medway ICB")
    app.text_input(key=f"edit-date-{PDF_NAME}").input("2025-02-03")
    app.button[-1].click().run()  # the form's submit button
    assert not app.exception
    assert any("Saved in metadata.yaml" in s for s in messages(app, "success"))
    sidecar = yaml.safe_load((library_copy.documents_dir / "metadata.yaml").read_text())
    assert sidecar[PDF_NAME] == {
        "title": "Health Improvement Fund annual report",
        "organisation": "Kent and Medway ICB",
        "doc_type": "report",
        "date": "2025-02-03",
    }
    assert (
        sidecar["medway-committee-kent-medway-integrated-care-strategy-minutes.txt"]["organisation"]
        == "Medway Council"
    )
    wait_for(app, lambda: finished(library_copy))
    record = next(
        d for d in read_manifest(library_copy.index_dir).documents if d.source == PDF_NAME
    )
    assert (record.organisation, record.date) == ("Kent and Medway ICB", "2025-02-03")


def test_a_bad_date_is_refused_with_the_reason(library_copy, make_app):
    app = library(make_app, library_copy)
    app.selectbox(key="edit-source").set_value(PDF_NAME).run()
    app.text_input(key=f"edit-date-{PDF_NAME}").input("3rd February")
    app.button[-1].click().run()
    assert any("is not YYYY-MM-DD" in e for e in messages(app, "error"))
    assert "3rd February" not in (library_copy.documents_dir / "metadata.yaml").read_text()
