"""No index, no documents, a wrong or missing model: a clear message and a fix, never a traceback."""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import replace

from app import ingest_job
from app.ingest_job import current_job
from index.checksums import write_checksums
from index.settings import Settings
from index.store import read_manifest
from tests.app.conftest import ask, wait_for
from tests.conftest import SEEDS


def texts(app) -> str:
    parts = [e.value for kind in ("info", "warning", "error", "success") for e in app.get(kind)]
    return "\n".join(parts)


def test_no_index_offers_to_build_it_and_then_answers(tmp_path, make_app):
    shutil.copytree(SEEDS, tmp_path / "documents")
    settings = Settings(documents_dir=tmp_path / "documents", index_dir=tmp_path / "index")
    app = make_app(settings).run()
    assert not app.exception
    assert "No index yet" in texts(app)
    app.button(key="build-missing").click().run()
    assert not app.exception
    wait_for(app, lambda: current_job(settings) is not None and not current_job(settings).running)
    assert current_job(settings).error is None
    assert len(read_manifest(settings.index_dir).documents) == 5
    ask(app, "What is the BCF?")
    assert any("data-found='true'" in h.value for h in app.html)


def test_no_documents_says_where_to_add_them(tmp_path, make_app):
    settings = Settings(documents_dir=tmp_path / "documents", index_dir=tmp_path / "index")
    app = make_app(settings).run()
    assert not app.exception
    assert "add documents on the Library page" in texts(app)
    assert not app.button


def test_missing_model_is_explained_with_the_fix(app_library, make_app, tmp_path):
    settings = replace(app_library, model=str(tmp_path / "no-such-model"))
    app = make_app(settings).run()
    assert not app.exception
    assert "The language model cannot be loaded" in texts(app)
    assert "PRECEDENT_MODEL" in texts(app)


def test_index_built_with_another_model_offers_a_rebuild(library_copy, make_app):
    generation = library_copy.index_dir / (library_copy.index_dir / "CURRENT").read_text().strip()
    manifest = json.loads((generation / "manifest.json").read_text())
    manifest["model"] = "some-other-model"
    (generation / "manifest.json").write_text(json.dumps(manifest))
    write_checksums(generation)  # as a build with that model would have
    app = make_app(library_copy).run()
    assert not app.exception
    assert "some-other-model" in texts(app) and "precedent ingest" in texts(app)
    assert [b.label for b in app.button] == ["Rebuild the index with the current model"]


def test_questions_are_answered_while_an_ingest_runs(library_copy, make_app, monkeypatch):
    """The old index answers until the new one is complete, then the next question uses the new one."""
    release = threading.Event()
    real_build = ingest_job.build_index

    def held_build(*args, **kwargs):
        assert release.wait(60), "the test never released the build"
        return real_build(*args, **kwargs)

    monkeypatch.setattr(ingest_job, "build_index", held_build)
    (library_copy.documents_dir / "allotments.txt").write_text(
        "Allotment strategy. The council will create forty new allotment plots in Hythe by 2027."
    )
    app = make_app(library_copy).run()
    job = ingest_job.start_ingest(library_copy)
    try:
        ask(app, "How many allotment plots will be created in Hythe?")
        assert job.running
        assert "being updated" in texts(app)
        assert not any("allotments.txt" in h.value for h in app.html)
    finally:
        release.set()
    wait_for(app, lambda: not job.running)
    assert job.error is None and job.report.added == ["allotments.txt"]
    ask(app, "How many new allotment plots will there be in Hythe?")
    assert any("File: allotments.txt" in h.value for h in app.html)
