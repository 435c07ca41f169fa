"""A question, its answer and the cited passages as Markdown or CSV, for briefing notes.

Each section is one search (the plain answer, or one organisation's answer when comparing), so
one export serves both views of the Ask page.
"""

from __future__ import annotations

import csv
import html
import io

from app.terminal import citation
from index.search import Response

CSV_COLUMNS = (
    "question",
    "scope",
    "answer",
    "confidence",
    "rank",
    "in_answer",
    "citation",
    "title",
    "organisation",
    "doc_type",
    "date",
    "page",
    "pages",
    "section",
    "source",
    "passage",
    "highlights",
)
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_markdown(sections: list[tuple[str | None, Response]]) -> str:
    """One heading per section, the answer, then every passage quoted with its full citation."""
    lines = [f"# {_md(sections[0][1].question)}", ""] if sections else []
    for scope, response in sections:
        if scope:
            lines += [f"## {_md(scope)}", ""]
        label = "Weak match" if response.answer.weak else "Answer"
        lines += [f"**{label}:** {_md(response.answer.text)}", ""]
        if response.answer.found:
            lines += [f"Confidence: {response.answer.confidence:.0%}", ""]
        heading = "Sources" if response.answer.found else "Closest passages (they do not answer it)"
        if response.results:
            lines += [f"{'###' if scope else '##'} {heading}", ""]
        for result in response.results:
            lines.append(f"[{result.rank}] {_md(citation(result))} — file `{result.source}`")
            lines.append("")
            lines += [
                f"> {_md(line)}" if line.strip() else ">" for line in result.text.splitlines()
            ]
            lines.append("")
    return "\n".join(lines)


def export_csv(sections: list[tuple[str | None, Response]]) -> str:
    """One row per cited passage, with the question and answer repeated so rows stand alone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for scope, response in sections:
        for result in response.results:
            row = (
                response.question,
                scope or "",
                response.answer.text,
                response.answer.confidence,
                result.rank,
                "yes" if result.rank in response.answer.citations else "no",
                citation(result),
                result.title,
                result.organisation,
                result.doc_type,
                result.date,
                result.page,
                _pages(result.pages),
                result.section,
                result.source,
                result.text,
                " | ".join(result.highlights),
            )
            writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _pages(pages: tuple[int, int] | None) -> str:
    return "" if pages is None else f"{pages[0]}-{pages[1]}"


def _md(text: str) -> str:
    """Document text as literal Markdown: no HTML a viewer would render."""
    return html.escape(text, quote=False)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
