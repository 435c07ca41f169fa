"""The decisions register in the index: incremental with its documents, atomic, ranked."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import build_index
from index.decisions import DecisionIndex, admitted, asks_about_decisions, newest_first
from index.search import Filters, Searcher
from index.settings import Settings
from index.store import open_store
from tests.conftest import kill_ingest_while_embedding

CABINET = """MINUTES of a meeting of the Cabinet held at County Hall on Thursday, 30 January 2025.

91. Integrated Care Strategy Delivery Plan (Item 8)

1. The Director of Public Health introduced the report.

2. RESOLVED that Cabinet agree to:

(a) Adopt the Integrated Care Strategy Delivery Plan on behalf of the Council;

(b) Delegate authority to the Director of Public Health to make non-substantial revisions to the Delivery Plan.
"""

BOARD = """MINUTES of a meeting of the Health and Wellbeing Board held at the Town Hall on Monday, 3 June 2024.

7. Joint Health and Wellbeing Strategy (Item 4)

RESOLVED that the Board approves the Joint Health and Wellbeing Strategy 2024-2029.

8. Pharmaceutical Needs Assessment (Item 5)

RESOLVED that the Board notes the draft Pharmaceutical Needs Assessment.
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    root.mkdir()
    (root / "cabinet-minutes.txt").write_text(CABINET, encoding="utf-8")
    (root / "board-minutes.txt").write_text(BOARD, encoding="utf-8")
    return root


def _settings(tmp_path: Path, library: Path) -> Settings:
    return Settings(documents_dir=library, index_dir=tmp_path / "index")


def test_the_register_is_built_with_the_index_and_counted_per_document(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    report = build_index(settings, embedder, progress=False)
    store = open_store(settings.index_dir)
    assert report.decisions == 4 == len(store.decisions)
    counts = {d.source: d.decision_count for d in store.manifest.documents}
    assert counts == {"board-minutes.txt": 2, "cabinet-minutes.txt": 2}
    newest = newest_first(admitted(store, Filters()))
    assert [f.decision.date for f in newest] == ["2025-01-30"] * 2 + ["2024-06-03"] * 2
    assert [f.decision.outcome for f in newest[:2]] == ["approved", "delegated"]


def test_changing_one_minutes_document_changes_only_its_decisions(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    before = open_store(settings.index_dir).decisions
    (library / "board-minutes.txt").write_text(
        BOARD.replace("notes the draft", "defers the draft"), encoding="utf-8"
    )
    report = build_index(settings, embedder, progress=False)
    assert report.changed == ["board-minutes.txt"] and report.unchanged == 1
    after = open_store(settings.index_dir).decisions
    cabinet = [d for d in before if d.source == "cabinet-minutes.txt"]
    assert [d for d in after if d.source == "cabinet-minutes.txt"] == cabinet
    assert [d.outcome for d in after if d.source == "board-minutes.txt"] == [
        "approved",
        "deferred",
    ]

    (library / "board-minutes.txt").unlink()
    build_index(settings, embedder, progress=False)
    assert open_store(settings.index_dir).decisions == cabinet


def test_a_killed_ingest_leaves_the_register_as_it_was(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    before = open_store(settings.index_dir).decisions
    (library / "cabinet-minutes.txt").write_text(
        CABINET.replace("Adopt the", "Approve the"), encoding="utf-8"
    )
    bulk = "\n\n".join(
        f"Paragraph {n}: locality teams reviewed social prescribing and hospital discharge "
        f"arrangements with primary care networks in area {n}." * 3
        for n in range(400)
    )
    (library / "bulk.txt").write_text(bulk, encoding="utf-8")
    kill_ingest_while_embedding(library, settings.index_dir)
    assert open_store(settings.index_dir).decisions == before

    build_index(settings, embedder, progress=False)
    texts = [d.text for d in open_store(settings.index_dir).decisions]
    assert any(t.startswith("(a) Approve the Integrated Care Strategy") for t in texts)


def test_rebuild_extracts_decisions_of_unchanged_documents_again(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    report = build_index(settings, embedder, progress=False, rebuild=True)
    assert report.decisions == 4
    assert sorted(report.changed) == ["board-minutes.txt", "cabinet-minutes.txt"]
    assert len(open_store(settings.index_dir).decisions) == 4


def test_ranking_prefers_the_outcome_and_topic_a_query_names(tmp_path, library, embedder):
    settings = _settings(tmp_path, library)
    build_index(settings, embedder, progress=False)
    searcher = Searcher(open_store(settings.index_dir), embedder, settings)
    ranking = DecisionIndex(searcher)
    among = admitted(searcher.store, Filters())
    best = ranking.rank("has any council delegated its delivery plan to a director?", among, 2)
    assert best[0].decision.outcome == "delegated"
    pharmacy = ranking.rank("pharmaceutical needs assessment", among, 1)[0]
    assert pharmacy.decision.item_title == "Pharmaceutical Needs Assessment"
    only_2024 = admitted(searcher.store, Filters(since="2024", until="2024-12"))
    assert {d.source for d in only_2024} == {"board-minutes.txt"}
    assert ranking.rank("what did the cabinet decide about the weather?", among, 5, True) == []


def test_questions_about_what_was_decided_are_recognised():
    assert asks_about_decisions("What did the Leicester board resolve?")
    assert asks_about_decisions("Who approved a joint health and wellbeing strategy, and when?")
    assert not asks_about_decisions("What is the BCF?")
