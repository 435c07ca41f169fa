"""Building the index: citations, token limits, bad files, incremental and atomic updates."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document as WordDocument

from index.build import build_index, embedding_text
from index.checksums import write_checksums
from index.embedder import load_embedder
from index.search import Searcher, open_searcher
from index.settings import Settings
from index.store import IndexMismatch, open_store, read_manifest
from tests.conftest import HARD, kill_ingest_while_embedding, write_pdf

PAGE_TWO = (
    "The district councils agreed to lead a housing improvement programme for older residents, "
    "funded through the Disabled Facilities Grant and delivered with home improvement agencies."
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    root.mkdir()
    write_pdf(
        root / "board-report.pdf",
        [
            [
                "Health and Wellbeing Board report on prevention.",
                "Smoking cessation services were reviewed.",
            ],
            [PAGE_TWO],
            ["The board noted the annual report of the Director of Public Health."],
        ],
    )
    word = WordDocument()
    word.add_heading("Joint Strategy", level=1)
    word.add_heading("Mental health", level=2)
    word.add_paragraph("Talking therapies waiting times fell to six weeks across the county.")
    word.add_heading("Carers", level=2)
    word.add_paragraph("Unpaid carers will receive a personal budget for short breaks from April.")
    word.save(root / "strategy.docx")
    return root


def _settings(tmp_path: Path, library: Path) -> Settings:
    return Settings(documents_dir=library, index_dir=tmp_path / "index")


def test_pages_and_sections_are_cited(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    searcher = open_searcher(settings)

    housing = searcher.search("Which grant funds housing improvements for older people?", k=3)
    assert housing.results[0].source == "board-report.pdf"
    assert housing.results[0].page == 2
    assert any("Disabled Facilities Grant" in h for h in housing.results[0].highlights)

    carers = searcher.search("Will unpaid carers get money for short breaks?", k=3)
    top = carers.results[0]
    assert top.source == "strategy.docx"
    assert top.section is not None and "Carers" in top.section
    assert top.page is None


def test_no_passage_exceeds_the_model_window(tmp_path, embedder):
    root = tmp_path / "documents"
    root.mkdir()
    long_paragraph = " ".join(
        f"Integrated care partnership priority {n} concerns prevention, hospital discharge, "
        f"intermediate care, reablement and community-based mental-health support in locality {n}."
        for n in range(120)
    )
    (root / "long.txt").write_text(
        long_paragraph + "\n\nA short closing paragraph.", encoding="utf-8"
    )
    settings = replace(_settings(tmp_path, root), passage_tokens=200, context_tokens=48)
    build_index(settings, embedder, progress=False)
    store = open_store(settings.index_dir)
    assert len(store.passages) > 10
    record = store.manifest.documents[0]
    for passage in store.passages:
        assert embedder.count_tokens(passage.text) <= settings.passage_tokens
        text = embedding_text(
            embedder, record.title, passage.section, passage.text, settings.context_tokens
        )
        assert embedder.count_tokens(text) + 2 <= embedder.max_tokens
        assert (
            store.document_text(passage.source).text[passage.char_start : passage.char_end]
            == passage.text
        )


@pytest.mark.skipif(not HARD.is_dir(), reason="needs ../shared/corpus/hard beside the repo")
def test_hard_files_are_reported_and_the_rest_indexed(tmp_path, library, embedder):
    for name in os.listdir(HARD):
        shutil.copy(HARD / name, library / name)
    report = build_index(_settings(tmp_path, library), embedder, progress=False)
    reasons = {s.source: s.reason for s in report.skipped}
    assert "encrypted" in reasons["libreoffice-writer-password.pdf"].lower()
    assert "Cabinet Office - Wikipedia.corrupt.pdf" in reasons
    assert ".doc" in reasons["census_2011_headline_population_stats1.doc"]
    indexed = {d.source for d in read_manifest(tmp_path / "index").documents}
    assert {
        "board-report.pdf",
        "strategy.docx",
        "multicolumn.pdf",
        "GeoTopo-komprimiert.pdf",
    } <= indexed


def test_unchanged_reingest_embeds_nothing_and_changes_are_incremental(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    first = build_index(settings, embedder, progress=False)
    assert first.embedded_passages > 0

    calls = load_embedder.cache_info()
    again = build_index(settings, progress=False)  # no model given: loaded only if needed
    assert load_embedder.cache_info() == calls
    assert again.embedded_passages == 0 and not again.written
    assert again.documents == first.documents and again.passages == first.passages

    (library / "new.txt").write_text(
        "Leisure centres will open longer in the summer.", encoding="utf-8"
    )
    (library / "strategy.docx").unlink()
    changed = build_index(settings, embedder, progress=False)
    assert changed.added == ["new.txt"] and changed.removed == ["strategy.docx"]
    assert changed.embedded_passages == 1
    assert [d.source for d in read_manifest(settings.index_dir).documents] == [
        "board-report.pdf",
        "new.txt",
    ]
    answer = open_searcher(settings).search("When will leisure centres open longer?", k=1)
    assert answer.results[0].source == "new.txt"


def test_rebuild_reads_and_embeds_unchanged_files_again(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    first = build_index(settings, embedder, progress=False)
    again = build_index(settings, embedder, progress=False, rebuild=True)
    assert again.embedded_passages == first.embedded_passages and again.written
    assert sorted(again.changed) == sorted(first.added) and not again.added
    assert again.unchanged == 0 and not again.removed
    answer = open_searcher(settings).search("Which grant funds housing improvements?", k=1)
    assert answer.results[0].source == "board-report.pdf"


def test_killed_ingest_leaves_the_previous_index_answering(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    before = read_manifest(settings.index_dir).built_at

    bulk = "\n\n".join(
        f"Paragraph {n}: the council's locality teams reviewed social prescribing, falls prevention "
        f"and hospital discharge arrangements with primary care networks in area {n}." * 3
        for n in range(400)
    )
    (library / "bulk.txt").write_text(bulk, encoding="utf-8")
    kill_ingest_while_embedding(library, settings.index_dir)

    assert read_manifest(settings.index_dir).built_at == before
    response = open_searcher(settings).search("Which grant funds housing improvements?", k=2)
    assert response.results[0].source == "board-report.pdf"

    report = build_index(settings, embedder, progress=False)
    assert report.added == ["bulk.txt"] and report.unchanged == 2
    assert not list(settings.index_dir.glob("*.partial"))


def test_an_index_built_with_another_model_is_refused(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    copy = tmp_path / "my-model"
    shutil.copytree(_model_folder(), copy)
    other = load_embedder(str(copy))
    with pytest.raises(IndexMismatch, match="precedent ingest"):
        Searcher(open_store(settings.index_dir), other, replace(settings, model=str(copy)))


def test_an_index_with_a_vector_index_no_longer_read_is_refused_then_rebuilt(
    tmp_path, library, embedder
):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    generation = settings.index_dir / (settings.index_dir / "CURRENT").read_text().strip()
    manifest = generation / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"flat"', '"hnsw"'))
    write_checksums(generation)  # as the older version that wrote it would have
    with pytest.raises(IndexMismatch, match="'hnsw' vector index.*precedent ingest"):
        open_store(settings.index_dir)
    report = build_index(settings, embedder, progress=False)
    assert sorted(report.added) == ["board-report.pdf", "strategy.docx"]
    assert open_store(settings.index_dir).manifest.vector_index == "flat"


def _model_folder() -> Path:
    from index.embedder import resolve_model_path

    return Path(resolve_model_path(Settings().model))
