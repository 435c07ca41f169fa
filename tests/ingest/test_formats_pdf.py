"""PDF reader on real PDFs drawn with reportlab: pages, footers, hyphens and the ways PDFs fail."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from ingest.document import UnreadableDocument
from ingest.formats.pdf import read_pdf
from ingest.formats.pdf_pypdf import read_with_pypdf
from tests.ingest.documents import LIBRARY, draw_image_only_pdf, draw_pdf

CONSULTATION = "JHWS-consultation-report-final.pdf"

PAGES = [
    ["Integrated care in Kent", "", "The council will deliver an integ-", "rated approach."],
    ["Housing support for older residents.", "Well-being matters to everyone."],
    [],  # a blank page: only the footer
    ["Appendix: delivery measures and timescales."],
]


@pytest.fixture
def strategy_pdf(tmp_path: Path) -> Path:
    return draw_pdf(tmp_path / "strategy.pdf", PAGES, title="Integrated care in Kent")


def test_blocks_carry_their_page_and_blank_pages_give_none(strategy_pdf: Path) -> None:
    raw = read_pdf(strategy_pdf)
    assert raw.pages == 4
    assert {block.page for block in raw.blocks} == {1, 2, 4}
    by_page = {block.page: block.text for block in raw.blocks}
    assert "older residents" in by_page[2]
    assert "delivery measures" in by_page[4]


def test_hyphenated_line_break_is_joined_real_hyphen_kept(strategy_pdf: Path) -> None:
    text = " ".join(block.text for block in read_pdf(strategy_pdf).blocks)
    assert "deliver an integrated approach" in text
    assert "Well-being matters" in text


def test_running_footer_is_dropped(strategy_pdf: Path) -> None:
    raw = read_pdf(strategy_pdf)
    assert not any("Page" in block.text and " of 4" in block.text for block in raw.blocks)


def test_embedded_title_is_read(strategy_pdf: Path) -> None:
    assert read_pdf(strategy_pdf).embedded_title == "Integrated care in Kent"


def test_user_password_pdf_is_reported_as_encrypted(tmp_path: Path) -> None:
    path = draw_pdf(
        tmp_path / "locked.pdf", [["secret"]], encrypt=StandardEncryption("pw", "owner")
    )
    with pytest.raises(UnreadableDocument, match="encrypted PDF: needs a password"):
        read_pdf(path)


def test_owner_password_only_pdf_opens_with_the_empty_password(tmp_path: Path) -> None:
    encrypt = StandardEncryption("", ownerPassword="owner", canPrint=0)
    path = draw_pdf(tmp_path / "restricted.pdf", [["Public health annual report"]], encrypt=encrypt)
    assert "Public health annual report" in read_pdf(path).blocks[0].text


def test_image_only_pdf_asks_for_ocr(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument, match=r"no text layer \(scanned or image-only PDF\)"):
        read_pdf(draw_image_only_pdf(tmp_path / "scan.pdf"))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"<html>this is a web page saved as .pdf</html>", "not a valid PDF"),
    ],
)
def test_empty_and_non_pdf_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match=reason):
        read_pdf(path)


def test_truncated_pdf_is_not_a_crash(strategy_pdf: Path, tmp_path: Path) -> None:
    data = strategy_pdf.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableDocument, match="not a valid PDF"):
        read_pdf(path)


def test_pypdf_log_noise_becomes_one_warning(
    tmp_path: Path, strategy_pdf: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = strategy_pdf.read_bytes()
    path = tmp_path / "bad-xref.pdf"
    path.write_bytes(data.replace(b"startxref", b"startxref\n999999\n%", 1))
    assert read_pdf(path).blocks  # PDFium repairs the cross-reference table silently
    with caplog.at_level(logging.WARNING):
        extracted = read_with_pypdf(path)  # the fallback for files PDFium cannot open
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]
    assert any(extracted.pages)
    assert any(warning.startswith("pypdf: ") for warning in extracted.warnings)


def test_the_outline_gives_pdf_text_its_sections(tmp_path: Path) -> None:
    """A bookmark's heading opens its section where the page shows it, and the section runs
    on over the next pages; text above the first heading has none."""
    pages = [
        ["Kent and Medway Joint Strategy 2025.", "", "Introduction", "A strategy for the county."],
        [
            "Closing words on the introduction.",
            "",
            "Board",
            "membership",
            "",
            "The board has twelve members, among them the Director of Public Health.",
        ],
        ["Its quorum is four members."],
    ]
    outline = {1: ["Introduction"], 2: ["Board membership"]}
    blocks = read_pdf(draw_pdf(tmp_path / "strategy.pdf", pages, outline=outline)).blocks

    def section_of(words: str) -> str | None:
        return next(block for block in blocks if words in block.text).section

    assert section_of("Joint Strategy 2025") is None
    assert section_of("for the county") == "Introduction"
    assert section_of("Closing words") == "Introduction"
    assert section_of("twelve members") == "Board membership"
    assert section_of("quorum") == "Board membership"
    membership = next(block for block in blocks if "twelve members" in block.text)
    assert membership.text.startswith("Board membership")  # the heading is kept as text


def test_a_bookmark_the_page_does_not_show_opens_its_section_at_the_top(tmp_path: Path) -> None:
    """A slide deck's bookmarks ("Slide 2: Priorities") name slides, not lines of their text;
    bare numbers ("Slide Number 3") name no topic and are not sections."""
    pages = [["Cover"], ["Priorities for the year ahead."], ["Thank you."]]
    outline = {1: ["Slide 1: Cover"], 2: ["Slide 2: Priorities"], 3: ["Slide Number 3"]}
    blocks = read_pdf(draw_pdf(tmp_path / "deck.pdf", pages, outline=outline)).blocks
    assert [block.section for block in blocks] == [
        "Slide 1: Cover",
        "Slide 2: Priorities",
        "Slide 2: Priorities",
    ]


def test_a_pdf_without_an_outline_has_no_sections(strategy_pdf: Path) -> None:
    assert {block.section for block in read_pdf(strategy_pdf).blocks} == {None}


@pytest.mark.skipif(not (LIBRARY / CONSULTATION).exists(), reason="needs ../shared")
def test_a_real_report_is_cited_under_its_bookmarked_heading() -> None:
    """The West Sussex consultation report: what changed after the consultation runs on from
    page 12, where its bookmark "HWB's response" points, to page 13."""
    blocks = read_pdf(LIBRARY / CONSULTATION).blocks
    changed = next(b for b in blocks if "Added more indicators" in b.text)
    assert changed.page == 13 and changed.section == "HWB’s response"
