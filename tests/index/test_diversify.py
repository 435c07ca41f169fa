"""The spread across documents, on plain rankings: who is held back, and when they come back."""

from __future__ import annotations

from index.diversify import asks_across, spread, spread_rule
from index.settings import Settings

# passage number -> document: passages 0-3 are document A's, 4-5 B's, 6 C's.
OWNER = {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2}


def documents(ranked):
    return [OWNER[n] for n, _ in ranked]


def test_a_third_passage_of_one_document_gives_way_to_relevant_others():
    ranked = [(0, 9.0), (1, 8.0), (2, 7.0), (3, 6.0), (4, 5.0), (6, 4.0), (5, 3.0)]
    top = spread(ranked, OWNER.__getitem__, 5, 2, lambda score, held: score >= 0)
    assert documents(top) == [0, 0, 1, 2, 1]
    assert [n for n, _ in top][:2] == [0, 1]  # the best passages keep their places


def test_held_passages_come_back_before_weak_ones_from_other_documents():
    ranked = [(0, 9.0), (1, 8.0), (2, 7.0), (4, -5.0), (6, -6.0)]
    top = spread(ranked, OWNER.__getitem__, 4, 2, lambda score, held: score >= 0)
    assert [n for n, _ in top] == [0, 1, 2, 4]


def test_no_limit_keeps_the_ranking():
    ranked = [(0, 3.0), (1, 2.0), (2, 1.0)]
    assert spread(ranked, OWNER.__getitem__, 2, 0, lambda score, held: True) == ranked[:2]


def test_a_near_tie_lets_another_document_in_and_a_clear_gap_does_not():
    """As the engine spreads a question not asked across documents: two passages of one
    document, then another document's passage only where it scores within 1 of the third."""

    def near(score: float, held: float) -> bool:
        return score >= held - 1.0

    tied = [(0, 9.0), (1, 8.0), (2, 7.0), (4, 6.5), (3, 6.0), (6, 2.0)]
    assert documents(spread(tied, OWNER.__getitem__, 5, 2, near)) == [0, 0, 1, 0, 0]
    clear = [(0, 9.0), (1, 8.0), (2, 7.0), (4, 4.5), (3, 4.0)]
    assert [n for n, _ in spread(clear, OWNER.__getitem__, 5, 2, near)] == [0, 1, 2, 4, 3]


def test_further_candidates_are_read_only_when_the_ranking_runs_out():
    """Passages 0-3 are all one document's: with room for two of them, the next two places
    go to relevant passages of other documents from `more`, and a weak one is left out."""
    asked = []

    def more():
        asked.append(True)
        return [(4, 5.0), (6, 4.0), (5, -5.0)]

    ranked = [(0, 9.0), (1, 8.0), (2, 7.0), (3, 6.0)]
    top = spread(ranked, OWNER.__getitem__, 5, 2, lambda score, held: score >= 0, more)
    assert [n for n, _ in top] == [0, 1, 4, 6, 2]
    full = [(0, 9.0), (4, 8.0), (1, 7.0), (6, 6.0), (5, 5.0), (2, 4.0)]
    asked.clear()
    spread(full, OWNER.__getitem__, 5, 2, lambda score, held: score >= 0, more)
    assert not asked  # five were found among the ranked: nothing more is scored


def test_only_questions_asked_across_documents_are_spread():
    assert asks_across("What are other councils doing about loneliness?")
    assert asks_across("How do the strategies each describe prevention?")
    assert not asks_across("What did Kent's cabinet decide about the delivery plan?")


def test_the_rule_depends_on_the_question_and_on_re_ranking():
    settings = Settings()
    weak = lambda score: score < 0
    across = "What are other councils doing about loneliness?"
    one = "What did Kent's cabinet decide about the delivery plan?"
    cap, relevant = spread_rule(across, settings, weak)
    assert cap == settings.per_document and relevant(0.5, 9.0) and not relevant(-0.5, 0.0)
    cap, relevant = spread_rule(one, settings, weak)
    assert cap == settings.tie_per_document
    assert relevant(8.5, 9.0) and not relevant(7.5, 9.0)  # within tie_margin (1.0) of the held
    assert spread_rule(one, settings, None)[0] == 0  # fused scores are no logits: left alone
    assert spread_rule(across, settings, None)[0] == settings.per_document
