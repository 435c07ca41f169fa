"""The spread across documents, on plain rankings: who is held back, and when they come back."""

from __future__ import annotations

from index.diversify import asks_across, spread

# passage number -> document: passages 0-3 are document A's, 4-5 B's, 6 C's.
OWNER = {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2}


def documents(ranked):
    return [OWNER[n] for n, _ in ranked]


def test_a_third_passage_of_one_document_gives_way_to_relevant_others():
    ranked = [(0, 9.0), (1, 8.0), (2, 7.0), (3, 6.0), (4, 5.0), (6, 4.0), (5, 3.0)]
    top = spread(ranked, OWNER.__getitem__, 5, 2, lambda score: score >= 0)
    assert documents(top) == [0, 0, 1, 2, 1]
    assert [n for n, _ in top][:2] == [0, 1]  # the best passages keep their places


def test_held_passages_come_back_before_weak_ones_from_other_documents():
    ranked = [(0, 9.0), (1, 8.0), (2, 7.0), (4, -5.0), (6, -6.0)]
    top = spread(ranked, OWNER.__getitem__, 4, 2, lambda score: score >= 0)
    assert [n for n, _ in top] == [0, 1, 2, 4]


def test_no_limit_keeps_the_ranking():
    ranked = [(0, 3.0), (1, 2.0), (2, 1.0)]
    assert spread(ranked, OWNER.__getitem__, 2, 0, lambda score: True) == ranked[:2]


def test_only_questions_asked_across_documents_are_spread():
    assert asks_across("What are other councils doing about loneliness?")
    assert asks_across("How do the strategies each describe prevention?")
    assert not asks_across("What did Kent's cabinet decide about the delivery plan?")
