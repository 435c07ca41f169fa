"""Retrieval over the seed documents: the dev questions, filters, not-found and duplicates."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from index.search import Filters, open_searcher
from tests.conftest import SHARED

DEV = SHARED / "eval" / "dev.jsonl"


def fold(text: str) -> str:
    """Compare as the dev set says: case, whitespace, curly quotes and dashes folded."""
    text = text.lower().translate(str.maketrans("‘’“”–—", "''\"\"--"))
    return re.sub(r"\s+", " ", text)


def dev_questions() -> list[dict]:
    return [
        json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="module")
def searcher(seeds_settings):
    return open_searcher(seeds_settings)


@pytest.mark.skipif(not DEV.is_file(), reason="needs ../shared/eval/dev.jsonl beside the repo")
def test_dev_questions_find_their_passages(searcher):
    misses = []
    for item in dev_questions():
        response = searcher.search(item["question"], k=5)
        texts = [fold(r.text) for r in response.results]
        if item["kind"] == "none":
            if response.answer.found:
                misses.append(item["id"])
            continue
        if not response.answer.found or not all(
            any(fold(p) in t for t in texts) for p in item["expect"]
        ):
            misses.append(item["id"])
    assert misses == []


def test_results_carry_citations_and_highlights(searcher):
    response = searcher.search(
        "What authority was delegated to the Director of Public Health in Kent?"
    )
    top = response.results[0]
    assert top.organisation == "Kent County Council"
    assert top.source.startswith("kent-cabinet")
    assert top.highlights and all(h in top.text for h in top.highlights)
    assert response.answer.found and response.answer.citations[0] == 1
    assert "[1]" in response.answer.text


def test_filters_restrict_to_an_organisation_and_dates(searcher):
    response = searcher.search(
        "consultation on the strategy", k=5, filters=Filters(organisations=("leicester",))
    )
    assert response.results and {r.organisation for r in response.results} == {
        "Leicester City Council"
    }
    none = searcher.search("consultation", filters=Filters(since="2999"))
    assert none.results == [] and not none.answer.found


def test_unanswerable_question_says_so(searcher):
    response = searcher.search("What time does the swimming pool open on Sundays?")
    assert not response.answer.found
    assert "Nothing in the library" in response.answer.text


def counted_pairs(searcher, monkeypatch) -> list[int]:
    """The number of pairs in each scoring call the cross-encoder makes from now on."""
    encoder = searcher.cross_encoder
    scored: list[int] = []
    score = encoder.score
    monkeypatch.setattr(
        encoder, "score", lambda q, texts: scored.append(len(texts)) or score(q, texts)
    )
    return scored


def test_the_engine_reads_deeper_before_saying_not_found(seeds_settings, monkeypatch):
    """A question whose re-ranked candidates are all under the threshold has the first stage's
    candidates read down to `not_found_depth` before "not found"; an answered one costs no
    more pairs."""
    searcher = open_searcher(replace(seeds_settings, not_found_depth=30, deeper_confidence=0.0))
    scored = counted_pairs(searcher, monkeypatch)
    depth, deeper = seeds_settings.rerank_depth, 30 - seeds_settings.rerank_depth

    unanswerable = searcher.search("What time does the swimming pool open on Sundays?")
    assert not unanswerable.answer.found
    assert scored[:2] == [depth, deeper]  # those re-ranked, then the rest to 30 before "not found"

    scored.clear()
    answered = searcher.search(
        "What did Medway's committee note about the integrated care strategy?"
    )
    assert answered.answer.found
    assert scored[0] == depth and deeper not in scored

    scored.clear()
    searcher = open_searcher(replace(seeds_settings, not_found_depth=0, deeper_confidence=0.0))
    searcher.search("What time does the swimming pool open on Sundays?")
    assert scored[0] == depth and deeper not in scored


def test_only_a_near_miss_is_read_deeper(seeds_settings, monkeypatch):
    """With the shipped `deeper_confidence`, a question whose best passage is a near miss
    (bus routes: Gloucestershire's CQC assessment mentions transport and a pilot bus, not
    routes) is read deeper; one the library is nowhere near (a swimming pool) gets its "not
    found" from those re-ranked alone."""
    searcher = open_searcher(replace(seeds_settings, not_found_depth=30))
    scored = counted_pairs(searcher, monkeypatch)
    depth, deeper = seeds_settings.rerank_depth, 30 - seeds_settings.rerank_depth

    far_off = searcher.search("What time does the swimming pool open on Sundays?")
    assert not far_off.answer.found
    assert scored[0] == depth and deeper not in scored

    scored.clear()
    searcher.search("Will the Gloucestershire bus routes change?")
    assert scored[:2] == [depth, deeper]
