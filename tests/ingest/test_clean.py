"""Text cleaning: what every reader's text goes through before it is indexed."""

from __future__ import annotations

from ingest.clean import drop_running_lines, normalise_text, split_paragraphs


def test_words_hyphenated_at_a_line_break_are_joined_and_real_hyphens_kept() -> None:
    text = normalise_text("an integ-\nrated service for well-being\nand a co-\n  ordinated plan")
    assert "integrated service for well-being" in text
    assert "coordinated plan" in text


def test_hyphen_before_a_capital_or_number_is_not_a_broken_word() -> None:
    assert normalise_text("Kent-\nMedway and 2019-\n2024") == "Kent-\nMedway and 2019-\n2024"


def test_control_characters_go_and_spaces_are_tidied() -> None:
    text = normalise_text("Health\x00 and\x07\u00a0 wellbeing\u200b\r\nboard\tmeeting   today \x0c")
    assert text == "Health and wellbeing\nboard\tmeeting today"


def test_paragraphs_keep_their_breaks_and_lose_their_wrapping() -> None:
    text = normalise_text("First line\nwraps here.\n\n\n\nSecond paragraph\n• a bullet\n• another")
    assert split_paragraphs(text) == [
        "First line wraps here.",
        "Second paragraph\n• a bullet\n• another",
    ]


def test_a_long_paragraph_without_blank_lines_is_cut_at_line_ends() -> None:
    lines = [
        f"00:{minute:02d} someone speaks for a while about the strategy" for minute in range(60)
    ]
    paragraphs = split_paragraphs("\n".join(lines), max_chars=500)
    assert len(paragraphs) > 1
    # No line ends a sentence, so each cut waits at most until twice the size.
    assert all(len(paragraph) <= 2 * 500 + len(lines[0]) for paragraph in paragraphs)
    assert " ".join(paragraphs) == " ".join(lines)


def test_a_long_paragraph_is_cut_where_a_sentence_ends_not_in_the_middle_of_one() -> None:
    # A PDF page without blank lines: wrapped lines, sentences ending mid-page (Kent's cabinet
    # minutes were cut at "staff costs by about" | "10 to 11 percent").
    sentence = [
        "These changes to employer national insurance and the minimum wage",
        "could increase the staff costs of care providers by about",
        "10 to 11 percent, and could lead to staff shortages.",
    ]
    lines = sentence * 12
    paragraphs = split_paragraphs("\n".join(lines), max_chars=500)
    assert len(paragraphs) > 1
    assert all(paragraph.endswith("staff shortages.") for paragraph in paragraphs)
    assert all(paragraph.startswith("These changes") for paragraph in paragraphs)
    assert " ".join(paragraphs) == " ".join(lines)


def test_contents_dot_leaders_shrink() -> None:
    assert normalise_text("Introduction ........................ 4") == "Introduction … 4"


BODIES = [
    "Foreword by the Leader of the Council.",
    "Our priorities for 2024 to 2028.",
    "Housing and health go together.",
    "How we will measure progress.",
]


def test_running_headers_and_footers_are_dropped_body_kept() -> None:
    pages = [
        f"Kent County Council  |  {n}\n{body}\nPage {n} of 4"
        for n, body in enumerate(BODIES, start=1)
    ]
    assert drop_running_lines([normalise_text(page) for page in pages]) == BODIES


def test_bare_page_numbers_are_dropped() -> None:
    pages = [f"{n}\n{body}" for n, body in enumerate(BODIES, start=1)]
    assert drop_running_lines(pages) == BODIES


def test_a_document_of_one_repeated_line_keeps_it() -> None:
    pages = ["habibi", "habibi", "habibi"]
    assert drop_running_lines(pages) == pages


def test_a_line_on_only_some_pages_stays() -> None:
    pages = ["Introduction\nText one", "Other heading\nText two", "Third\nText three", "Last\nEnd"]
    assert drop_running_lines(pages) == pages


def test_a_blank_page_with_only_its_footer_becomes_empty() -> None:
    pages = ["Text one\nPage 1 of 3", "Text two\nPage 2 of 3", "Page 3 of 3"]
    assert drop_running_lines(pages) == ["Text one", "Text two", ""]


def test_two_pages_are_too_few_to_call_anything_a_footer() -> None:
    pages = ["Text one\nPage 1 of 2", "Text two\nPage 2 of 2"]
    assert drop_running_lines(pages) == pages
