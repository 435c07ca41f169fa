"""Upload checks: allowed types only, a size limit, safe names, no silent overwrite."""

from __future__ import annotations

import pytest

from app import uploads
from app.uploads import UploadRejected, check_upload, safe_file_name, save_upload
from ingest.reader import SUPPORTED_SUFFIXES


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Cabinet minutes 30th-Jan-2025.pdf", "Cabinet minutes 30th-Jan-2025.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\evil.TXT", "evil.txt"),
        ("/abs/path/report.md", "report.md"),
        ("..", "document"),
        (".hidden.html", "hidden.html"),
        ("Stratégie santé 2024.docx", "Strategie sante 2024.docx"),
        ("a\x00b<c>|d?.txt", "a-b-c-d.txt"),
        ("metadata.yaml", "metadata.yaml"),
    ],
)
def test_safe_file_name(name, safe):
    assert safe_file_name(name) == safe


def test_long_names_are_cut_but_keep_their_type():
    name = safe_file_name("x" * 500 + ".pdf")
    assert name.endswith(".pdf") and len(name) <= uploads.MAX_NAME_CHARS


def test_allowed_types_are_ones_ingest_reads():
    assert set(uploads.ALLOWED_SUFFIXES) <= set(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize(
    "name", ["virus.exe", "notes.doc", "metadata.yaml", "page.php", "noextension", "x.pdf.exe"]
)
def test_other_types_are_refused(name, tmp_path):
    with pytest.raises(UploadRejected, match="only .pdf"):
        check_upload(name, b"data", tmp_path)


def test_content_must_match_the_type(tmp_path):
    with pytest.raises(UploadRejected, match="not a real .pdf"):
        check_upload("report.pdf", b"<html>", tmp_path)
    with pytest.raises(UploadRejected, match="not a real .docx"):
        check_upload("report.docx", b"%PDF-1.7", tmp_path)
    assert check_upload("report.pdf", b"%PDF-1.7 ...", tmp_path).name == "report.pdf"


def test_size_limit_and_empty_files(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(UploadRejected, match="larger than"):
        check_upload("big.txt", b"x" * 11, tmp_path)
    with pytest.raises(UploadRejected, match="empty"):
        check_upload("empty.txt", b"", tmp_path)


def test_saved_inside_the_folder_and_never_overwritten_silently(tmp_path):
    folder = tmp_path / "documents"
    upload = check_upload("outside.txt", b"first", folder)
    assert save_upload(folder, upload, b"first") == (folder / "outside.txt").resolve()
    assert not (tmp_path / "outside.txt").exists()
    again = check_upload("outside.txt", b"second", folder)
    assert again.exists
    with pytest.raises(UploadRejected, match="already exists"):
        save_upload(folder, again, b"second")
    assert (folder / "outside.txt").read_bytes() == b"first"
    save_upload(folder, again, b"second", overwrite=True)
    assert (folder / "outside.txt").read_bytes() == b"second"
    assert sorted(p.name for p in folder.iterdir()) == ["outside.txt"]  # no temporary file left
