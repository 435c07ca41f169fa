"""`precedent eval`'s scoring: a passage judged to answer a question counts as a hit."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from index.evaluate import Works, load_questions, quotes_answer, score_method
from index.search import open_searcher
from tests.conftest import build_library

QUESTION = "What authority was delegated to the Director of Public Health in Kent?"
# Not in the seed library: the author's phrase that no passage holds.
UNFORESEEN = "the authority was given to the Chief Executive alone"
ANSWERING = "make non-substantial revisions to the Integrated Care Strategy Delivery Plan"


@pytest.fixture(scope="module")
def searcher(seeds_settings):
    return open_searcher(seeds_settings)


def write_questions(path, *questions: dict) -> None:
    path.write_text("\n".join(json.dumps(q) for q in questions) + "\n", encoding="utf-8")


def test_a_judged_also_phrase_makes_a_hit_that_the_expected_phrase_alone_does_not(
    searcher, tmp_path
):
    asked = {"id": "T1", "kind": "single", "question": QUESTION, "expect": [UNFORESEEN]}
    judged = {**asked, "id": "T2", "also": [{"phrase": ANSWERING, "doc": "kent.txt"}]}
    write_questions(tmp_path / "q.jsonl", asked, judged)
    first, second = load_questions(tmp_path / "q.jsonl")
    assert second.answers == (UNFORESEEN, ANSWERING)

    without = score_method(searcher, [first], "hybrid+rerank")
    with_also = score_method(searcher, [second], "hybrid+rerank")
    assert without.values["hit@5"] == 0.0 and without.misses == ["T1"]
    assert with_also.values["hit@5"] == 1.0 and with_also.misses == []


def test_an_answer_counts_as_quoted_only_when_it_quotes_the_answering_sentence(searcher):
    response = searcher.search(QUESTION, k=10)
    first = response.results[0]
    answering = next(line for line in first.text.splitlines() if ANSWERING in line)
    adopt = next(line for line in first.text.splitlines() if line.startswith("(a) Adopt"))
    shown = replace(response, results=[replace(first, highlights=[adopt, answering])])

    def quoting(*sentences: str):
        text = " ".join(sentences) + " [1]"
        return replace(shown, answer=replace(response.answer, found=True, text=text, citations=[1]))

    assert quotes_answer(quoting(answering), (ANSWERING,))
    assert quotes_answer(quoting(adopt, answering), (ANSWERING,))
    assert not quotes_answer(quoting(adopt), (ANSWERING,))
    assert not quotes_answer(quoting(answering), (UNFORESEEN,))


LONELINESS = "What are councils doing about loneliness among older people?"
ASHFORD = (
    "Ashford Borough Council runs lunch clubs and befriending calls so that older residents "
    "living alone are less lonely. Volunteers visit each week and the council funds transport "
    "to community centres.\n\nThe council also maps where isolated older people live."
)
BRADFORD = (
    "In Bradford the health and wellbeing board funds social prescribing link workers who "
    "connect isolated older people with walking groups, choirs and day centres."
)
PARKING = "The parking permit scheme covers the town centre and the station car park."


def test_a_judged_answer_from_another_council_counts_as_a_needed_document(embedder, tmp_path):
    searcher = build_library(
        tmp_path,
        {"ashford.txt": ASHFORD, "bradford.txt": BRADFORD, "parking.txt": PARKING},
        embedder,
    )
    asked = {
        "id": "M1",
        "kind": "multi",
        "question": LONELINESS,
        "expect": ["runs lunch clubs and befriending calls", "the phrase nobody wrote"],
    }
    judged = {
        **asked,
        "id": "M2",
        "also": [{"phrase": "social prescribing link workers", "doc": "bradford.txt"}],
    }
    # Two phrases of one council's document are still one document's answer.
    one_council = {**asked, "id": "M3", "expect": ["lunch clubs", "maps where isolated older"]}
    write_questions(tmp_path / "q.jsonl", asked, judged, one_council)
    scores = [
        score_method(searcher, [q], "hybrid+rerank").values["multi_recall@5"]
        for q in load_questions(tmp_path / "q.jsonl")
    ]
    assert scores == [0.5, 1.0, 0.5]


def test_copies_and_editions_of_a_document_count_as_one_work(embedder, tmp_path):
    searcher = build_library(
        tmp_path,
        {
            "ashford.txt": ASHFORD,
            "ashford-web-copy.txt": ASHFORD + "\n\nPublished on the council website.",
            "bradford.txt": BRADFORD,
        },
        embedder,
    )
    works = Works(searcher.store)
    assert works.count(["ashford.txt", "ashford-web-copy.txt"]) == 1
    assert works.count(["ashford.txt", "bradford.txt", "ashford-web-copy.txt"]) == 2
