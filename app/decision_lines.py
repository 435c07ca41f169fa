"""How decisions and the register's evaluation look in a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from index.decision_eval import DecisionScores
    from index.decisions import FoundDecision


def decision_line(found: FoundDecision) -> Text:
    """'2025-01-30 Cabinet · 91 Delivery Plan · delegated — Delegate authority … (file p. 15)'."""
    d = found.decision
    where = d.source + (f" p. {d.page}" if d.page is not None else "")
    return Text.assemble(
        (f"{d.date or 'undated':<10} ", "bold"),
        (f"{d.body or 'unknown body'}", "cyan"),
        (f" · {d.item}" if d.item else "", ""),
        (f" · {d.outcome}", "bold green" if d.outcome != "lost" else "bold red"),
        ("?" if d.uncertain else "", "yellow"),
        (" — ", ""),
        (d.first_sentence, ""),
        (f"  ({where})", "dim"),
    )


def print_decisions(console: Console, found: list[FoundDecision], heading: str) -> None:
    console.print(f"[bold]{escape(heading)}[/bold]")
    if not found:
        console.print("[dim]No decisions match.[/dim]")
    for item in found:
        console.print(decision_line(item))
    if any(item.decision.uncertain for item in found):
        console.print("[dim]? a field is uncertain: see --json for why[/dim]")


def print_decision_scores(console: Console, scores: DecisionScores) -> None:
    table = Table(title="Decisions register", show_header=False)
    table.add_row(
        "Labelled / extracted / found", f"{scores.labelled} / {scores.extracted} / {scores.found}"
    )
    table.add_row("Precision", f"{scores.precision:.3f}")
    table.add_row("Recall", f"{scores.recall:.3f}")
    for name in ("body", "date", "item", "outcome", "page"):
        table.add_row(f"{name.capitalize()} right (of found)", f"{scores.accuracy(name):.3f}")
    table.add_row("Extraction", f"{scores.extraction_ms / max(scores.pages, 1):.2f} ms per page")
    console.print(table)
    for title, rows in (
        ("Missed", scores.missed),
        ("Not in the labelled set", scores.wrong),
        ("Wrong fields", scores.field_errors),
    ):
        if rows:
            console.print(f"[dim]{title}:[/dim] " + "; ".join(escape(r) for r in rows))
