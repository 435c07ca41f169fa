"""Spread the answer across documents: a question asked across councils should not get five
neighbouring passages of one document when other documents answer it nearly as well."""

from __future__ import annotations

import re
from collections.abc import Callable

# Words that ask across documents: "what are other councils doing", "how do the strategies
# each", "compare the boards". A question without them wants the best passages, even if
# several come from the one document that answers it.
_ACROSS = re.compile(
    r"\b(councils|boards|authorities|organisations|areas|places|strategies|partnerships|"
    r"systems|icbs|each|other|across|compare|comparison|different)\b",
    re.IGNORECASE,
)
Ranked = list[tuple[int, float]]  # (passage number, score), best first


def asks_across(question: str) -> bool:
    """Whether the question asks for an answer from several documents."""
    return bool(_ACROSS.search(question))


def spread(
    ranked: Ranked,
    document_of: Callable[[int], int],
    k: int,
    per_document: int,
    relevant: Callable[[float], bool],
) -> Ranked:
    """The top k of `ranked` with at most `per_document` passages of one document, as long as
    passages of other documents are still relevant.

    A passage held back is not dropped: once the next passage of a new document is no longer
    relevant, the held ones fill the remaining places in their own order.
    """
    if per_document <= 0:
        return ranked[:k]
    chosen: Ranked = []
    counts: dict[int, int] = {}
    held = False
    for number, score in ranked:
        if len(chosen) == k:
            break
        document = document_of(number)
        if counts.get(document, 0) >= per_document:
            held = True
            continue
        if held and not relevant(score):
            break
        counts[document] = counts.get(document, 0) + 1
        chosen.append((number, score))
    taken = {number for number, _ in chosen}
    return (chosen + [item for item in ranked if item[0] not in taken])[:k]
