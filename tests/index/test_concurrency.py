"""Two ingests at once: the second is refused naming the first; a killed one's lock is cleared."""

from __future__ import annotations

import json
import logging
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import build_index
from index.settings import Settings
from index.store import IndexBusy, read_manifest
from tests.conftest import REPO, SEEDS


def test_a_second_ingest_is_refused_and_a_killed_ones_lock_is_cleared(
    tmp_path: Path, embedder, caplog
) -> None:
    shutil.copytree(SEEDS, tmp_path / "documents")
    settings = Settings(documents_dir=tmp_path / "documents", index_dir=tmp_path / "index")
    bulk = "\n\n".join(
        f"Paragraph {n}: the locality teams reviewed social prescribing and hospital discharge "
        f"with primary care networks in area {n}." * 3
        for n in range(300)
    )
    (tmp_path / "documents" / "bulk.txt").write_text(bulk, encoding="utf-8")
    command = [sys.executable, "-m", "app.cli", "ingest", str(settings.documents_dir),
               "--index", str(settings.index_dir)]  # fmt: skip
    first = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    for line in first.stderr:
        if line.startswith("Embedding") or time.monotonic() > deadline:
            break
    try:
        with pytest.raises(IndexBusy) as refused:
            build_index(settings, embedder, progress=False)
        message = str(refused.value)
        assert f"another ingest is updating {settings.index_dir}" in message
        assert f"`cli.py ingest {settings.documents_dir} --index" in message
        assert f"(process {first.pid} on " in message
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    left = json.loads((settings.index_dir / ".lock").read_text(encoding="utf-8"))
    assert left["pid"] == first.pid  # what a killed ingest leaves behind
    (settings.index_dir / "gen-20260101T000000-deadbeef.partial").mkdir()

    with caplog.at_level(logging.WARNING, logger="index.store"):
        report = build_index(settings, embedder, progress=False)
    assert report.written and len(read_manifest(settings.index_dir).documents) == 6
    assert f"cleared a stale lock on {settings.index_dir}, left by `" in caplog.text
    assert f"(process {first.pid} on " in caplog.text
    assert not list(settings.index_dir.glob("*.partial"))
    assert (settings.index_dir / ".lock").read_text(encoding="utf-8") == ""
