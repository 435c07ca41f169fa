"""`precedent eval`'s scoring: a passage judged to answer a question counts as a hit."""

from __future__ import annotations

import json

import pytest

from index.evaluate import load_questions, score_method
from index.search import open_searcher

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
