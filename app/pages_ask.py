"""The Ask page: a question, the answer with numbered citations, the passages it came from.

A Streamlit page script: `streamlit_app.py` runs it on every interaction.
"""

from __future__ import annotations

import html
import mimetypes
from dataclasses import replace
from pathlib import Path

import streamlit as st

from app.decision_table import decisions_html
from app.engine import EngineProblem, current_settings, open_engine, rank_decisions, search
from app.export import export_csv, export_markdown
from app.ingest_job import current_job
from app.ingest_panel import show_problem
from app.page_view import show_pdf_page
from app.passage_html import answer_html, card_html, context_html, passage_context
from app.uploads import safe_file_name
from index.decisions import admitted, asks_about_decisions
from index.search import Filters, Response, Searcher, SearchResult
from index.settings import Settings
from index.store import Manifest

EXAMPLE_QUESTIONS = (
    "How are district councils involved in prevention?",
    "What is the BCF?",
    "Was Healthwatch involved in the Kent and Medway strategy?",
    "Why was the Leicester consultation delayed?",
)
VIEWS = ("Answer", "Compare across councils")
COMPARE_COLUMNS = 3


def _keep_valid(key: str, options: list[str]) -> None:
    """Drop remembered choices that a new index no longer offers, before the widget is drawn."""
    if key in st.session_state:
        st.session_state[key] = [value for value in st.session_state[key] if value in options]


def sidebar_filters(manifest: Manifest) -> tuple[Filters, int]:
    """Organisation, type, date and document filters built from what is indexed; and k."""
    documents = manifest.documents
    titles = {d.source: f"{d.title} ({d.source})" for d in documents}
    organisations = sorted({d.organisation for d in documents if d.organisation})
    doc_types = sorted({d.doc_type for d in documents if d.doc_type})
    years = sorted({int(d.date[:4]) for d in documents if d.date and d.date[:4].isdigit()})
    since = until = None
    with st.sidebar:
        st.header("Filters")
        for key, options in (
            ("filter_orgs", organisations),
            ("filter_types", doc_types),
            ("filter_docs", list(titles)),
        ):
            _keep_valid(key, options)
        chosen_orgs = st.multiselect("Organisation", organisations, key="filter_orgs")
        chosen_types = st.multiselect("Document type", doc_types, key="filter_types")
        if len(years) > 1:
            remembered = st.session_state.get("filter_years", (years[0], years[-1]))
            st.session_state.filter_years = (
                max(min(remembered[0], years[-1]), years[0]),
                min(max(remembered[1], years[0]), years[-1]),
            )
            low, high = st.slider(
                "Dated between (years)",
                years[0],
                years[-1],
                key="filter_years",
            )
            if (low, high) != (years[0], years[-1]):
                since, until = str(low), str(high)
        chosen_docs = st.multiselect(
            "Documents", list(titles), format_func=titles.__getitem__, key="filter_docs"
        )
        k = st.slider("Passages to show", 1, 20, 5, key="k")
    filters = Filters(
        tuple(chosen_orgs), tuple(chosen_types), tuple(chosen_docs), since, until, exact=True
    )
    return filters, k


def _set_question(question: str) -> None:
    st.session_state.question = question


def question_box() -> str:
    question = st.text_input(
        "Your question",
        key="question",
        placeholder="Type a question and press Enter",
    )
    if not question.strip():
        st.caption("For example:")
        for number, example in enumerate(EXAMPLE_QUESTIONS):
            st.button(example, key=f"example-{number}", on_click=_set_question, args=(example,))
    return question.strip()


def _heading(text: str, level: int = 4) -> None:
    """A heading whose words may come from a document (an organisation's name), shown as text."""
    st.html(f"<h{level} style='margin:.5rem 0 0'>{html.escape(text)}</h{level}>")


def show_answer(response: Response) -> None:
    """The answer first, or a plain "nothing in the library answers this"."""
    answer = response.answer
    if answer.found:
        st.subheader("Weak match" if answer.weak else "Answer")
    st.html(answer_html(answer, response.question, response.took_ms))
    if answer.found and answer.weak:
        st.warning(
            f"Confidence {answer.confidence:.0%}: these passages may not answer the question. "
            "Read them in context before relying on them."
        )
    elif answer.found:
        st.caption(f"Confidence {answer.confidence:.0%}")
    if not answer.found and response.results:
        st.caption("The closest passages are below, but they do not seem to answer the question.")
    st.caption(f"{len(response.results)} passages in {response.took_ms:.0f} ms")


def show_card(
    result: SearchResult, searcher: Searcher, settings: Settings, key: str, compact: bool = False
) -> None:
    """The citation card, the passage in context (a PDF's page as an image), and the source
    document to download."""
    st.html(card_html(result, compact))
    path = _document_path(settings, result.source)
    if path is not None and path.suffix.lower() == ".pdf":
        show_pdf_page(result, path, settings, key)
    with st.expander("Show in context"):
        context = passage_context(searcher.store, result.passage_number)
        st.caption(f"The passage (tinted) with {context.where}.")
        st.html(context_html(context, result.highlights))
    if path is not None and not compact:
        st.download_button(
            "Download the document",
            data=path.read_bytes,
            file_name=path.name,
            mime=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            key=f"{key}-download-{result.rank}",
            on_click="ignore",
        )


def _document_path(settings: Settings, source: str) -> Path | None:
    """The indexed file in the documents folder, if it is still there (and really inside it)."""
    root = settings.documents_dir.resolve()
    path = (root / source).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def export_buttons(sections: list[tuple[str | None, Response]], key: str) -> None:
    if not sections or not any(response.results for _, response in sections):
        return
    stem = safe_file_name(sections[0][1].question)[:60].rstrip(" .-") or "answer"
    formats = (
        ("Markdown", export_markdown, "md", "text/markdown"),
        ("CSV", export_csv, "csv", "text/csv"),
    )
    for column, (label, render, suffix, mime) in zip(st.columns(len(formats)), formats):
        column.download_button(
            f"Download as {label}",
            render(sections),
            file_name=f"{stem}.{suffix}",
            mime=mime,
            key=f"{key}-export-{suffix}",
            on_click="ignore",
        )


def answer_view(
    searcher: Searcher, settings: Settings, question: str, filters: Filters, k: int
) -> None:
    response = search(searcher, question, k, filters)
    show_answer(response)
    if asks_about_decisions(question):
        among = admitted(searcher.store, filters)
        decisions = rank_decisions(searcher, question, among, 5, relevant_only=True)
        if decisions:
            _heading("Decisions")
            st.html(decisions_html(decisions))
    export_buttons([(None, response)], "answer")
    for result in response.results:
        show_card(result, searcher, settings, "answer")


def compare_view(
    searcher: Searcher, settings: Settings, question: str, filters: Filters, k: int
) -> None:
    """The same question asked of each chosen organisation's documents, side by side."""
    organisations = sorted(
        {d.organisation for d in searcher.store.manifest.documents if d.organisation}
    )
    if not organisations:
        st.info("No organisation is recorded for these documents: add them on the Library page.")
        return
    _keep_valid("compare_orgs", organisations)
    if "compare_orgs" not in st.session_state:
        st.session_state.compare_orgs = (
            list(filters.organisations) or organisations[:COMPARE_COLUMNS]
        )
    chosen = st.multiselect("Organisations to compare", organisations, key="compare_orgs")
    sections: list[tuple[str | None, Response]] = []
    for row_start in range(0, len(chosen), COMPARE_COLUMNS):
        row = chosen[row_start : row_start + COMPARE_COLUMNS]
        for column, organisation in zip(st.columns(COMPARE_COLUMNS), row):
            response = search(
                searcher, question, min(k, 3), replace(filters, organisations=(organisation,))
            )
            sections.append((organisation, response))
            with column:
                _heading(organisation)
                st.html(answer_html(response.answer, question, response.took_ms))
                for result in response.results:
                    show_card(result, searcher, settings, f"compare-{organisation}", compact=True)
    export_buttons(sections, "compare")


def main() -> None:
    settings = current_settings()
    st.title("Ask the library")
    engine = open_engine(settings)
    if isinstance(engine, EngineProblem):
        show_problem(engine, settings)
        return
    job = current_job(settings)
    if job is not None and job.running:
        st.info(
            "The index is being updated; answers come from the previous index until it finishes."
        )
    filters, k = sidebar_filters(engine.store.manifest)
    question = question_box()
    view = st.radio("Show", VIEWS, horizontal=True, key="view", label_visibility="collapsed")
    if not question:
        return
    if view == VIEWS[0]:
        answer_view(engine, settings, question, filters, k)
    else:
        compare_view(engine, settings, question, filters, k)
    manifest = engine.store.manifest
    st.caption(f"Answers from the index built {manifest.built_at} with the model {manifest.model}.")


main()
