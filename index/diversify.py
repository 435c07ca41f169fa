"""Spread the answer across documents: a question asked across councils should not get five
neighbouring passages of one document when other documents answer it nearly as well, and no
question should get a third passage of one document in place of another document's passage
that the re-ranker scores about as high."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.settings import Settings

# Words that ask across documents: "what are other councils doing", "how do the strategies
# each", "compare the boards". A question without them wants the best passages, even if
# several come from the one document that answers it.
_ACROSS = re.compile(
    r"\b(councils|boards|authorities|organisations|areas|places|strategies|partnerships|"
    r"systems|icbs|each|other|across|compare|comparison|different)\b",
    re.IGNORECASE,
)
Ranked = list[tuple[int, float]]  # (passage number, score), best first
# Whether another document's passage (its score; the best held-back passage's) comes first.
Relevance = Callable[[float, float], bool]


def asks_across(question: str) -> bool:
    """Whether the question asks for an answer from several documents."""
    return bool(_ACROSS.search(question))


def spread_rule(
    question: str, settings: Settings, weak: Callable[[float], bool] | None
) -> tuple[int, Relevance]:
    """How many passages of one document the top k holds before other documents' come first,
    and which of those are worth it. `weak` is the re-ranker's test of a weak match; None when
    nothing was re-ranked, and then only questions asked across documents are spread."""
    if asks_across(question):
        if weak is None:
            return settings.per_document, lambda score, held: True
        return settings.per_document, lambda score, held: not weak(score)
    if weak is None:
        return 0, lambda score, held: True
    # Logits this close are a tie the re-ranker cannot call: then another document is news.
    return settings.tie_per_document, lambda score, held: score >= held - settings.tie_margin


def spread(
    ranked: Ranked,
    document_of: Callable[[int], int],
    k: int,
    per_document: int,
    relevant: Relevance,
    more: Callable[[], Ranked] | None = None,
) -> Ranked:
    """The top k of `ranked` with at most `per_document` passages of one document, as long as
    passages of other documents are still relevant: `relevant(score, held)` is asked of each
    with the score of the best passage held back.

    A passage held back is not dropped: once the next passage of a new document is no longer
    relevant, the held ones fill the remaining places in their own order. Where `ranked` runs
    out first, `more` (when given) is asked for further candidates, scored alike, to try in
    the places the held ones would fill; those not taken are left out.
    """
    if per_document <= 0:
        return ranked[:k]
    chosen: Ranked = []
    counts: dict[int, int] = {}
    held: float | None = None

    def walk(items: Ranked) -> bool:
        """Take what the rule admits; False once k are chosen or relevance runs out."""
        nonlocal held
        for number, score in items:
            if len(chosen) == k:
                return False
            document = document_of(number)
            if counts.get(document, 0) >= per_document:
                held = score if held is None else held
                continue
            if held is not None and not relevant(score, held):
                return False
            counts[document] = counts.get(document, 0) + 1
            chosen.append((number, score))
        return len(chosen) < k

    if walk(ranked) and held is not None and more is not None:
        walk(more())
    taken = {number for number, _ in chosen}
    return (chosen + [item for item in ranked if item[0] not in taken])[:k]
