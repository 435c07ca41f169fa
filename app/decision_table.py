"""Decisions as the Decisions page shows and exports them: table rows, CSV, Markdown, timelines."""

from __future__ import annotations

import csv
import html
import io

from app.export import _cell, _md
from index.decisions import FoundDecision

COLUMNS = ("Date", "Body", "Organisation", "Item", "Outcome", "Decision", "File", "Page")


def table_rows(found: list[FoundDecision]) -> list[dict]:
    """One row per decision, with the columns the page's table shows."""
    return [
        {
            "Date": f.decision.date,
            "Body": f.decision.body,
            "Organisation": f.decision.organisation,
            "Item": f.decision.item,
            "Outcome": f.decision.outcome + ("?" if f.decision.uncertain else ""),
            "Decision": f.decision.first_sentence,
            "File": f.decision.source,
            "Page": f.decision.page,
        }
        for f in found
    ]


def by_organisation(found: list[FoundDecision]) -> dict[str, list[FoundDecision]]:
    """Each organisation's decisions oldest first, so "who approved their strategy, and when"
    reads down as a timeline; organisations in name order, unknown ones last."""
    groups: dict[str, list[FoundDecision]] = {}
    for f in found:
        groups.setdefault(f.decision.organisation or "Organisation not known", []).append(f)
    ordered = sorted(groups, key=lambda name: (name == "Organisation not known", name))
    return {
        name: sorted(groups[name], key=lambda f: (f.decision.date or "9999", f.decision.char_start))
        for name in ordered
    }


def decisions_csv(found: list[FoundDecision]) -> str:
    """Every decision with its full wording, votes and why a field is uncertain."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        (
            "date",
            "body",
            "organisation",
            "item",
            "outcome",
            "decision",
            "votes",
            "uncertain",
            "source",
            "page",
        )
    )
    for f in found:
        d = f.decision
        row = (
            d.date,
            d.body,
            d.organisation,
            d.item,
            d.outcome,
            d.text,
            d.votes,
            d.uncertain,
            d.source,
            d.page,
        )
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def decisions_markdown(found: list[FoundDecision], title: str = "Decisions") -> str:
    """One heading per organisation, each decision quoted under its date, body and item."""
    lines = [f"# {_md(title)}", ""]
    for organisation, decisions in by_organisation(found).items():
        lines += [f"## {_md(organisation)}", ""]
        for f in decisions:
            d = f.decision
            where = f"`{d.source}`" + (f", p. {d.page}" if d.page is not None else "")
            head = " · ".join(
                _md(p) for p in (d.date or "undated", d.body or "", d.item or "") if p
            )
            lines += [f"**{head}** — *{d.outcome}* ({where})", ""]
            lines += [f"> {_md(line)}" for line in d.text.splitlines() if line.strip()]
            lines.append("")
    return "\n".join(lines)


def decisions_html(found: list[FoundDecision]) -> str:
    """The Ask page's Decisions block: one escaped line per decision, above the passages."""
    lines = []
    for f in found:
        d = f.decision
        where = d.source + (f", p. {d.page}" if d.page is not None else "")
        head = " · ".join(p for p in (d.date or "undated", d.body, d.item, d.outcome) if p)
        lines.append(
            f"<li><strong>{html.escape(head)}</strong> — {html.escape(d.first_sentence)} "
            f"<span style='opacity:.75'>({html.escape(where)})</span></li>"
        )
    return f"<ul class='precedent-decisions'>{''.join(lines)}</ul>"
