"""How answers, ingest summaries and index status look in a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the terminal only formats these; importing them would slow every command
    from index.build import BuildReport
    from index.search import Response, SearchResult
    from index.store import Manifest


def citation(result: SearchResult) -> str:
    """'Title — Organisation, p. 3 (Section)': where a passage came from, in a reader's words."""
    parts = [result.title]
    if result.organisation:
        parts.append(result.organisation)
    where = []
    if result.page is not None:
        where.append(f"p. {result.page}")
    if result.section:
        where.append(f"section “{result.section}”")
    if result.date:
        where.append(result.date)
    if result.ocr:
        where.append(ocr_note(result.ocr_confidence))
    return " — ".join(parts) + (f" ({', '.join(where)})" if where else "")


def ocr_note(confidence: float | None) -> str:
    """'read by OCR, 91% confidence': a scanned page's text may hold misread words."""
    return "read by OCR" + (f", {confidence:.0f}% confidence" if confidence is not None else "")


def highlighted(text: str, highlights: list[str]) -> Text:
    """The passage with its answering sentences in bold yellow."""
    out = Text(text)
    for sentence in highlights:
        start = text.find(sentence)
        if start >= 0:
            out.stylize("bold yellow", start, start + len(sentence))
    return out


def print_response(console: Console, response: Response) -> None:
    console.print(f"[bold]Q:[/bold] {escape(response.question)}")
    answer = response.answer
    if answer.found and answer.weak:
        console.print(Text.assemble(("Weak match: ", "bold yellow"), answer.text))
        console.print(
            f"[yellow]Confidence {answer.confidence:.0%}: these passages may not answer the "
            "question; check them before relying on it.[/yellow]"
        )
    elif answer.found:
        console.print(Text.assemble(("Answer: ", "bold green"), answer.text))
        console.print(f"[dim]Confidence {answer.confidence:.0%}[/dim]")
    else:
        console.print(Text(response.answer.text, style="bold red"))
        if response.results:
            console.print("[dim]Closest passages, which do not seem to answer it:[/dim]")
    for result in response.results:
        console.print()
        console.print(Text.assemble((f"[{result.rank}] ", "bold cyan"), (citation(result), "bold")))
        console.print(Text(f"    {result.source}", style="dim"))
        console.print(highlighted(result.text, result.highlights))
    console.print(f"\n[dim]{len(response.results)} passages in {response.took_ms:.0f} ms[/dim]")


def print_build_report(console: Console, report: BuildReport) -> None:
    table = Table(title="Ingest summary", show_header=False)
    table.add_row("Documents indexed", str(report.documents))
    table.add_row("Pages", str(report.pages))
    table.add_row("Passages", str(report.passages))
    table.add_row(
        "Added / changed / removed / unchanged",
        f"{len(report.added)} / {len(report.changed)} / {len(report.removed)} / {report.unchanged}",
    )
    table.add_row(
        "Passages embedded",
        f"{report.embedded_passages} ({report.passages_per_second:,.1f} a second)",
    )
    if report.ocr_pages:
        table.add_row(
            "Pages read by OCR",
            f"{report.ocr_pages} ({report.ocr_seconds_per_page:.1f} s a page)",
        )
    table.add_row("Skipped files", str(len(report.skipped)))
    table.add_row(
        "Decisions in the register",
        f"{report.decisions} ({report.decision_seconds * 1000:.0f} ms finding new ones)",
    )
    table.add_row("Time", f"{report.seconds:.1f} s")
    console.print(table)
    if not report.written:
        console.print("Nothing changed: the index is up to date.")
    print_skipped(console, report.skipped)


def print_skipped(console: Console, skipped: list) -> None:
    """Every skipped file by its whole name, and why."""
    if skipped:
        print_rows(
            console,
            "Skipped files",
            ("File", "Why"),
            [(item.source, item.reason) for item in skipped],
        )


def print_rows(
    console: Console, title: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]
) -> None:
    """A table on a terminal (long values wrap, never cut); in a log, where a table would be cut
    to 80 columns, the title and then one tab-separated line per row, every value whole."""
    cells = [["" if value is None else str(value) for value in row] for row in rows]
    if not console.is_terminal:  # written as is: rich would turn the tabs into spaces
        lines = ["\t".join(" ".join(v.split()) for v in line) for line in (columns, *cells)]
        console.file.write(f"{title}:\n" + "".join(f"{line}\n" for line in lines))
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in cells:
        table.add_row(*(escape(value) for value in row))
    console.print(table)


def print_status(console: Console, manifest: Manifest, index_dir: str) -> None:
    console.print(f"Index: {index_dir}")
    console.print(
        f"Built {manifest.built_at} with model {manifest.model} ({manifest.vector_index} vectors)",
        soft_wrap=True,
    )
    decisions = sum(d.decision_count for d in manifest.documents)
    console.print(
        f"{len(manifest.documents)} documents, {manifest.passage_count} passages, "
        f"{decisions} decisions"
    )
    print_rows(
        console,
        "Documents",
        ("Title", "Organisation", "Type", "Date", "Pages", "Passages", "Decisions", "File"),
        [
            (
                d.title,
                d.organisation,
                d.doc_type,
                d.date,
                d.pages,
                d.passage_count,
                d.decision_count,
                d.source,
            )
            for d in manifest.documents
        ],
    )
    print_skipped(console, manifest.skipped)


def print_evaluation(console: Console, methods: dict[str, dict]) -> None:
    """Methods side by side, one row per metric, then the questions each one missed."""
    table = Table(title="Retrieval quality")
    table.add_column("Metric")
    names = list(methods)
    for name in names:
        table.add_column(name, justify="right")
    metrics = [key for key in methods[names[0]] if key != "misses"]
    for metric in metrics:
        cells = [methods[n].get(metric) for n in names]
        table.add_row(
            metric, *("–" if v is None else f"{v:.3f}" if v < 10 else f"{v:.1f}" for v in cells)
        )
    console.print(table)
    for name in names:
        misses = methods[name].get("misses")
        if misses:
            console.print(f"[dim]{name} missed:[/dim] {', '.join(misses)}")
