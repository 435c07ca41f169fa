"""Time the browser app as a person uses it: cold start to first answer, then Enter to answer.

    python scripts/bench_app.py [--index DIR] [--documents DIR] [--questions FILE] [--count 20]

Starts `streamlit run` on a free local port with the given library (building its index first if
there is none, outside the timings), drives Debian's headless Chromium with Playwright through
`--count` questions from the dev set (repeated if it has fewer), and prints p50/p95 from
pressing Enter to the answer being on screen. Needs /usr/bin/chromium and `pip install playwright`.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from app.launch import start_app, stop_app, wait_until_ready
from index.settings import load_settings
from index.store import IndexMissing, read_manifest

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 120_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="index folder (default: the configured one)")
    parser.add_argument(
        "--documents", type=Path, help="documents folder (default: the configured one)"
    )
    parser.add_argument(
        "--questions", type=Path, default=DEV, help="JSON lines with a `question` field"
    )
    parser.add_argument("--count", type=int, default=20, help="questions to time (at least 20)")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: tuple[float, ...], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ask(page, question: str) -> tuple[float, float]:
    """Seconds from pressing Enter to this question's answer block being in the page, and the
    engine's own time for the search (which the answer block carries)."""
    box = page.get_by_label("Your question")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    handle = page.wait_for_function(
        "q => [...document.querySelectorAll('.precedent-answer')].find(e => e.dataset.question === q)",
        arg=question,
        timeout=WAIT_MS,
        polling=10,
    )
    elapsed = time.perf_counter() - started
    return elapsed, float(handle.as_element().get_attribute("data-took-ms")) / 1000


def _numbered(question: str, round_number: int) -> str:
    return question if round_number == 0 else f"{question} ({round_number + 1})"


def ensure_index(settings) -> None:
    try:
        read_manifest(settings.index_dir)
    except IndexMissing:
        from index.build import build_index

        print(f"No index in {settings.index_dir}: building it first (not timed).", file=sys.stderr)
        build_index(settings, progress=False)


def main() -> int:
    args = parse_args()
    settings = load_settings().with_overrides(index_dir=args.index, documents_dir=args.documents)
    ensure_index(settings)
    questions = [
        json.loads(line)["question"]
        for line in args.questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    count = max(args.count, 20)
    # The app remembers answers; a repeated question gets a round number so it is searched afresh.
    timed = [_numbered(questions[i % len(questions)], i // len(questions)) for i in range(count)]
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="bench-app-")) / "streamlit.log"
    launched = time.perf_counter()
    server = start_app(settings, port, address="127.0.0.1", log=log)
    try:
        wait_until_ready(server, port, timeout=120)
        ready = time.perf_counter() - launched
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
                timeout=WAIT_MS,
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(WAIT_MS)
                page.goto(f"http://127.0.0.1:{port}/", timeout=WAIT_MS)
                first, _ = ask(page, "How are district councils involved in prevention?")
                cold = time.perf_counter() - launched
                seconds, engine = zip(*(ask(page, question) for question in timed))
                repeats = [ask(page, question)[0] for question in timed[1:6]]
            finally:
                browser.close()
    finally:
        stop_app(server)
    manifest = read_manifest(settings.index_dir)
    print(
        f"Library: {len(manifest.documents)} documents, {manifest.passage_count} passages; "
        f"{os.cpu_count()} CPU cores; model {manifest.model}"
    )
    print(
        f"Cold start: server ready {ready:.1f} s; first answer {cold:.1f} s after launch "
        f"(the first question took {first:.2f} s from Enter)"
    )
    print(
        f"Enter to answer on screen, {len(seconds)} questions: p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {percentile(seconds, 0.95) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"
    )
    print(
        f"  of which the engine's search: p50 {statistics.median(engine) * 1000:.0f} ms, "
        f"p95 {percentile(engine, 0.95) * 1000:.0f} ms"
    )
    print(
        f"Questions asked again (answered from the app's memory, no search): "
        f"p50 {statistics.median(repeats) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
