"""The `precedent` command: thin wrappers that parse options and call ingest/ and index/."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from app.terminal import print_build_report, print_response, print_status
from index.embedder import ModelUnavailable
from index.rerank import RerankerUnavailable
from index.settings import Settings, load_settings
from index.store import IndexBusy, IndexMismatch, IndexMissing, IndexNotWritten, read_manifest
from ingest.sidecar import SidecarError

if TYPE_CHECKING:  # imported where they are used, so that every command starts quickly
    from index.decisions import FoundDecision
    from index.search import Filters, Searcher

cli = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Search council and NHS documents, offline."
)
console = Console()
errors = Console(stderr=True)

USER_ERRORS = (
    IndexMissing,
    IndexMismatch,
    IndexBusy,
    IndexNotWritten,
    ModelUnavailable,
    RerankerUnavailable,
    SidecarError,
    FileNotFoundError,
)

IndexOption = Annotated[
    Path | None, typer.Option("--index", help="Index folder (or PRECEDENT_INDEX_DIR).")
]
ModelOption = Annotated[str | None, typer.Option("--model", help="Embedding model name or folder.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _show_progress_messages() -> None:
    """Our own stage messages ("Embedding 120 passages") on stderr, not other libraries' logs."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("index")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _settings(
    index: Path | None = None, model: str | None = None, documents: Path | None = None
) -> Settings:
    return load_settings().with_overrides(index_dir=index, model=model, documents_dir=documents)


@cli.command()
def ingest(
    path: Annotated[
        Path | None, typer.Argument(help="Documents folder (default: documents/).")
    ] = None,
    index: IndexOption = None,
    model: ModelOption = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Read and embed every file again, not only new or changed ones (after "
            "upgrading Precedent, to pick up its better reading of unchanged files).",
        ),
    ] = False,
) -> None:
    """Read the documents folder and bring the index up to date (only new or changed files)."""
    from index.build import build_index
    from index.rerank import prepare_cross_encoder

    _show_progress_messages()
    settings = _settings(index, model, path)
    if not settings.documents_dir.is_dir():
        raise FileNotFoundError(f"no documents folder at {settings.documents_dir}")
    report = build_index(settings, rebuild=rebuild)
    if settings.rerank:
        prepare_cross_encoder(settings.rerank_model, settings.models_dir)
    print_build_report(console, report)


def _questions(batch: Path) -> list[str]:
    """One question per line, or JSON lines with a `question` field."""
    questions = []
    for line in batch.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            questions.append(json.loads(line)["question"] if line.startswith("{") else line)
    return questions


@cli.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="Your question, in quotes.")] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many passages to show.")] = 5,
    as_json: JsonOption = False,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="File of questions; prints JSON lines.")
    ] = None,
    org: Annotated[
        list[str] | None, typer.Option("--org", help="Only this organisation (repeatable).")
    ] = None,
    doc_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only this document type.")
    ] = None,
    doc: Annotated[
        list[str] | None,
        typer.Option("--doc", help="Only documents whose file or title contains this."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Documents dated on or after (YYYY[-MM[-DD]]).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Documents dated on or before.")
    ] = None,
    no_rerank: Annotated[
        bool,
        typer.Option("--no-rerank", help="Skip the cross-encoder: faster, less accurate ordering."),
    ] = False,
    index: IndexOption = None,
    model: ModelOption = None,
) -> None:
    """Answer a question from the library, citing document, organisation and page."""
    from index.search import Filters, open_searcher

    if (question is None) == (batch is None):
        raise typer.BadParameter("give a question or --batch FILE, not both")
    filters = Filters(tuple(org or ()), tuple(doc_type or ()), tuple(doc or ()), since, until)
    settings = _settings(index, model)
    if no_rerank:
        settings = settings.with_overrides(rerank=False)
    searcher = open_searcher(settings)
    if batch is not None:
        for text in _questions(batch):
            print(
                json.dumps(searcher.search(text, k, filters).to_dict(), ensure_ascii=False),
                flush=True,
            )
        return
    response = searcher.search(question, k, filters)
    decisions = _decisions_for(searcher, question, filters)
    if as_json:
        payload = response.to_dict() | {"decisions": [d.to_dict() for d in decisions]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if decisions:
            from app.decision_lines import print_decisions

            print_decisions(console, decisions, "Decisions")
            console.print()
        print_response(console, response)


def _decisions_for(searcher: Searcher, question: str, filters: Filters) -> list[FoundDecision]:
    """The register's decisions matching a question that asks what was decided (else none)."""
    from index.decisions import DecisionIndex, admitted, asks_about_decisions

    if not asks_about_decisions(question):
        return []
    among = admitted(searcher.store, filters)
    return DecisionIndex(searcher).rank(question, among, k=5, relevant_only=True) if among else []


@cli.command("eval")
def evaluate_command(
    questions: Annotated[
        Path | None, typer.Argument(help="Questions file (JSON lines, as eval/dev.jsonl).")
    ] = None,
    beir: Annotated[
        Path | None, typer.Option("--beir", help="A BEIR-layout folder instead.")
    ] = None,
    as_json: JsonOption = False,
    index: IndexOption = None,
    model: ModelOption = None,
) -> None:
    """Measure retrieval: the engine beside BM25 alone and dense alone, on the same passages."""
    from app.terminal import print_evaluation
    from index.embedder import configured_embedder

    if (questions is None) == (beir is None):
        raise typer.BadParameter("give a questions file or --beir DIR")
    settings = _settings(index, model)
    if beir is not None:
        from index.beir import evaluate_beir

        embedder = configured_embedder(settings)
        methods = evaluate_beir(beir, settings.index_dir.parent / "beir", settings, embedder)
    else:
        from index.evaluate import evaluate, load_questions
        from index.search import open_searcher

        scores = evaluate(open_searcher(settings), load_questions(questions))
        methods = {name: score.as_dict() for name, score in scores.items()}
    if as_json:
        print(json.dumps({"questions": str(questions or beir), "methods": methods}, indent=2))
    else:
        print_evaluation(console, methods)


@cli.command()
def decisions(
    query: Annotated[
        str | None, typer.Argument(help="Rank decisions by relevance to this (else newest first).")
    ] = None,
    org: Annotated[
        list[str] | None, typer.Option("--org", help="Only this organisation (repeatable).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Meetings on or after (YYYY[-MM[-DD]]).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Meetings on or before.")] = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            help="approved, agreed, noted, endorsed, rejected, deferred, "
            "carried, lost, delegated or other (repeatable).",
        ),
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="How many, when ranking a query.")] = 10,
    as_json: JsonOption = False,
    index: IndexOption = None,
    model: ModelOption = None,
) -> None:
    """The decisions register: every resolution in the library's minutes, with its page."""
    from app.decision_lines import print_decisions
    from index.decisions import DecisionIndex, admitted, decision_filters, newest_first
    from index.store import open_store
    from ingest.document import OUTCOMES

    unknown = sorted(set(outcome or ()) - set(OUTCOMES))
    if unknown:
        raise typer.BadParameter(f"unknown outcome {unknown}; use {', '.join(OUTCOMES)}")
    settings = _settings(index, model)
    filters = decision_filters(org, since, until)
    if query is None:
        found = newest_first(
            admitted(open_store(settings.index_dir), filters, tuple(outcome or ()))
        )
    else:
        from index.search import open_searcher

        searcher = open_searcher(settings)
        among = admitted(searcher.store, filters, tuple(outcome or ()))
        found = DecisionIndex(searcher).rank(query, among, k)
    if as_json:
        print(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))
    else:
        print_decisions(
            console, found, f"{len(found)} decisions" + (f" for {query!r}" if query else "")
        )


@cli.command("eval-decisions")
def eval_decisions(
    labels: Annotated[Path, typer.Argument(help="Labelled decisions (eval/decisions.jsonl).")],
    as_json: JsonOption = False,
    index: IndexOption = None,
) -> None:
    """Measure the decisions register: precision, recall, fields right, time per page."""
    from app.decision_lines import print_decision_scores
    from index.decision_eval import evaluate_decisions, load_labels
    from index.store import open_store

    scores = evaluate_decisions(open_store(_settings(index).index_dir), load_labels(labels))
    if as_json:
        print(json.dumps(scores.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_decision_scores(console, scores)


@cli.command()
def bench(
    passages: Annotated[
        int | None,
        typer.Option(
            "--passages", min=1, help="Measure queries over a synthetic index of N passages."
        ),
    ] = None,
    ingest_dir: Annotated[
        Path | None, typer.Option("--ingest", help="Measure ingest of this folder instead.")
    ] = None,
    rounds: Annotated[
        int,
        typer.Option(
            "--rounds", min=1, help="With --ingest: ingest and model alone in turn, N times."
        ),
    ] = 1,
    verify: Annotated[
        bool,
        typer.Option("--verify", help="With --passages: what checksum verification costs."),
    ] = False,
    fuzz: Annotated[
        Path | None,
        typer.Option("--fuzz", help="Ingest a fuzz set (scripts/make_fuzz_corpus.py): crashes."),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Real documents the synthetic passages are made from."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache", help="Folder for benchmark indexes (default: bench/ beside the index)."
        ),
    ] = None,
    as_json: JsonOption = False,
    index: IndexOption = None,
    model: ModelOption = None,
) -> None:
    """Measure speed and memory: query latency at N passages, or ingest against the model alone."""
    from dataclasses import asdict

    from index.bench import bench_ingest, bench_queries

    if [passages, ingest_dir, fuzz].count(None) != 2:
        raise typer.BadParameter("give one of --passages N, --ingest DIR, --fuzz DIR")
    settings = _settings(index, model)
    cache = cache or settings.index_dir.parent / "bench"
    if fuzz is not None:
        from index.fuzz_bench import bench_fuzz

        figures = asdict(bench_fuzz(settings, fuzz, cache))
    elif passages is not None and verify:
        from index.verify_bench import bench_verification

        corpus = corpus or settings.documents_dir
        figures = asdict(bench_verification(settings, passages, corpus, cache))
    elif passages is not None:
        figures = asdict(bench_queries(settings, passages, corpus or settings.documents_dir, cache))
    else:
        figures = asdict(bench_ingest(settings, ingest_dir, cache / "ingest", rounds))
    if as_json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            console.print(f"{name:24} {value}")


@cli.command()
def show(
    target: Annotated[
        str, typer.Argument(help="A result's passage_number (from ask --json) or a PDF's path.")
    ],
    page: Annotated[
        int | None, typer.Option("--page", min=1, help="Page (default: the passage's first).")
    ] = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Image file to write (default: NAME-pN.png).")
    ] = None,
    mark: Annotated[
        str | None, typer.Option("--mark", help="The sentence to mark (default: the passage's).")
    ] = None,
    index: IndexOption = None,
    documents: Annotated[Path | None, typer.Option("--documents", help="Documents folder.")] = None,
) -> None:
    """Write a cited PDF page as an image with the sentence marked, for a briefing note."""
    from app.cited_page import find_cited_page
    from app.page_image import PageUnavailable, render_cited_page
    from app.pdf_route import RefusedPath

    try:
        cited = find_cited_page(_settings(index, None, documents), target, page, mark)
        image = render_cited_page(cited.path, cited.page, cited.sentences)
    except (RefusedPath, PageUnavailable, ValueError) as problem:
        errors.print(f"[bold red]Error:[/bold red] cannot show {target!r}: {problem}")
        raise typer.Exit(1) from problem
    out = png or Path(f"{Path(cited.source).stem}-p{cited.page}.png")
    out.write_bytes(image.png)
    marked = "sentence marked" if image.marks else "sentence not found on this page"
    console.print(f"Wrote {out}: page {cited.page} of {cited.source}, {marked}.", soft_wrap=True)


@cli.command("app")
def app_command(
    port: Annotated[
        int | None, typer.Option("--port", help="Port to serve on (default 8501).")
    ] = None,
    index: IndexOption = None,
    model: ModelOption = None,
    documents: Annotated[Path | None, typer.Option("--documents", help="Documents folder.")] = None,
) -> None:
    """Open the browser app on this computer (http://localhost:PORT)."""
    from app.launch import run_app

    raise typer.Exit(run_app(_settings(index, model, documents), port))


@cli.command()
def define(term: Annotated[str, typer.Argument(help="An acronym, e.g. BCF, ICB, s75.")]) -> None:
    """What an acronym of UK local government and health and care stands for."""
    from index.glossary import default_glossary

    found = default_glossary().lookup(term)
    if found is None:
        errors.print(f"{term!r} is not in the glossary (index/glossary.yaml).")
        raise typer.Exit(1)
    console.print(f"[bold]{found.acronym}[/bold]: {found.expansion}")
    if found.note:
        console.print(found.note)


@cli.command()
def status(index: IndexOption = None) -> None:
    """What is indexed: documents, passages, model, when it was built, skipped files."""
    settings = _settings(index)
    print_status(console, read_manifest(settings.index_dir), str(settings.index_dir))


@cli.command()
def check(
    restore_previous: Annotated[
        bool,
        typer.Option(
            "--restore-previous", help="Switch back to the previous generation if it is intact."
        ),
    ] = False,
    index: IndexOption = None,
) -> None:
    """Verify every byte of the index against its checksums, and say what to do if damaged."""
    from app.check_report import print_check
    from index.store import check_index
    from index.store import restore_previous as restore

    settings = _settings(index)
    if restore_previous:
        console.print(f"The index now uses generation {restore(settings.index_dir)}.")
    if not print_check(console, str(settings.index_dir), check_index(settings.index_dir)):
        raise typer.Exit(1)


def main() -> None:
    """Entry point: user errors become one readable line; --debug shows the traceback."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        code = cli(standalone_mode=False)  # without standalone mode, typer.Exit(n) returns n
        if isinstance(code, int) and code:
            sys.exit(code)
    except USER_ERRORS as error:
        if debug:
            raise
        errors.print(f"[bold red]Error:[/bold red] {error}")
        sys.exit(1)
    except (typer.Abort, KeyboardInterrupt):
        errors.print("Interrupted.")
        sys.exit(130)
    except Exception as error:
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        raise


if __name__ == "__main__":
    main()
