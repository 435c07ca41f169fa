"""DOCX reader: paragraphs and tables in document order, with Word headings as sections."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from lxml.etree import XMLSyntaxError

from ingest.clean import normalise_text
from ingest.document import UnreadableDocument
from ingest.formats import MAX_BLOCK_CHARS, Paragraph, RawFile, build_blocks

_HEADING_STYLE = re.compile(r"^(Title|Heading \d)$", re.IGNORECASE)
_SKIPPED_STYLE = re.compile(r"^toc ", re.IGNORECASE)  # a table of contents repeats the headings
TITLE_SEARCH = 20  # body elements in which to look for Title-styled paragraphs
NOT_A_DOCX = "not a valid DOCX (corrupt or not a Word file)"


def read_docx(path: Path) -> RawFile:
    """Read a Word document; tables come out row by row as "cell | cell | cell" lines."""
    if path.stat().st_size == 0:
        raise UnreadableDocument(str(path), "empty file")
    try:
        document = docx.Document(str(path))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        XMLSyntaxError,
        ValueError,
    ) as err:
        raise UnreadableDocument(str(path), NOT_A_DOCX) from err
    styles = _StyleNames(document)
    paragraphs = list(_paragraphs(document, styles))
    if not paragraphs:
        raise UnreadableDocument(str(path), "no text (empty document)")
    return RawFile(blocks=build_blocks(paragraphs), embedded_title=_title(document, styles))


class _StyleNames:
    """Each paragraph style's name, found once per document: for a paragraph that names no
    style, python-docx searches every style for the default one, each time (that search was
    most of a large DOCX's reading time)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.names: dict[str | None, str] = {}

    def __call__(self, element: CT_P) -> str:
        style_id = element.style  # the w:pStyle it names, or None
        if style_id not in self.names:
            style = WordParagraph(element, self.document).style
            self.names[style_id] = style.name if style is not None and style.name else ""
        return self.names[style_id]


def _paragraphs(document: Document, style_name: _StyleNames) -> Iterator[Paragraph]:
    section: str | None = None
    for element in _body_elements(document.element.body):
        if element.tag == qn("w:tbl"):
            for rows in _table_rows(element, document):
                yield Paragraph(text=rows, section=section)
            continue
        paragraph = WordParagraph(element, document)
        text = _clean(paragraph.text)
        style = style_name(element)
        if not text or _SKIPPED_STYLE.match(style):
            continue
        if _HEADING_STYLE.match(style):
            section = " ".join(text.split())
            yield Paragraph(text=text, section=section, heading=True)
        else:
            yield Paragraph(text=text, section=section)


def _body_elements(parent: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Paragraphs and tables in order, looking inside content controls (w:sdt) as Word shows them."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_elements(content)


def _table_rows(table: BaseOxmlElement, document: Document) -> Iterator[str]:
    """The table's rows as lines, grouped so that one group stays under the block size."""
    lines: list[str] = []
    size = 0
    for row in table.iterchildren(qn("w:tr")):
        cells = [
            " ".join(_Cell(cell, document).text.split()) for cell in row.iterchildren(qn("w:tc"))
        ]
        line = " | ".join(dict.fromkeys(cell for cell in cells if cell))  # merged cells repeat
        if not line:
            continue
        if lines and size + len(line) > MAX_BLOCK_CHARS:
            yield "\n".join(lines)
            lines, size = [], 0
        lines.append(line)
        size += len(line) + 1
    if lines:
        yield "\n".join(lines)


def _title(document: Document, style_name: _StyleNames) -> str | None:
    """The Title-styled paragraphs at the start of the body, else the core properties title."""
    titles: list[str] = []
    for element in islice(_body_elements(document.element.body), TITLE_SEARCH):
        if element.tag != qn("w:p"):
            continue
        paragraph = WordParagraph(element, document)
        text = " ".join(paragraph.text.split())
        if text and style_name(element) == "Title":
            titles.append(text)
        elif text and titles:
            break
    core = " ".join((document.core_properties.title or "").split())
    return " ".join(titles) or core or None


def _clean(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in normalise_text(text).split("\n"))
