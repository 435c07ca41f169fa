"""The answer: the sentences that answer the question, how sure the engine is, or "not found".

Two sources of evidence reach this stage. With re-ranking, the cross-encoder has read the
question with each passage and its sentence windows, and its logit is a calibrated relevance
signal. Without it, only cosine similarities of the question to passages and sentences are
known; they rank well but say little about whether anything answers at all, hence the extra
rule for questions that use words the library never does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ANSWER_SENTENCES = 3
ANSWER_RELATIVE = 0.85  # share of the closest sentence's similarity another must reach
ANSWER_LOGIT_GAP = 2.0  # with re-ranking: how far below the best window another may score
CONFIDENCE_SCALE = 2.0
NOT_FOUND = "Nothing in the library answers this question."


@dataclass
class Answer:
    found: bool
    text: str
    citations: list[int]  # ranks of the results the answer cites
    confidence: float = 0.0  # 0 to 1: how likely the first cited passage answers the question
    weak: bool = False  # found, but the best match is not a strong one


@dataclass(frozen=True)
class Evidence:
    """What the answer is composed from: one entry per result, in rank order."""

    rank: int
    highlights: list[str]
    highlight_score: float  # of the best highlighted sentence: logit, or cosine similarity
    similarity: float  # cosine similarity of the passage to the question


def confidence_of(logit: float, threshold: float) -> float:
    """The cross-encoder's logit as 0 to 1, centred so that the not-found threshold reads 0.5;
    halved, so that it rises over the few logits where answers are told from near misses
    rather than saturating within one."""
    return 1.0 / (1.0 + math.exp(-(logit - threshold) / CONFIDENCE_SCALE))


def reranked_answer(
    evidence: list[Evidence],
    best_logit: float,
    threshold: float,
    weak_below: float,
    unknown_words: bool,
) -> Answer:
    """Found when the best re-ranked score clears the threshold, and, when the question uses a
    word the library never does ("Ofsted"), only if the match is not a weak one: then the
    passages are about something near it. Each cited passage is quoted by its best window,
    both sentences: the cross-encoder judged them together."""
    confidence = confidence_of(best_logit, threshold)
    usable = [e for e in evidence if e.highlights]
    if best_logit < threshold or not usable or (unknown_words and confidence < weak_below):
        return not_found(confidence)
    best = max(e.highlight_score for e in usable)
    chosen = [usable[0]] + [
        e for e in usable[1:] if e.highlight_score >= max(best - ANSWER_LOGIT_GAP, threshold)
    ]
    return _compose(chosen, confidence, confidence < weak_below, reranked=True)


def embedding_answer(
    evidence: list[Evidence], floor: float, sentence_floor: float, unknown_words: bool
) -> Answer:
    """Without re-ranking: found above a cosine floor, and, when the question uses a word the
    library never does ("burial", "Ofsted"), only if one sentence is a close match on its own.
    The first relevant passage leads (rank beats sentence similarity at finding the right
    passage); another adds its sentence only if that is nearly as close as the closest one."""
    if not evidence:
        return not_found(0.0)
    top_similarity = max(e.similarity for e in evidence)
    confidence = min(max(top_similarity, 0.0), 1.0)
    relevant = [e for e in evidence if e.similarity >= floor and e.highlights]
    if not relevant:
        return not_found(confidence)
    if unknown_words:
        best_sentence = max(e.highlight_score for e in evidence[:ANSWER_SENTENCES])
        if best_sentence < sentence_floor:
            return not_found(confidence)
    strongest = max(e.highlight_score for e in relevant)
    chosen = [relevant[0]] + [
        e for e in relevant[1:] if e.highlight_score >= ANSWER_RELATIVE * strongest
    ]
    return _compose(chosen, confidence, weak=False, reranked=False)


def quoted_sentences(highlights: list[str], reranked: bool) -> list[str]:
    """What an answer quotes of a passage's highlights, and so the page it cites: re-ranked, the
    whole window (the cross-encoder judged its sentences together); else the closest sentence."""
    return highlights if reranked else highlights[:1]


def _compose(chosen: list[Evidence], confidence: float, weak: bool, reranked: bool) -> Answer:
    chosen = chosen[:ANSWER_SENTENCES]
    text = " ".join(
        f"{' '.join(quoted_sentences(e.highlights, reranked))} [{e.rank}]" for e in chosen
    )
    return Answer(True, text, [e.rank for e in chosen], round(confidence, 3), weak)


def not_found(confidence: float) -> Answer:
    return Answer(False, NOT_FOUND, [], round(confidence, 3))
