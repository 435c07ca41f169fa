"""DOCX reader on a real Word file made with python-docx: headings, body order, tables."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from ingest.document import UnreadableDocument
from ingest.formats.docx import read_docx
from tests.ingest.documents import LIBRARY


@pytest.fixture
def strategy_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Old template title that names another document"
    document.add_heading("Medway Joint Health and Wellbeing Strategy", level=0)
    document.add_paragraph("This strategy sets out how partners will work together.")
    document.add_heading("Priorities", level=1)
    document.add_paragraph("Before the table: our three priorities.")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [("Priority", "Lead", "Timescale"), ("Healthy homes", "Housing team", "2025"),
         ("Active travel", "Transport", "2026")],
        strict=True,
    ):  # fmt: skip
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("After the table: how we will measure progress.")
    document.add_heading("Delivery", level=2)
    document.add_paragraph("Delivery is overseen by the Health and Wellbeing Board.")
    path = tmp_path / "strategy.docx"
    document.save(str(path))
    return path


def test_headings_become_sections(strategy_docx: Path) -> None:
    raw = read_docx(strategy_docx)
    sections = {block.section for block in raw.blocks if "Delivery is overseen" in block.text}
    assert sections == {"Delivery"}
    assert any(
        block.section == "Priorities" and "three priorities" in block.text for block in raw.blocks
    )
    assert all(block.page is None for block in raw.blocks)


def test_table_rows_come_out_in_reading_order(strategy_docx: Path) -> None:
    text = "\n\n".join(block.text for block in read_docx(strategy_docx).blocks)
    before = text.index("Before the table")
    rows = [text.index(row) for row in ("Priority | Lead | Timescale",
                                        "Healthy homes | Housing team | 2025",
                                        "Active travel | Transport | 2026")]  # fmt: skip
    assert before < rows[0] < rows[1] < rows[2] < text.index("After the table")


def test_title_paragraph_wins_over_core_properties(strategy_docx: Path) -> None:
    assert read_docx(strategy_docx).embedded_title == "Medway Joint Health and Wellbeing Strategy"


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"plain text, not Word"])
def test_corrupt_docx_is_reported(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    with pytest.raises(
        UnreadableDocument, match=r"not a valid DOCX \(corrupt or not a Word file\)"
    ):
        read_docx(path)


def test_a_zip_that_is_not_a_word_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnreadableDocument, match="not a valid DOCX"):
        read_docx(path)


@pytest.mark.skipif(not LIBRARY.is_dir(), reason="needs ../shared/corpus/library")
def test_real_docx_with_content_controls_and_tables() -> None:
    raw = read_docx(LIBRARY / "jsna_eye_health_sight_loss_briefing.docx")
    text = "\n\n".join(block.text for block in raw.blocks)
    assert "Overview of eye conditions" in {block.section for block in raw.blocks}
    assert " | " in text  # its tables
    assert "toc" not in text.casefold().split()  # contents lines skipped, not their style names
