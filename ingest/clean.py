"""Text cleaning shared by the readers: what every extracted text needs before it is indexed."""

from __future__ import annotations

import re
from collections import Counter

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\ufeff\ufffe]")
_TRANSLATE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space, everywhere in Word-made PDFs
        "\u00ad": "",  # soft hyphen
        "\uf0b7": "•",  # Symbol-font bullets that PDFs leave in the private use area
        "\uf0a7": "•",
        "\u2010": "-",
        "\u2011": "-",
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[a-z])")
_SPACES = re.compile(r"[ \u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_KEEP_BREAK = re.compile(r"^(?:\|\s|[•·▪●◦‣\-–*]\s|\(?[0-9]{1,3}(?:\.[0-9]+)*[.)]\s|\(?[a-z]\)\s)")
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'’”)]*$")
_DIGITS = re.compile(r"\d+")
_DOT_LEADERS = re.compile(r"[ ]?(?:[.…][ ]?){4,}")  # "Introduction ........ 3" in contents pages

RUNNING_LINE_ZONE = 3  # lines at the top and at the bottom of a page where headers/footers sit


def normalise_text(text: str) -> str:
    """Unify line breaks, drop control characters, join hyphenated line breaks, tidy spaces.

    Keeps every line and blank line, so that paragraphs and page headers can still be found.
    """
    text = _LINE_BREAKS.sub("\n", text).translate(_TRANSLATE)
    text = _CONTROL.sub("", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _DOT_LEADERS.sub(" … ", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()


def split_paragraphs(text: str, max_chars: int = 1500) -> list[str]:
    """Cut normalised text at blank lines and rejoin each paragraph's wrapped lines.

    A line that starts a list item or a table row keeps its line break. A paragraph longer than `max_chars`
    (a transcript or a PDF page without blank lines) is cut at line ends, after a line that
    ends a sentence where one comes soon enough.
    """
    paragraphs = []
    for chunk in _BLANK_LINES.split(text):
        for piece in _cut_at_lines(chunk.strip().split("\n"), max_chars):
            paragraphs.append(_join_lines(piece))
    return [paragraph for paragraph in paragraphs if paragraph]


def _cut_at_lines(lines: list[str], max_chars: int) -> list[list[str]]:
    """Pieces of about `max_chars`, each cut after a line that ends a sentence where one comes
    within twice that: a cut mid-sentence would start a passage with half a sentence."""
    pieces: list[list[str]] = [[]]
    size = 0
    for line in lines:
        full = size + len(line) > max_chars
        if pieces[-1] and full and (_ENDS_SENTENCE.search(pieces[-1][-1]) or size > 2 * max_chars):
            pieces.append([])
            size = 0
        pieces[-1].append(line)
        size += len(line) + 1
    return pieces


def _join_lines(lines: list[str]) -> str:
    joined = ""
    for line in lines:
        if not line:
            continue
        if not joined:
            joined = line
        elif _KEEP_BREAK.match(line):
            joined += "\n" + line
        else:
            joined += " " + line
    return joined


def drop_running_lines(pages: list[str], min_share: float = 0.5) -> list[str]:
    """Remove headers and footers: lines repeated at the top or bottom of most pages.

    Lines are compared with digits replaced, so "Page 3 of 40" matches "Page 4 of 40" and a bare
    page number matches every other. Needs three pages with text to tell repetition from chance.
    A page left with nothing but its footer (a blank page) becomes empty.
    """
    with_text = sum(1 for page in pages if page.strip())
    if with_text < 3:
        return pages
    page_lines = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in page_lines:
        counts.update({_running_key(lines[i]) for i in _edge_indices(lines)})
    threshold = max(2, min_share * with_text)
    running = {key for key, count in counts.items() if count >= threshold}
    if not running:
        return pages
    cleaned = []
    for lines in page_lines:
        drop = {i for i in _edge_indices(lines) if _running_key(lines[i]) in running}
        cleaned.append("\n".join(line for i, line in enumerate(lines) if i not in drop).strip())
    # a document that is nothing but one repeated line keeps it: then it is the content
    return cleaned if any(cleaned) else pages


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line]
    if len(filled) <= 2 * RUNNING_LINE_ZONE:
        return filled
    return filled[:RUNNING_LINE_ZONE] + filled[-RUNNING_LINE_ZONE:]


def _running_key(line: str) -> str:
    return _DIGITS.sub("#", line.casefold())
