"""Acronyms find passages that spell them out, and the reverse."""

from __future__ import annotations

from index.build import build_index
from index.glossary import default_glossary
from index.search import open_searcher
from index.settings import Settings


def test_widening_adds_the_other_form_only():
    glossary = default_glossary()
    assert "Better Care Fund" in glossary.widen("What is the BCF?")
    assert "BCF" in glossary.widen("How is the Better Care Fund spent?")
    assert glossary.widen("Is there ice on the roads?") == "Is there ice on the roads?"
    assert glossary.lookup("S75").expansion.startswith("Section 75")


def test_the_cross_encoder_reads_what_a_written_acronym_stands_for():
    glossary = default_glossary()
    assert glossary.spelled_out("s75") == "s75 (Section 75 agreement)"
    assert glossary.spelled_out("CQC on the ICS") == (
        "CQC on the ICS (Care Quality Commission; Integrated Care System)"
    )
    # Spelled out already: the acronym is not added, unlike the keyword widening.
    assert glossary.spelled_out("How is the Better Care Fund spent?") == (
        "How is the Better Care Fund spent?"
    )
    assert glossary.spelled_out("Is there ice on the roads?") == "Is there ice on the roads?"


def test_a_bare_acronym_finds_the_passage_that_spells_it_out(seeds_settings):
    """ "s75" alone: the CQC assessment writes "section 75 agreements", never "s75"."""
    searcher = open_searcher(seeds_settings)
    response = searcher.search("s75", k=3)
    assert response.answer.found, response.answer
    first = response.results[0]
    assert first.source == "cqc-gloucestershire-partnerships-and-communities.txt"
    assert any("section 75 agreements" in h for h in first.highlights)
    plain = open_searcher(seeds_settings.with_overrides(expand_acronyms=False))
    assert not plain.search("s75", k=3).answer.found  # read as written, nothing answers it


def test_an_acronym_finds_the_spelled_out_passage_and_the_reverse(tmp_path, embedder):
    root = tmp_path / "documents"
    root.mkdir()
    (root / "pooled.txt").write_text(
        "The Better Care Fund pools NHS and council money for community services.\n\n"
        "Parking on the high street will be reviewed next spring.",
        encoding="utf-8",
    )
    (root / "boards.txt").write_text(
        "The ICB signed the s75 agreement with the council in March.\n\n"
        "Library opening hours are unchanged.",
        encoding="utf-8",
    )
    settings = Settings(
        documents_dir=root, index_dir=tmp_path / "index", passage_tokens=24, overlap_tokens=0
    )
    build_index(settings, embedder, progress=False)
    searcher = open_searcher(settings)
    assert searcher.search("How much goes into the BCF?", k=1).results[0].source == "pooled.txt"
    widened = searcher.search("Which integrated care board signed a section 75 agreement?", k=1)
    assert widened.results[0].source == "boards.txt"
    bm25 = searcher.retrieve("BCF", k=3, method="bm25")
    assert bm25.top == []  # the plain keyword baseline cannot see the acronym; the engine can
    assert searcher.retrieve("BCF", k=1).top
