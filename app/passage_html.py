"""The HTML the browser shows for answers and passages, built only from escaped document text.

Documents are untrusted: a council web page saved as HTML can hold `<script>`. Every piece of
document text goes through `html.escape` before the app adds its own tags (`<mark>`, the card's
layout), so the strings given to `st.html` hold no markup that came from a document.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from app.terminal import ocr_note
from index.search import Answer, SearchResult
from index.store import Store

CARD_STYLE = (
    "border:1px solid rgba(128,128,128,.35);border-radius:.5rem;padding:.75rem 1rem;margin:.25rem 0"
)
PASSAGE_STYLE = "white-space:pre-wrap;line-height:1.5;margin-top:.5rem"
META_STYLE = "opacity:.75;font-size:.9em"
ANSWER_STYLE = "font-size:1.1em"
NOT_FOUND_STYLE = "background:rgba(255,189,69,.2);border-radius:.5rem;padding:.75rem 1rem"
CONTEXT_PASSAGE_STYLE = "background:rgba(120,160,255,.18);border-radius:.25rem"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def highlight_html(text: str, sentences: list[str]) -> str:
    """`text` escaped, with each answering sentence wrapped in <mark> (spans found before escaping)."""
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        start = text.find(sentence) if sentence else -1
        if start >= 0 and not any(
            start < end and start + len(sentence) > begin for begin, end in spans
        ):
            spans.append((start, start + len(sentence)))
    out, cursor = [], 0
    for begin, end in sorted(spans):
        out.append(_e(text[cursor:begin]))
        out.append(f"<mark>{_e(text[begin:end])}</mark>")
        cursor = end
    out.append(_e(text[cursor:]))
    return "".join(out)


def answer_html(answer: Answer, question: str, took_ms: float = 0.0) -> str:
    """The engine's answer, escaped, with its citation numbers in bold; tagged with its question
    and the engine's time, so a browser test or benchmark knows which answer is on screen."""
    escaped = _e(answer.text)
    wanted = {str(number) for number in answer.citations}
    body = re.sub(
        r"\[(\d+)\]",
        lambda m: f"<strong>[{m.group(1)}]</strong>" if m.group(1) in wanted else m.group(0),
        escaped,
    )
    style = ANSWER_STYLE if answer.found else NOT_FOUND_STYLE
    return (
        f"<div class='precedent-answer' data-found='{str(answer.found).lower()}' "
        f"data-weak='{str(answer.weak).lower()}' data-confidence='{answer.confidence:.3f}' "
        f"data-question='{_e(question)}' data-took-ms='{took_ms:.0f}' style='{PASSAGE_STYLE};{style}'>{body}</div>"
    )


def place(result: SearchResult) -> str:
    """'p. 3', with the passage's page range when it runs over a page break; '' without pages."""
    if result.page is None:
        return ""
    first, last = result.pages or (result.page, result.page)
    return (
        f"p. {result.page}"
        if first == last
        else f"p. {result.page} (passage on pp. {first}–{last})"
    )


def meta_line(result: SearchResult) -> str:
    """Organisation · type · date · page · section, whichever are known (plain text)."""
    section = f"section “{result.section}”" if result.section else ""
    scanned = ocr_note(result.ocr_confidence) if result.ocr else ""
    parts = (result.organisation, result.doc_type, result.date, place(result), section, scanned)
    return " · ".join(part for part in parts if part)


def card_html(result: SearchResult, compact: bool = False) -> str:
    """One citation card: number and title, where it comes from, the passage with highlights."""
    passage = highlight_html(result.text, result.highlights)
    file_line = "" if compact else f"<div style='{META_STYLE}'>File: {_e(result.source)}</div>"
    return (
        f"<div class='precedent-card' data-rank='{result.rank}' style='{CARD_STYLE}'>"
        f"<div class='precedent-title'><strong>[{result.rank}] {_e(result.title)}</strong></div>"
        f"<div class='precedent-meta' style='{META_STYLE}'>{_e(meta_line(result))}</div>"
        f"{file_line}<div class='precedent-passage' style='{PASSAGE_STYLE}'>{passage}</div></div>"
    )


@dataclass(frozen=True)
class PassageContext:
    """A passage with the text around it: its page(s), or its neighbours where there are no pages."""

    before: str
    passage: str
    after: str
    where: str


def passage_context(store: Store, passage_number: int) -> PassageContext:
    """The whole page(s) the passage is on, or the passages either side of it."""
    passage = store.passages[passage_number]
    document = store.document_text(passage.source)
    start, end = passage.char_start, passage.char_end
    if passage.page_start is not None:
        pages = range(passage.page_start, (passage.page_end or passage.page_start) + 1)
        spans = [(s, e) for s, e, page, _ in document.blocks if page in pages]
        low = min([start] + [s for s, _ in spans])
        high = max([end] + [e for _, e in spans])
        where = "the whole page" if len(pages) == 1 else "the whole pages"
    else:
        siblings = store.document_passages(passage.source)
        low = siblings[max(passage.ordinal - 1, 0)].char_start
        high = siblings[min(passage.ordinal + 1, len(siblings) - 1)].char_end
        where = "the passages before and after"
    text = document.text
    return PassageContext(text[low:start], text[start:end], text[end:high], where)


def context_html(context: PassageContext, sentences: list[str]) -> str:
    """The context escaped, the passage itself tinted, its answering sentences marked."""
    return (
        f"<div class='precedent-context' style='{PASSAGE_STYLE}'>{_e(context.before)}"
        f"<span style='{CONTEXT_PASSAGE_STYLE}'>{highlight_html(context.passage, sentences)}</span>"
        f"{_e(context.after)}</div>"
    )
