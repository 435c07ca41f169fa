"""A disk that fills during an ingest: the previous index still answers, nothing half-written stays."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from index.build import build_index
from index.search import open_searcher
from index.settings import Settings
from index.store import IndexNotWritten, check_index, read_manifest


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 400 kB tmpfs: room for an index of one note, not for one of a long report."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "--lazy", str(disk)], check=True)  # the searcher may hold files


def test_a_full_disk_leaves_the_previous_index_answering(tmp_path, small_disk, embedder) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "note.txt").write_text(
        "The Disabled Facilities Grant funds home adaptations for older residents.\n",
        encoding="utf-8",
    )
    settings = Settings(documents_dir=documents, index_dir=small_disk / "index")
    build_index(settings, embedder, progress=False)
    built = read_manifest(settings.index_dir).built_at

    (documents / "report.txt").write_text(
        "\n\n".join(
            f"Paragraph {n}: the locality teams reviewed social prescribing and hospital "
            f"discharge with primary care networks in area {n}." * 3
            for n in range(300)
        ),
        encoding="utf-8",
    )
    with pytest.raises(IndexNotWritten) as failed:
        build_index(settings, embedder, progress=False)
    message = str(failed.value)
    assert (
        f"the new index could not be written to {settings.index_dir} (the disk is full" in message
    )
    assert "the half-written copy was removed and the previous index is unchanged" in message

    assert not list(settings.index_dir.glob("*.partial"))
    generations = [path.name for path in settings.index_dir.glob("gen-*")]
    assert generations == [check_index(settings.index_dir)[0].name]
    assert read_manifest(settings.index_dir).built_at == built
    answer = open_searcher(settings).search("What does the Disabled Facilities Grant fund?", k=1)
    assert answer.results[0].source == "note.txt"
