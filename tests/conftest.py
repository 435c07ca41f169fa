"""Shared fixtures: the real bundled model, and real documents written by the tests."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.embedder import Embedder, load_embedder
from index.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = REPO / "documents"
HARD = SHARED / "corpus" / "hard"


def write_pdf(
    path: Path, pages: list[list[str]], footer: str | None = "Page {n} of {total}"
) -> Path:
    """A real PDF with the given paragraphs on each page (reportlab), and a running footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    _, height = A4
    for number, paragraphs in enumerate(pages, start=1):
        y = height - 72
        for paragraph in paragraphs:
            for line in _wrap(paragraph, 90):
                pdf.drawString(72, y, line)
                y -= 14
            y -= 10
        if footer:
            pdf.drawString(72, 40, footer.format(n=number, total=len(pages)))
        pdf.showPage()
    pdf.save()
    return path


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """The bundled model as `precedent` loads it after an ingest: its batches through PyTorch,
    questions through the exact ONNX export (index/onnx_model.py)."""
    embedder = load_embedder(Settings().model, cache_dir=tmp_path_factory.mktemp("models"))
    embedder.prepare_questions()
    assert embedder.questions is not None
    return embedder


@pytest.fixture(scope="session")
def seeds_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """An index over the five seed documents that ship in documents/, built once per test run."""
    from index.build import build_index

    root = tmp_path_factory.mktemp("seeds")
    shutil.copytree(SEEDS, root / "documents")
    settings = Settings(documents_dir=root / "documents", index_dir=root / "index")
    build_index(settings, embedder, progress=False)
    return settings


def build_library(tmp_path: Path, files: dict[str, str], embedder: Embedder, **overrides):
    """A searcher over text files written from `files` (name: text), indexed with `overrides`."""
    from index.build import build_index
    from index.search import Searcher
    from index.store import open_store

    documents = tmp_path / "documents"
    documents.mkdir()
    for name, text in files.items():
        (documents / name).write_text(text, encoding="utf-8")
    settings = Settings(documents_dir=documents, index_dir=tmp_path / "index", **overrides)
    build_index(settings, embedder, progress=False)
    return Searcher(open_store(settings.index_dir), embedder, settings)


def kill_ingest_while_embedding(documents: Path, index_dir: Path) -> None:
    """Run `precedent ingest` in a process and SIGKILL it once it has started embedding."""
    command = [sys.executable, "-m", "app.cli", "ingest", str(documents), "--index", str(index_dir)]
    process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    for line in process.stderr:
        if line.startswith("Embedding") or time.monotonic() > deadline:
            break
    time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.wait()
