"""The served-PDF route: only indexed PDFs inside the documents folder, over a real server."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from app.pdf_route import RefusedPath, pdf_link, served_pdf, start_pdf_server


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, set[str]]:
    root = tmp_path / "documents"
    (root / "minutes").mkdir(parents=True)
    (root / "minutes" / "cabinet 2025.pdf").write_bytes(b"%PDF-1.4 cabinet")
    (root / "notes.txt").write_text("not a pdf")
    (root / "unindexed.pdf").write_bytes(b"%PDF-1.4 new")
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4 secret")
    (root / "escape.pdf").symlink_to(outside)
    (root / "alias.pdf").symlink_to(root / "minutes" / "cabinet 2025.pdf")
    indexed = {"minutes/cabinet 2025.pdf", "notes.txt", "escape.pdf", "alias.pdf"}
    return root, indexed


def test_an_indexed_pdf_is_served(library) -> None:
    root, indexed = library
    path = served_pdf(root, "minutes/cabinet 2025.pdf", indexed)
    assert path == (root / "minutes" / "cabinet 2025.pdf").resolve()
    assert served_pdf(root, "alias.pdf", indexed).read_bytes() == b"%PDF-1.4 cabinet"


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("../secret.pdf", "inside the documents folder"),
        ("minutes/../../secret.pdf", "inside the documents folder"),
        ("/etc/passwd.pdf", "inside the documents folder"),
        ("C:/Windows/win.pdf", "inside the documents folder"),
        ("minutes\\..\\..\\secret.pdf", "not a library path"),
        ("escape.pdf", "outside the documents folder"),
        ("notes.txt", "only PDFs"),
        ("unindexed.pdf", "only indexed"),
        ("", "not a library path"),
    ],
)
def test_everything_else_is_refused(library, source: str, why: str) -> None:
    root, indexed = library
    # Listed as indexed, so that only the check named is what refuses it.
    known = indexed if source == "unindexed.pdf" else indexed | {source}
    with pytest.raises(RefusedPath, match=why):
        served_pdf(root, source, known)


def test_the_server_sends_the_pdf_and_refuses_the_rest(library) -> None:
    root, indexed = library
    server = start_pdf_server(root, lambda: indexed)
    try:
        link = pdf_link(server.base_url, "minutes/cabinet 2025.pdf", 2)
        assert link.endswith("/pdf/minutes/cabinet%202025.pdf#page=2")
        with urllib.request.urlopen(link.split("#")[0], timeout=5) as response:
            assert response.headers["Content-Type"] == "application/pdf"
            assert response.read() == b"%PDF-1.4 cabinet"
        for bad in ("/pdf/..%2Fsecret.pdf", "/pdf/escape.pdf", "/pdf/unindexed.pdf", "/other"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(server.base_url + bad, timeout=5)
            assert refused.value.code in (403, 404)
    finally:
        server.stop()
