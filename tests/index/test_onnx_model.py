"""The exact ONNX export questions are encoded with: PyTorch's vectors, without loading PyTorch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.build import build_index
from index.embedder import Embedder, load_embedder, resolve_model_path
from index.onnx_model import TOLERANCE, export_question_model, load_question_model
from index.search import Searcher
from index.settings import DEFAULT_MODEL, Settings
from index.store import open_store
from tests.conftest import REPO, SEEDS

QUESTIONS = [
    "How are district councils involved in prevention?",
    "BCF",
    "What did the Kent and Medway board resolve about its integrated care strategy?",
]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seed library ingested by a model loaded the way `precedent ingest` loads it."""
    root = tmp_path_factory.mktemp("exported")
    shutil.copytree(SEEDS, root / "documents")
    settings = Settings(documents_dir=root / "documents", index_dir=root / "index")
    loader = load_embedder.__wrapped__  # a fresh instance, not the tests' shared one
    embedder = loader(DEFAULT_MODEL, cache_dir=root / "models")
    assert embedder.questions is None  # nothing exported yet: PyTorch it is
    build_index(settings, embedder, progress=False)
    return settings


def test_ingest_leaves_an_export_that_gives_pytorchs_vectors(
    ingested: Settings, embedder: Embedder
) -> None:
    fresh = load_embedder.__wrapped__(DEFAULT_MODEL, cache_dir=ingested.models_dir)
    assert fresh.questions is not None
    assert "model" not in fresh.__dict__  # PyTorch was not needed to load it
    assert (fresh.identity, fresh.dimension, fresh.max_tokens) == (
        embedder.identity,
        embedder.dimension,
        embedder.max_tokens,
    )
    reference = embedder.model.encode(QUESTIONS, normalize_embeddings=True)
    queries = np.stack([fresh.encode_query(q) for q in QUESTIONS])
    assert np.abs(queries - reference).max() <= TOLERANCE
    sentences = fresh.encode_sentences(QUESTIONS)
    assert np.abs(sentences - reference).max() <= TOLERANCE
    assert "model" not in fresh.__dict__


def test_search_through_the_export_ranks_as_pytorch_does(
    ingested: Settings, embedder: Embedder
) -> None:
    fresh = load_embedder.__wrapped__(DEFAULT_MODEL, cache_dir=ingested.models_dir)
    store = open_store(ingested.index_dir)
    exported = Searcher(store, fresh, ingested)
    pytorch = Searcher(store, load_embedder.__wrapped__(DEFAULT_MODEL), ingested)
    for question in QUESTIONS:
        for method in ("hybrid", "dense"):
            ours = exported.retrieve(question, 10, method=method)
            theirs = pytorch.retrieve(question, 10, method=method)
            assert [n for n, _ in ours.top] == [n for n, _ in theirs.top]
    assert "model" not in fresh.__dict__


@pytest.mark.parametrize(
    "question",
    [
        "How are district councils involved in prevention?",
        "What did the board resolve about the strategy?",  # also ranks the decisions register
    ],
)
def test_a_question_process_never_imports_pytorch(ingested: Settings, question: str) -> None:
    """The point of the export: `precedent ask` starts in seconds, not after PyTorch's import."""
    arguments = ["app.cli", "ask", question]
    arguments += ["--json", "--index", str(ingested.index_dir)]
    probe = (
        "import runpy, sys\n"
        "sys.argv = sys.argv[1:]\n"
        "try:\n"
        "    runpy.run_module('app.cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('torch', 'sentence_transformers', 'transformers')\n"
        "print('IMPORTED', [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *arguments],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["answer"]["found"] and answer["results"][0]["source"]
    if "resolve" in question:
        assert answer["decisions"]
    assert "IMPORTED []" in done.stderr


def _model_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(resolve_model_path(DEFAULT_MODEL), folder)
    return folder


def test_an_export_of_other_model_files_is_not_used(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path)
    model = load_embedder.__wrapped__(str(folder)).model
    assert export_question_model(str(folder), str(folder), model, tmp_path / "models")
    assert load_question_model(str(folder), str(folder), tmp_path / "models") is not None
    config = folder / "config.json"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_question_model(str(folder), str(folder), tmp_path / "models") is None
    # and a later load falls back to PyTorch for this model
    assert load_embedder.__wrapped__(str(folder), cache_dir=tmp_path / "models").questions is None


def test_a_model_the_export_does_not_reproduce_keeps_pytorch(tmp_path: Path) -> None:
    """The export assumes a normalised mean of the token vectors; a model pooling its first
    token instead gives other vectors, so nothing is kept for it."""
    folder = _model_copy(tmp_path)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text(encoding="utf-8"))
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config), encoding="utf-8")
    model = load_embedder.__wrapped__(str(folder)).model
    assert export_question_model(str(folder), str(folder), model, tmp_path / "models") is None
    assert not list((tmp_path / "models").iterdir())  # no card, and no graph left behind
    assert load_question_model(str(folder), str(folder), tmp_path / "models") is None


def test_an_export_missing_its_graph_is_not_used(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path)
    model = load_embedder.__wrapped__(str(folder)).model
    assert export_question_model(str(folder), str(folder), model, tmp_path / "models")
    for graph in (tmp_path / "models").glob("*.onnx"):
        graph.unlink()  # someone tidied the models folder, leaving the card
    assert load_question_model(str(folder), str(folder), tmp_path / "models") is None
