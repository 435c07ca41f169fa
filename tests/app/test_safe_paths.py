"""Names that climb out, are absolute, hold NUL bytes, are too long or lead through links are refused."""

from __future__ import annotations

import pytest

from app import uploads
from app.safe_paths import UnsafePath, resolve_inside
from app.uploads import UploadRejected, check_size, check_upload, save_upload

REFUSED = [
    ("../../etc/passwd.txt", "the name leads out of its folder (..)"),
    ("..\\..\\Windows\\evil.txt", "the name leads out of its folder (..)"),
    ("/etc/cron.d/job.txt", "the name is an absolute path"),
    ("C:\\Users\\me\\report.pdf", "the name is an absolute path"),
    ("report\x00.pdf.txt", "the name holds a NUL byte"),
    ("é" * 128 + ".txt", "the name is longer than 255 bytes"),  # 128 characters, 260 bytes
]


@pytest.mark.parametrize(("name", "reason"), REFUSED)
def test_unsafe_upload_names_are_refused(tmp_path, name, reason):
    with pytest.raises(UploadRejected) as refused:
        check_upload(name, b"notes", tmp_path)
    assert refused.value.reason == reason
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("name", "reason"), REFUSED)
def test_unsafe_served_paths_are_refused(tmp_path, name, reason):
    with pytest.raises(UnsafePath, match=reason.replace("(", r"\(").replace(")", r"\)")):
        resolve_inside(tmp_path, name)


def test_a_link_in_the_library_is_neither_served_nor_overwritten(tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (documents / "notes.txt").symlink_to(tmp_path / "secret.txt")
    (documents / "folder").symlink_to(tmp_path)
    for name in ("notes.txt", "folder/secret.txt"):
        with pytest.raises(UnsafePath, match="leads through a symbolic link"):
            resolve_inside(documents, name)
    with pytest.raises(UploadRejected, match="symbolic link"):
        upload = check_upload("notes.txt", b"new", documents)
        save_upload(documents, upload, b"new", overwrite=True)
    assert (tmp_path / "secret.txt").read_text(encoding="utf-8") == "outside"


def test_a_plain_name_inside_resolves(tmp_path):
    (tmp_path / "Kent papers").mkdir()
    assert resolve_inside(tmp_path, "Kent papers/minutes.pdf") == (
        tmp_path.resolve() / "Kent papers" / "minutes.pdf"
    )


def test_an_upload_over_the_limit_is_refused_by_its_announced_size(tmp_path):
    with pytest.raises(UploadRejected, match=f"larger than {uploads.MAX_UPLOAD_MB} MB"):
        check_size("huge.pdf", uploads.MAX_UPLOAD_BYTES + 1)
    check_size("fine.pdf", uploads.MAX_UPLOAD_BYTES)
