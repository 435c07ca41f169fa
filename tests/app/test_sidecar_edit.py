"""Editing a document's metadata keeps the rest of the sidecar file as it was."""

from __future__ import annotations

import pytest
import yaml

from app.sidecar_edit import save_metadata
from ingest.sidecar import SidecarError, load_sidecar


def test_creates_metadata_yaml(tmp_path):
    path = save_metadata(
        tmp_path, "a.pdf", {"organisation": "Kent County Council", "date": "2024-05"}
    )
    assert path == tmp_path / "metadata.yaml"
    assert load_sidecar(tmp_path) == {
        "a.pdf": {"organisation": "Kent County Council", "date": "2024-05"}
    }


def test_keeps_other_entries_and_fields(tmp_path):
    (tmp_path / "metadata.yaml").write_text(
        "a.pdf:\n  title: Old title\n  doc_type: minutes\n  date: 2023-01-02\nb.txt:\n  organisation: Medway Council\n"
    )
    save_metadata(tmp_path, "a.pdf", {"title": "New title", "doc_type": ""})
    assert load_sidecar(tmp_path) == {
        "a.pdf": {"title": "New title", "date": "2023-01-02"},
        "b.txt": {"organisation": "Medway Council"},
    }


def test_matches_an_entry_written_with_a_leading_dot_slash(tmp_path):
    (tmp_path / "metadata.yaml").write_text("./sub/a.pdf:\n  title: T\n")
    save_metadata(tmp_path, "sub/a.pdf", {"date": "2020"})
    assert yaml.safe_load((tmp_path / "metadata.yaml").read_text()) == {
        "./sub/a.pdf": {"title": "T", "date": "2020"}
    }


def test_edits_a_csv_sidecar_in_place(tmp_path):
    (tmp_path / "metadata.csv").write_text("file,title\na.pdf,A\nb.pdf,B\n")
    save_metadata(tmp_path, "b.pdf", {"organisation": "Leicester City Council"})
    assert not (tmp_path / "metadata.yaml").exists()
    assert load_sidecar(tmp_path) == {
        "a.pdf": {"title": "A"},
        "b.pdf": {"title": "B", "organisation": "Leicester City Council"},
    }


def test_refuses_a_bad_date_and_a_broken_file(tmp_path):
    with pytest.raises(SidecarError, match="not YYYY-MM-DD"):
        save_metadata(tmp_path, "a.pdf", {"date": "January"})
    assert not (tmp_path / "metadata.yaml").exists()
    (tmp_path / "metadata.yaml").write_text("a.pdf: [unclosed\n")
    with pytest.raises(SidecarError, match="not valid YAML"):
        save_metadata(tmp_path, "a.pdf", {"title": "T"})
