"""The same text in two editions of a document is shown once."""

from __future__ import annotations

import numpy as np

from tests.conftest import build_library

STRATEGY = (
    "Dementia strategy 2020 to 2023.\n\n"
    "We will increase the dementia diagnosis rate and offer every newly diagnosed person a "
    "named support worker within six weeks of diagnosis.\n\n"
    "Carers of people living with dementia will be offered a carer's assessment and short breaks."
)
PARKS = {"parks.txt": "Parks will have new play equipment this summer."}


def test_two_editions_of_a_document_are_collapsed(tmp_path, embedder):
    files = {"dementia-strategy-designed.txt": STRATEGY, "dementia-strategy-plain.md": STRATEGY}
    searcher = build_library(
        tmp_path, {**files, **PARKS}, embedder, passage_tokens=40, overlap_tokens=0
    )

    response = searcher.search("How soon will people diagnosed with dementia get support?", k=5)
    texts = [r.text for r in response.results]
    assert len(texts) == len(set(texts))
    sources = {r.source for r in response.results if "named support worker" in r.text}
    assert len(sources) == 1


DECISION = (
    "Resolved: that the Cabinet adopts the Integrated Care Strategy delivery plan and delegates "
    "to the Director of Public Health the authority to make minor revisions to it."
)
MORE = (
    "The Cabinet also noted the annual report on air quality, which found that nitrogen dioxide "
    "levels near schools had fallen for the third year running, and thanked the officers."
)


def test_a_copy_of_a_paragraph_is_shown_once_and_the_fuller_passage_is_kept(tmp_path, embedder):
    """A paragraph copied into another file (an extract of the minutes) is cut differently from
    the original, so their embeddings differ; the shared text still shows once, in full."""
    files = {"cabinet-minutes.txt": f"{DECISION}\n\n{MORE}", "decision-extract.txt": DECISION}
    searcher = build_library(
        tmp_path, {**files, **PARKS}, embedder, passage_tokens=120, overlap_tokens=0
    )
    holding = [n for n, p in enumerate(searcher.store.passages) if "delegates" in p.text]
    assert len(holding) == 2
    first, second = (np.asarray(searcher.store.embeddings[n]) for n in holding)
    assert float(first @ second) < searcher.settings.duplicate_similarity  # the embeddings differ

    response = searcher.search("What did the Cabinet delegate to the Director of Public Health?")
    shown = [r for r in response.results if "delegates" in r.text]
    assert len(shown) == 1
    assert shown[0].source == "cabinet-minutes.txt" and "nitrogen dioxide" in shown[0].text


def test_duplicate_overlap_zero_switches_the_text_rule_off(tmp_path, embedder):
    files = {"cabinet-minutes.txt": f"{DECISION}\n\n{MORE}", "decision-extract.txt": DECISION}
    searcher = build_library(
        tmp_path,
        {**files, **PARKS},
        embedder,
        passage_tokens=120,
        overlap_tokens=0,
        duplicate_overlap=0,
    )
    response = searcher.search("What did the Cabinet delegate to the Director of Public Health?")
    assert {r.source for r in response.results if "delegates" in r.text} == set(files)
