"""Many browser sessions asking at once, idle and while an ingest rebuilds the index.

    python scripts/bench_app_load.py [--index DIR] [--documents DIR] [--sessions 20] [--each 3]

Starts the app, opens `--sessions` headless Chromium sessions (one browser context each, so each
is its own Streamlit session), and has every session ask `--each` questions from the dev set at
the same time: once with the app idle, once while `precedent ingest --rebuild` runs on the same
index. Prints failed requests and Enter-to-answer p50/p95 for each phase. Needs /usr/bin/chromium
and playwright.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from app.launch import start_app, stop_app, wait_until_ready
from index.settings import load_settings
from scripts.bench_app import CHROMIUM, DEV, WAIT_MS, ensure_index, free_port, percentile

REPO = Path(__file__).resolve().parents[1]


async def _session(browser, url: str, questions: list[str]) -> list[float | None]:
    """Enter-to-answer seconds for each question; None for one that failed."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    times: list[float | None] = []
    try:
        await page.goto(url, timeout=WAIT_MS)
        for question in questions:
            box = page.get_by_label("Your question")
            try:
                await box.fill(question)
                started = time.perf_counter()
                await box.press("Enter")
                await page.wait_for_function(
                    "q => [...document.querySelectorAll('.precedent-answer')]"
                    ".find(e => e.dataset.question === q)",
                    arg=question,
                    timeout=WAIT_MS,
                    polling=20,
                )
                times.append(time.perf_counter() - started)
            except Exception:  # noqa: BLE001  a failed request is what this counts
                times.append(None)
    finally:
        await context.close()
    return times


async def _phase(url: str, sessions: int, each: int, questions: list[str], tag: str) -> list:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            timeout=WAIT_MS,
        )
        try:
            asked = [
                [
                    f"{questions[(s * each + i) % len(questions)]} ({tag} {s}.{i})"
                    for i in range(each)
                ]
                for s in range(sessions)
            ]
            results = await asyncio.gather(*(_session(browser, url, q) for q in asked))
        finally:
            await browser.close()
    return [t for session in results for t in session]


def _summary(name: str, times: list[float | None], seconds: float) -> str:
    done = [t for t in times if t is not None]
    failed = len(times) - len(done)
    if not done:
        return f"{name}: {len(times)} requests, all failed"
    return (
        f"{name}: {len(times)} requests in {seconds:.0f} s, {failed} failed; Enter to answer "
        f"p50 {statistics.median(done):.1f} s, p95 {percentile(tuple(done), 0.95):.1f} s, "
        f"max {max(done):.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--documents", type=Path)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--each", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings().with_overrides(index_dir=args.index, documents_dir=args.documents)
    ensure_index(settings)
    questions = [json.loads(line)["question"] for line in DEV.read_text().splitlines() if line]
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="bench-app-load-")) / "streamlit.log"
    server = start_app(settings, port, address="127.0.0.1", log=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_ready(server, port, timeout=180)
        asyncio.run(_phase(url, 1, 1, questions, "warm-up"))
        started = time.perf_counter()
        idle = asyncio.run(_phase(url, args.sessions, args.each, questions, "idle"))
        idle_s = time.perf_counter() - started
        ingest = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "ingest", str(settings.documents_dir),
             "--index", str(settings.index_dir), "--rebuild"],
            cwd=REPO, env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        started = time.perf_counter()
        busy = asyncio.run(_phase(url, args.sessions, args.each, questions, "ingest"))
        busy_s = time.perf_counter() - started
        ingest_running_at_end = ingest.poll() is None
        ingest.wait()
    finally:
        stop_app(server)
    print(f"{args.sessions} sessions x {args.each} questions; {os.cpu_count()} CPU cores")
    print(_summary("idle", idle, idle_s))
    print(_summary("during an ingest --rebuild", busy, busy_s))
    print(f"ingest still running when the last answer came: {ingest_running_at_end}; "
          f"ingest exit status {ingest.returncode}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
