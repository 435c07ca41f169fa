"""Bounded reading: files that once stopped an ingest or took gigabytes are skipped with a reason."""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import struct
import time
from pathlib import Path

import docx
import pytest

from ingest.document import UnreadableDocument
from ingest.fuzz import write_deep_html, write_zip_bomb
from ingest.limits import ReadLimits
from ingest.reader import READERS, Reading, read_document
from tests.ingest.documents import draw_pdf

DEFAULTS = ReadLimits()


def _reason(path: Path, limits: ReadLimits = DEFAULTS) -> str:
    with pytest.raises(UnreadableDocument) as raised:
        read_document(path, path.parent, limits=limits)
    return raised.value.reason


def test_deeply_nested_html_is_refused_as_too_deep(tmp_path: Path) -> None:
    started = time.perf_counter()
    reason = _reason(write_deep_html(tmp_path / "export.html", 200_000))
    assert reason.startswith("nesting too deep: more than 256 levels")
    assert time.perf_counter() - started < 5  # refused before a parse tree is built


def test_html_nested_within_the_limit_is_read(tmp_path: Path) -> None:
    document = read_document(write_deep_html(tmp_path / "deep.html", 200), tmp_path)
    assert "our priorities" in document.text


def test_a_docx_zip_bomb_is_refused_by_its_declared_size_without_inflating(tmp_path: Path) -> None:
    bomb = write_zip_bomb(tmp_path / "bomb.docx", 2048)
    assert bomb.stat().st_size < 3_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reason = _reason(bomb)
    assert reason.startswith("zip bomb: its parts declare 2,147 MB once inflated")
    assert "word/document.xml" in reason and "max_inflated_mb" in reason
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # kB


def test_a_zip_bomb_with_a_forged_size_is_refused_by_its_actual_size(tmp_path: Path) -> None:
    bomb = bytearray(write_zip_bomb(tmp_path / "forged.docx", 20).read_bytes())
    # Declare 1,000 bytes for word/document.xml in the central directory entry, as a forger would.
    entry = bomb.rindex(b"PK\x01\x02")
    struct.pack_into("<I", bomb, entry + 24, 1000)
    (tmp_path / "forged.docx").write_bytes(bomb)
    reason = _reason(tmp_path / "forged.docx", ReadLimits(max_inflated_mb=5))
    assert reason.startswith("zip bomb: its parts reach more than 5 MB once inflated")


def test_a_real_docx_passes_the_inflation_check(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("The carers strategy.")
    word.save(str(tmp_path / "carers.docx"))
    assert "carers strategy" in read_document(tmp_path / "carers.docx", tmp_path).text


def test_text_over_the_size_limit_is_refused_with_the_setting_named(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_text("word " * 300_000, encoding="utf-8")
    reason = _reason(tmp_path / "dump.txt", ReadLimits(max_text_mb=1))
    assert reason == (
        "too large: 1.5 MB of text, over the limit of 1 MB (setting max_text_mb); split the file"
    )
    assert read_document(tmp_path / "dump.txt", tmp_path, limits=ReadLimits(max_text_mb=2)).text


def test_pdfs_over_the_page_limit_are_refused(tmp_path: Path) -> None:
    draw_pdf(tmp_path / "long.pdf", [[f"Item {n}"] for n in range(6)])
    reason = _reason(tmp_path / "long.pdf", ReadLimits(max_pages=5))
    assert reason == "too many pages: 6, over the limit of 5 (setting max_pages); split the file"


def _library(tmp_path: Path, names: list[str]) -> dict[str, Path]:
    for name in names:
        (tmp_path / name).write_text(f"Notes of {name}.\n", encoding="utf-8")
    return {name: tmp_path / name for name in names}


def _crash(path: Path) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)  # what a native parser's bug does to the process


def test_a_crashing_reader_costs_only_its_file_and_the_process_restarts(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setitem(READERS, ".crash", _crash)
    names = ["a.txt", "b.crash", "c.txt", "d.crash", "e.txt"]
    for name in names:
        (tmp_path / name).write_text(f"Notes of {name}.\n", encoding="utf-8")
    reading = Reading({name: tmp_path / name for name in names}, tmp_path, {}, background=True)
    outcomes = dict(reading)
    assert list(outcomes) == names
    for name in ("b.crash", "d.crash"):
        assert outcomes[name].reason == (
            "the reading process was stopped by SIGSEGV while reading this file"
        )
    assert all("Notes of" in outcomes[name].text for name in ("a.txt", "c.txt", "e.txt"))
    assert reading.restarts == 2


def _read_slowly(path: Path) -> None:
    """A reader that hangs on its file, as pypdf can on a damaged content stream (PDFium reads
    the test's own large PDFs too fast to stand in for one)."""
    time.sleep(60)


def test_a_file_that_takes_too_long_is_stopped_and_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(READERS, ".slow", _read_slowly)
    paths = _library(tmp_path, ["a.txt", "hangs.slow", "z.txt"])
    reading = Reading(paths, tmp_path, {}, True, ReadLimits(file_timeout_seconds=0.5))
    outcomes = dict(reading)
    assert outcomes["hangs.slow"].reason.startswith("took longer than 0.5 s to read")
    assert "Notes of z.txt" in outcomes["z.txt"].text


def test_a_reading_process_killed_mid_file_costs_only_that_file(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setitem(READERS, ".slow", _read_slowly)
    paths = _library(tmp_path, ["a.txt", "hangs.slow", "z.txt"])
    outcomes = iter(Reading(paths, tmp_path, {}, background=True))
    assert next(outcomes)[0] == "a.txt"
    time.sleep(0.5)  # well into hangs.slow, which takes a minute
    for worker in multiprocessing.active_children():
        os.kill(worker.pid, signal.SIGKILL)  # as the out-of-memory killer would
    rest = dict(outcomes)
    assert rest["hangs.slow"].reason == (
        "the reading process was stopped by SIGKILL while reading this file (out of memory?)"
    )
    assert "Notes of z.txt" in rest["z.txt"].text


def test_a_file_that_needs_too_much_memory_is_stopped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(READERS, ".greedy", _allocate_forever)
    (tmp_path / "a.greedy").write_text("x", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Notes.\n", encoding="utf-8")
    paths = {"a.greedy": tmp_path / "a.greedy", "b.txt": tmp_path / "b.txt"}
    outcomes = dict(Reading(paths, tmp_path, {}, True, ReadLimits(reader_memory_mb=200)))
    assert outcomes["a.greedy"].reason.startswith("needed more than 200 MB of memory to read")
    assert outcomes["b.txt"].text == "Notes."


def _allocate_forever(path: Path) -> None:
    hoard = []
    for _ in range(100):  # 2 GB at most, in 20 MB steps the watchdog sees
        hoard.append(bytearray(20_000_000))
        time.sleep(0.05)


def test_a_pdf_or_docx_named_as_text_is_refused_with_what_it_is(tmp_path: Path) -> None:
    draw_pdf(tmp_path / "minutes.html", [["Item 1"]])
    assert _reason(tmp_path / "minutes.html") == (
        "not .html: this is a PDF with the wrong name; rename it"
    )
    word = docx.Document()
    word.add_paragraph("Notes.")
    word.save(str(tmp_path / "notes.txt"))
    assert _reason(tmp_path / "notes.txt").startswith("not .txt: this is a zip or Word (.docx)")
