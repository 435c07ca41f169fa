"""Plain-text and Markdown readers: encodings, binary files, paragraphs and headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import UnreadableDocument
from ingest.formats.markdown import read_markdown
from ingest.formats.text import read_text


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_paragraphs_become_blocks_without_pages(tmp_path: Path) -> None:
    path = _write(tmp_path, "minutes.txt", b"Agenda item\n\nThe Board noted\nthe report.\n")
    raw = read_text(path)
    assert "The Board noted the report." in raw.blocks[0].text
    assert raw.pages is None
    assert raw.warnings == []


@pytest.mark.parametrize(
    ("data", "warned"),
    [
        ("Children’s services – café".encode(), False),
        ("\ufeffChildren’s services – café".encode(), False),  # UTF-8 with a BOM
        ("Children’s services – café".encode("cp1252"), True),
        ("Children’s services – café".encode("utf-16"), False),
    ],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, warned: bool) -> None:
    raw = read_text(_write(tmp_path, "note.txt", data))
    assert raw.blocks[0].text == "Children’s services – café"
    assert bool(raw.warnings) is warned


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "not text: binary content"),
        (bytes(range(128, 160)) * 50, "not text: binary content"),
    ],
)
def test_empty_and_binary_files_are_rejected(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableDocument, match=reason):
        read_text(_write(tmp_path, "odd.txt", data))


MARKDOWN = """---
layout: page
---
# Leeds Health and Wellbeing Strategy

Intro with a [link to the plan](https://example.org/plan.pdf) and ![a chart](chart.png).

## Priorities

We will **act early** and _work together_ on `prevention`.

| Priority | Lead |
|---|:---:|
| Housing | Council |

Setext heading
--------------

- first point
- second point
"""


def test_markdown_headings_are_sections_and_syntax_is_stripped(tmp_path: Path) -> None:
    raw = read_markdown(_write(tmp_path, "strategy.md", MARKDOWN.encode()))
    sections = {block.section: block.text for block in raw.blocks}
    assert raw.embedded_title == "Leeds Health and Wellbeing Strategy"
    assert "Intro with a link to the plan and ." in sections["Leeds Health and Wellbeing Strategy"]
    priorities = sections["Priorities"]
    assert "We will act early and work together on prevention." in priorities
    assert "| Priority | Lead |\n| Housing | Council |" in priorities
    assert "- first point\n- second point" in sections["Setext heading"]
    text = "\n".join(block.text for block in raw.blocks)
    for noise in ("https://", "chart.png", "**", "layout:", "---", "`"):
        assert noise not in text, noise
