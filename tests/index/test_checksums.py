"""A damaged index is refused at open or by `precedent check`, never searched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import checksums
from index.build import build_index
from index.search import open_searcher
from index.settings import Settings
from index.store import IndexDamaged, check_index, live_generation, open_store, read_manifest
from tests.conftest import REPO, SEEDS

FILES = [
    "manifest.json",
    "passages.jsonl",
    "passages.offsets.npy",
    "texts.jsonl",
    "texts.offsets.npy",
    "embeddings.npy",
    "vectors.faiss",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """Two generations over the seeds: the second adds one document."""
    root = tmp_path_factory.mktemp("checked")
    shutil.copytree(SEEDS, root / "documents")
    settings = Settings(documents_dir=root / "documents", index_dir=root / "index")
    build_index(settings, embedder, progress=False)
    (root / "documents" / "extra.txt").write_text("The carers strategy.\n", encoding="utf-8")
    build_index(settings, embedder, progress=False)
    return root


@pytest.fixture
def settings(built: Path, tmp_path: Path) -> Settings:
    shutil.copytree(built, tmp_path / "copy")
    return Settings(
        documents_dir=tmp_path / "copy" / "documents", index_dir=tmp_path / "copy" / "index"
    )


def _flip(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0x20
    path.write_bytes(bytes(data))


def _live(settings: Settings) -> Path:
    return settings.index_dir / live_generation(settings.index_dir)


def test_every_file_of_a_generation_is_listed(settings: Settings) -> None:
    verification = checksums.verify_checksums(_live(settings), whole=True)
    assert verification.intact and not verification.unlisted
    listed = {path for path in (_live(settings)).rglob("*") if path.is_file()}
    assert verification.files == len(listed) - 1  # all but the list itself
    assert any(name.startswith("keyword/") for name in _listed(settings))


def _listed(settings: Settings) -> list[str]:
    import json

    return list(json.loads((_live(settings) / checksums.CHECKSUMS).read_text())["files"])


@pytest.mark.parametrize("name", [*FILES, "keyword"])
def test_a_flipped_byte_in_any_file_is_refused_at_open(settings: Settings, name: str) -> None:
    target = next(p for p in sorted(_live(settings).rglob("*")) if p.is_file() and
                  p.relative_to(_live(settings)).as_posix().startswith(name))  # fmt: skip
    _flip(target)
    with pytest.raises(IndexDamaged) as raised:
        open_store(settings.index_dir)
    message = str(raised.value)
    assert "damaged and will not be searched" in message
    assert target.relative_to(_live(settings)).as_posix() in message
    assert "`precedent ingest`" in message
    assert "The previous generation, gen-" in message and "--restore-previous" in message
    with pytest.raises(IndexDamaged):
        read_manifest(settings.index_dir)  # so `precedent status` refuses it too


def test_ten_overwritten_bytes_in_passages_are_refused(settings: Settings) -> None:
    path = _live(settings) / "passages.jsonl"
    data = bytearray(path.read_bytes())
    data[100:110] = b"0123456789"
    path.write_bytes(bytes(data))
    with pytest.raises(IndexDamaged, match="passages.jsonl: contents changed"):
        open_searcher(settings)


def test_large_files_are_verified_by_header_at_open_and_whole_by_check(
    settings: Settings, monkeypatch
) -> None:
    monkeypatch.setattr(checksums, "SMALL_BYTES", 0)  # every file counts as large,
    monkeypatch.setattr(checksums, "HEAD_BYTES", 1024)  # with a header far shorter than it
    checksums.write_checksums(_live(settings))
    vectors = _live(settings) / "vectors.faiss"
    _flip(vectors, at=0.9)  # past the header
    open_store(settings.index_dir)  # a flip past the header is for `check` to find
    live, previous = check_index(settings.index_dir)
    assert [(d.path, d.problem) for d in live.verification.damaged] == [
        ("vectors.faiss", "contents changed (CRC32 differs)")
    ]
    assert previous.verification.intact and not previous.live
    _flip(vectors, at=0.0001)  # in the header
    with pytest.raises(IndexDamaged, match="vectors.faiss: header changed"):
        open_store(settings.index_dir)


def test_a_damaged_checksum_list_or_a_missing_file_is_refused(settings: Settings) -> None:
    (_live(settings) / "texts.offsets.npy").unlink()
    with pytest.raises(IndexDamaged, match="texts.offsets.npy: missing"):
        open_store(settings.index_dir)
    _flip(_live(settings) / checksums.CHECKSUMS)
    with pytest.raises(IndexDamaged, match="the list of checksums itself is damaged"):
        open_store(settings.index_dir)


def _precedent(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )


def test_check_reports_per_file_and_restores_the_intact_previous_generation(
    settings: Settings,
) -> None:
    index = ["--index", str(settings.index_dir)]
    healthy = _precedent("check", *index)
    assert healthy.returncode == 0 and "live generation gen-" in healthy.stdout
    assert ": intact (" in healthy.stdout
    _flip(_live(settings) / "vectors.faiss")
    status = _precedent("status", *index)
    assert status.returncode == 1 and "damaged and will not be searched" in status.stderr
    damaged = _precedent("check", *index)
    assert damaged.returncode == 1
    assert "DAMAGED" in damaged.stdout and "vectors.faiss: contents changed" in damaged.stdout
    assert "run `precedent ingest` to rebuild" in damaged.stdout
    assert "--restore-previous" in damaged.stdout
    damaged_name = live_generation(settings.index_dir)
    restored = _precedent("check", "--restore-previous", *index)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert live_generation(settings.index_dir) not in (None, damaged_name)
    assert len(open_store(settings.index_dir).manifest.documents) == 5  # the earlier library
