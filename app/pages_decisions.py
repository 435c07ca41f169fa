"""The Decisions page: the register of every resolution in the library, filtered, searched,
opened in its minutes, exported, and compared across councils.

A Streamlit page script: `streamlit_app.py` runs it on every interaction.
"""

from __future__ import annotations

import html

import streamlit as st

from app.decision_table import by_organisation, decisions_csv, decisions_markdown, table_rows
from app.engine import EngineProblem, current_settings, open_engine, rank_decisions
from app.ingest_panel import show_problem
from app.passage_html import CARD_STYLE, META_STYLE, PASSAGE_STYLE, highlight_html
from index.decisions import FoundDecision, admitted, newest_first
from index.search import Filters, Searcher
from ingest.document import Decision

CONTEXT_BEFORE = 1500  # characters of the minutes shown above a decision: its item heading
CONTEXT_AFTER = 400


def _filters(decisions: list[Decision]) -> tuple[Filters, tuple[str, ...], str]:
    organisations = sorted({d.organisation for d in decisions if d.organisation})
    outcomes = sorted({d.outcome for d in decisions})
    years = sorted({d.date[:4] for d in decisions if d.date})
    columns = st.columns([3, 2, 2])
    chosen_orgs = columns[0].multiselect("Organisation", organisations, key="decision-orgs")
    chosen_outcomes = columns[1].multiselect("Outcome", outcomes, key="decision-outcomes")
    since = until = None
    if len(years) > 1:
        first, last = columns[2].select_slider(
            "Years", options=years, value=(years[0], years[-1]), key="decision-years"
        )
        if (first, last) != (years[0], years[-1]):
            since, until = first, last
    query = st.text_input(
        "Search the decisions",
        key="decision-query",
        placeholder="e.g. delegated the delivery plan to a director",
    )
    filters = Filters(tuple(chosen_orgs), (), (), since, until, exact=True)
    return filters, tuple(chosen_outcomes), query.strip()


def _label(found: FoundDecision) -> str:
    d = found.decision
    return f"{d.date or 'undated'} · {d.body or '?'} · {d.outcome} — {d.first_sentence[:90]}"


def show_in_context(searcher: Searcher, decision: Decision) -> None:
    """The minutes around the decision, from above its item heading, the decision marked."""
    text = searcher.store.document_text(decision.source).text
    start = max(0, decision.char_start - CONTEXT_BEFORE)
    heading = text.rfind("\n", 0, start) + 1 if start else 0
    window = text[heading : decision.char_end + CONTEXT_AFTER]
    where = decision.source + (f", p. {decision.page}" if decision.page is not None else "")
    meta = " · ".join(
        html.escape(p, quote=True)
        for p in (decision.body, decision.organisation, decision.date, decision.item, where)
        if p
    )
    notes = [f"Outcome: {decision.outcome}"]
    if decision.votes:
        notes.append(f"Votes: {decision.votes}")
    if decision.uncertain:
        notes.append(f"Uncertain: {decision.uncertain}")
    st.html(
        f'<div style="{CARD_STYLE}" data-testid="decision-context">'
        f'<div style="{META_STYLE}">{meta}</div>'
        f'<div style="{META_STYLE}">{html.escape(" · ".join(notes), quote=True)}</div>'
        f'<div style="{PASSAGE_STYLE}">{highlight_html(window, [decision.text])}</div></div>'
    )


def show_comparison(found: list[FoundDecision]) -> None:
    for organisation, decisions in by_organisation(found).items():
        st.subheader(organisation)
        st.dataframe(table_rows(decisions), hide_index=True, width="stretch")


def main() -> None:
    settings = current_settings()
    st.title("Decisions")
    searcher = open_engine(settings)
    if isinstance(searcher, EngineProblem):
        show_problem(searcher, settings)
        return
    decisions = searcher.store.decisions
    if not decisions:
        st.info(
            "No decisions in the register. Add minutes or records of decision to the library; "
            "an index built before the register existed needs `precedent ingest --rebuild`."
        )
        return
    filters, outcomes, query = _filters(decisions)
    among = admitted(searcher.store, filters, outcomes)
    if query:
        found = rank_decisions(searcher, query, among, k=len(among))
    else:
        found = newest_first(among)
    st.caption(f"{len(found)} of {len(decisions)} decisions" + (" by relevance" if query else ""))
    compare = st.toggle("Compare across councils", key="decision-compare")
    if compare:
        show_comparison(found)
    else:
        st.dataframe(table_rows(found), hide_index=True, width="stretch")
    if found:
        columns = st.columns(2)
        columns[0].download_button(
            "Export CSV", decisions_csv(found), "decisions.csv", "text/csv", key="decisions-csv"
        )
        columns[1].download_button(
            "Export Markdown",
            decisions_markdown(found),
            "decisions.md",
            "text/markdown",
            key="decisions-md",
        )
        chosen = st.selectbox(
            "Open a decision in its minutes",
            range(len(found)),
            format_func=lambda n: _label(found[n]),
            index=None,
            key="decision-open",
        )
        if chosen is not None:
            show_in_context(searcher, found[chosen].decision)


main()
