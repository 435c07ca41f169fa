"""The metadata sidecar: where people correct titles, organisations, types and dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sidecar import FIELDS, SidecarError, load_sidecar

REPO = Path(__file__).parents[2]


def test_no_sidecar_means_no_overrides(tmp_path: Path) -> None:
    assert load_sidecar(tmp_path) == {}


def test_yaml_sidecar(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text(
        "Printed minutes.pdf:\n  title: Cabinet minutes\n  date: 2025-01-30\n"
        "sub\\folder/report.pdf:\n  organisation: Kent County Council\n  doc_type: ''\n  date: 2024\n",
        encoding="utf-8",
    )
    assert load_sidecar(tmp_path) == {
        "Printed minutes.pdf": {"title": "Cabinet minutes", "date": "2025-01-30"},
        "sub/folder/report.pdf": {"organisation": "Kent County Council", "date": "2024"},
    }


def test_csv_sidecar(tmp_path: Path) -> None:
    (tmp_path / "metadata.csv").write_text(
        "file,title,organisation,doc_type,date\n"
        "minutes.pdf,Cabinet minutes,Kent County Council,minutes,2025-01\n"
        "notes.txt,,,,\n",
        encoding="utf-8",
    )
    assert load_sidecar(tmp_path) == {
        "minutes.pdf": {
            "title": "Cabinet minutes",
            "organisation": "Kent County Council",
            "doc_type": "minutes",
            "date": "2025-01",
        },
        "notes.txt": {},
    }


@pytest.mark.parametrize(
    ("name", "content", "where", "problem"),
    [
        ("metadata.yaml", "a.pdf:\n  title: [unclosed\n", "line 3", "not valid YAML"),
        ("metadata.yaml", "- a.pdf\n- b.pdf\n", "file", "expected a mapping"),
        ("metadata.yaml", "a.pdf: Just a title\n", "entry 'a.pdf'", "expected fields"),
        (
            "metadata.yaml",
            "a.pdf:\n  author: Someone\n",
            "entry 'a.pdf'",
            "unknown fields ['author']",
        ),
        ("metadata.yaml", "a.pdf:\n  date: 30/01/2025\n", "entry 'a.pdf'", "is not YYYY-MM-DD"),
        ("metadata.csv", "name,title\na.pdf,A\n", "line 1", "needs a 'file' column"),
        ("metadata.csv", "file,titel\na.pdf,A\n", "line 1", "unknown columns ['titel']"),
        ("metadata.csv", "file,title\na.pdf,A\na.pdf,B\n", "line 3", "listed twice"),
        ("metadata.csv", "file,title\n,A\n", "line 2", "empty 'file' cell"),
        ("metadata.csv", "file,title\na.pdf,A,extra\n", "line 2", "more cells than columns"),
    ],
)
def test_malformed_sidecar_says_where(
    tmp_path: Path, name: str, content: str, where: str, problem: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(SidecarError) as raised:
        load_sidecar(tmp_path)
    assert raised.value.path == tmp_path / name
    assert raised.value.where == where
    assert problem in raised.value.problem


def test_two_sidecars_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text("{}", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file\n", encoding="utf-8")
    with pytest.raises(SidecarError, match="keep only one"):
        load_sidecar(tmp_path)


def test_shipped_sidecar_covers_every_seed_document() -> None:
    documents = REPO / "documents"
    entries = load_sidecar(documents)
    seeds = {path.name for path in documents.glob("*.txt")}
    assert set(entries) == seeds
    for fields in entries.values():
        assert set(fields) <= set(FIELDS)
        assert fields["organisation"] and fields["doc_type"] and fields["title"]
