"""The same text in two editions of a document is shown once."""

from __future__ import annotations

from index.build import build_index
from index.search import open_searcher
from index.settings import Settings

STRATEGY = (
    "Dementia strategy 2020 to 2023.\n\n"
    "We will increase the dementia diagnosis rate and offer every newly diagnosed person a "
    "named support worker within six weeks of diagnosis.\n\n"
    "Carers of people living with dementia will be offered a carer's assessment and short breaks."
)


def test_two_editions_of_a_document_are_collapsed(tmp_path, embedder):
    root = tmp_path / "documents"
    root.mkdir()
    (root / "dementia-strategy-designed.txt").write_text(STRATEGY, encoding="utf-8")
    (root / "dementia-strategy-plain.md").write_text(STRATEGY, encoding="utf-8")
    (root / "parks.txt").write_text(
        "Parks will have new play equipment this summer.", encoding="utf-8"
    )
    settings = Settings(
        documents_dir=root, index_dir=tmp_path / "index", passage_tokens=40, overlap_tokens=0
    )
    build_index(settings, embedder, progress=False)

    response = open_searcher(settings).search(
        "How soon will people diagnosed with dementia get support?", k=5
    )
    texts = [r.text for r in response.results]
    assert len(texts) == len(set(texts))
    sources = {r.source for r in response.results if "named support worker" in r.text}
    assert len(sources) == 1
