"""The Decisions page's exports and timelines, from decisions made here."""

from __future__ import annotations

import csv
import io

from app.decision_table import by_organisation, decisions_csv, decisions_markdown, table_rows
from index.decisions import FoundDecision
from ingest.document import Decision


def _found(organisation, date, text, **extra) -> FoundDecision:
    return FoundDecision(
        Decision(
            source="minutes.pdf",
            body="Cabinet",
            organisation=organisation,
            date=date,
            item_number="91",
            item_title="Delivery Plan",
            outcome=extra.get("outcome", "approved"),
            text=text,
            char_start=extra.get("start", 0),
            char_end=len(text),
            page=3,
            uncertain=extra.get("uncertain"),
        )
    )


def test_timelines_are_per_organisation_and_oldest_first():
    found = [
        _found("Kent County Council", "2025-01-30", "Adopt the plan."),
        _found(None, None, "Note the report.", start=5),
        _found("Kent County Council", "2023-07-01", "Approve the strategy."),
        _found("Medway Council", "2024-02-01", "Note the strategy."),
    ]
    groups = by_organisation(found)
    assert list(groups) == ["Kent County Council", "Medway Council", "Organisation not known"]
    assert [f.decision.date for f in groups["Kent County Council"]] == ["2023-07-01", "2025-01-30"]


def test_csv_is_safe_for_spreadsheets_and_markdown_escapes_html():
    found = [
        _found("Kent", "2025-01-30", "=HYPERLINK(1) <script>x</script>", uncertain="why"),
    ]
    rows = list(csv.reader(io.StringIO(decisions_csv(found))))
    assert rows[1][5].startswith("'=") and rows[1][7] == "why"
    markdown = decisions_markdown(found)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "## Kent" in markdown and "p. 3" in markdown
    assert table_rows(found)[0]["Outcome"] == "approved?"
