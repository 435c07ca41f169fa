"""read_document and list_library: dispatch by suffix, sources, overrides, and files that fail."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from ingest.document import UnreadableDocument
from ingest.reader import SUPPORTED_SUFFIXES, Reading, list_library, read_document
from ingest.sidecar import load_sidecar
from ingest.split import Splitting
from tests.ingest.documents import HARD, draw_pdf


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    (root / "Kent papers").mkdir(parents=True)
    draw_pdf(root / "Kent papers" / "Cabinet Minutes 30th-Jan-2025.PDF",
             [["KENT COUNTY COUNCIL"], ["Item 1: apologies"], ["Item 2: the strategy"]])  # fmt: skip
    (root / "notes.TXT").write_text("Leeds City Council scrutiny notes.\n", encoding="utf-8")
    (root / "plan.Markdown").write_text("# Delivery plan\n\nText.\n", encoding="utf-8")
    (root / "page.htm").write_text("<html><body><main><p>Hello</p></main></body></html>", "utf-8")
    document = docx.Document()
    document.add_paragraph("A Word document.")
    document.save(str(root / "report.docx"))
    (root / "census.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy word")
    (root / "metadata.yaml").write_text("notes.TXT:\n  title: Scrutiny notes\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("secret", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]", encoding="utf-8")
    return root


def test_list_library_lists_everything_but_hidden_files_and_the_sidecar(library: Path) -> None:
    names = [path.relative_to(library).as_posix() for path in list_library(library)]
    assert names == [
        "census.doc",
        "Kent papers/Cabinet Minutes 30th-Jan-2025.PDF",
        "notes.TXT",
        "page.htm",
        "plan.Markdown",
        "report.docx",
    ]


def test_suffixes_are_matched_whatever_their_case(library: Path) -> None:
    for path in list_library(library):
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            assert read_document(path, library).blocks


def test_source_is_relative_with_forward_slashes_and_pages_are_counted(library: Path) -> None:
    document = read_document(library / "Kent papers" / "Cabinet Minutes 30th-Jan-2025.PDF", library)
    assert document.source == "Kent papers/Cabinet Minutes 30th-Jan-2025.PDF"
    assert document.pages == 3
    assert [block.page for block in document.blocks] == [1, 2, 3]
    assert document.metadata.organisation == "Kent County Council"
    assert document.metadata.doc_type == "minutes"
    assert document.metadata.date == "2025-01-30"


def test_sidecar_entry_overrides_inferred_metadata(library: Path) -> None:
    inferred = read_document(library / "notes.TXT", library)
    assert inferred.metadata.organisation == "Leeds City Council"
    overridden = read_document(
        library / "notes.TXT", library, {"title": "Scrutiny notes", "date": ""}
    )
    assert overridden.metadata.title == "Scrutiny notes"
    assert overridden.metadata.organisation == "Leeds City Council"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("census.doc", "unsupported format .doc (Word 97-2003; save it as .docx or PDF)"),
        ("budget.xls", "unsupported format .xls (Excel 97-2003 spreadsheet"),
        ("slides.ppt", "unsupported format .ppt (PowerPoint 97-2003; save it as PDF)"),
        ("letter.rtf", "unsupported format .rtf (Rich Text Format"),
        ("draft.odt", "unsupported format .odt (OpenDocument text"),
        ("photo.JPG", "unsupported format .jpg; supported: PDF, Word (.docx), HTML"),
        ("README", "unsupported format (no file extension)"),
    ],
)
def test_unsupported_formats_have_a_helpful_reason(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / name).write_bytes(b"data")
    with pytest.raises(UnreadableDocument) as raised:
        read_document(tmp_path / name, tmp_path)
    assert raised.value.path == name
    assert raised.value.reason.startswith(reason)


def test_unreadable_file_is_reported_with_its_source(library: Path) -> None:
    broken = library / "Kent papers" / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(UnreadableDocument) as raised:
        read_document(broken, library)
    assert raised.value.path == "Kent papers/broken.pdf"
    assert raised.value.reason.startswith("not a valid PDF")


def test_a_reading_process_gives_what_reading_here_gives(library: Path, embedder) -> None:
    (library / "Kent papers" / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    paths = {p.relative_to(library).as_posix(): p for p in list_library(library)}
    sidecar = load_sidecar(library)
    here = list(Reading(paths, library, sidecar, background=False))
    splitting = Splitting(embedder.word_pieces, passage_tokens=60, overlap_tokens=10)
    reading = Reading(paths, library, sidecar, True, splitting=splitting)
    there = list(reading)
    assert not reading.busy
    assert [source for source, _ in there] == list(paths)
    for (source, mine), (_, theirs) in zip(here, there):
        if isinstance(mine, UnreadableDocument):
            assert isinstance(theirs, UnreadableDocument), source
            assert (theirs.path, theirs.reason) == (mine.path, mine.reason)
        else:  # split there exactly as splitting here would have split it
            assert theirs.passages and theirs.passages == splitting(mine), source
            assert replace(theirs, passages=[]) == mine, source
    broken = dict(there)["Kent papers/broken.pdf"]
    assert isinstance(broken, UnreadableDocument) and broken.reason.startswith("not a valid PDF")
    assert dict(there)["notes.TXT"].metadata.title == "Scrutiny notes"


def test_files_are_still_read_when_the_reading_process_dies(library: Path, caplog) -> None:
    for number in range(30):  # enough work that the process is still busy when it is killed
        draw_pdf(
            library / f"minutes-{number:02d}.pdf", [[f"Item {n}: the strategy"] for n in range(8)]
        )
    paths = {p.relative_to(library).as_posix(): p for p in list_library(library)}
    reading = Reading(paths, library, load_sidecar(library), background=True)
    outcomes = iter(reading)
    first = next(outcomes)
    for worker in multiprocessing.active_children():
        os.kill(worker.pid, signal.SIGKILL)
    rest = list(outcomes)
    assert [source for source, _ in [first, *rest]] == list(paths)
    assert dict(rest)["notes.TXT"].metadata.title == "Scrutiny notes"
    assert "the reading process stopped" in caplog.text


HARD_EXPECTED = {
    "Cabinet Office - Wikipedia.corrupt.pdf": "not a valid PDF",
    "libreoffice-writer-password.pdf": "encrypted PDF: needs a password",
    "census_2011_headline_population_stats1.doc": "unsupported format .doc (Word 97-2003",
    "unreadablemetadata.pdf": "not a valid PDF",
}


@pytest.mark.skipif(not HARD.is_dir(), reason="needs ../shared/corpus/hard")
@pytest.mark.parametrize("name", sorted(HARD_EXPECTED))
def test_hard_files_fail_with_a_reason(name: str) -> None:
    with pytest.raises(UnreadableDocument) as raised:
        read_document(HARD / name, HARD)
    assert raised.value.reason.startswith(HARD_EXPECTED[name])


@pytest.mark.skipif(not HARD.is_dir(), reason="needs ../shared/corpus/hard")
@pytest.mark.parametrize(
    ("name", "pages", "phrase"),
    [
        ("multicolumn.pdf", 3, "Two-Column Document with Lorem Ipsum"),
        ("habibi-rotated.pdf", 4, "habibi"),
        ("GeoTopo-komprimiert.pdf", 117, "Geometrie und Topologie"),
    ],
)
def test_hard_files_that_can_be_read(name: str, pages: int, phrase: str) -> None:
    started = time.perf_counter()
    document = read_document(HARD / name, HARD)
    assert time.perf_counter() - started < 30  # about 3 s for the 117 pages; guards against hangs
    assert document.pages == pages
    assert phrase in document.text
    assert all(1 <= block.page <= pages for block in document.blocks)
