"""The cross-encoder from the installed wheel, and what re-ranking does on real fixture libraries."""

from __future__ import annotations

import pytest

from index.rerank import (
    DEFAULT_RERANKER,
    OnnxCrossEncoder,
    RerankerUnavailable,
    bundled_folder,
    load_cross_encoder,
    sentence_windows,
)
from tests.conftest import build_library

BERLIN = "How many people live in Berlin?"
POPULATION = "Berlin has a population of 3,520,031 registered inhabitants in 891.82 square km."
NEW_YORK = "New York City is famous for the Metropolitan Museum of Art."


@pytest.fixture(scope="module")
def cross_encoder():
    return load_cross_encoder(DEFAULT_RERANKER)


def test_the_default_model_loads_offline_from_the_installed_wheel(cross_encoder):
    folder = bundled_folder(DEFAULT_RERANKER)
    assert folder is not None and (folder / "model.onnx").is_file()
    assert "site-packages" in str(folder) or "dist-packages" in str(folder)
    assert isinstance(cross_encoder, OnnxCrossEncoder)


def test_a_relevant_passage_outscores_an_irrelevant_one(cross_encoder):
    relevant, irrelevant = cross_encoder.score(BERLIN, [POPULATION, NEW_YORK])
    assert relevant > 5 and irrelevant < 0


def test_a_pair_scores_the_same_alone_and_beside_a_much_longer_one(cross_encoder):
    """Padding is off: a short pair is not stretched to 512 word pieces or to its neighbour."""
    long_text = " ".join(["The council noted the report on adult social care."] * 40)
    alone = cross_encoder.score(BERLIN, [POPULATION])[0]
    batched = cross_encoder.score(BERLIN, [long_text, POPULATION])[1]
    assert alone == pytest.approx(batched, abs=1e-5)
    assert len(cross_encoder.tokenizer.encode(BERLIN, POPULATION).ids) < 64


def test_scores_come_back_in_the_order_the_texts_were_given(cross_encoder):
    """Longer pairs are scored first; each score still belongs to its own text."""
    texts = [POPULATION, NEW_YORK, " ".join([NEW_YORK] * 12), POPULATION + " " + NEW_YORK]
    together = cross_encoder.score(BERLIN, texts)
    one_by_one = [cross_encoder.score(BERLIN, [text])[0] for text in texts]
    assert together.tolist() == pytest.approx(one_by_one, abs=1e-5)
    assert together[0] > 5 and together[1] < 0


def test_an_unknown_model_is_refused_with_what_to_do():
    with pytest.raises(RerankerUnavailable, match="rerank = false"):
        load_cross_encoder("/no/such/cross-encoder")


def test_windows_are_neighbouring_sentences_of_the_passage():
    text = (
        "The board met in March. It agreed the strategy for the county. "
        "Members asked about funding for carers. The chair thanked officers for the report."
    )
    windows = sentence_windows(text)
    assert windows[0] == ["The board met in March.", "It agreed the strategy for the county."]
    assert len(windows) == 3 and all(s in text for w in windows for s in w)


# Four short documents: only one says who chairs the board, in words the question does not use;
# the others repeat the question's words without answering it.
CHAIR = {
    "terms-of-reference.txt": (
        "Terms of reference of the Health and Wellbeing Board.\n\n"
        "Councillor Jane Morris, the Cabinet Member for Adult Social Care, presides over "
        "meetings. In her absence the vice-chair, a non-executive director of the ICB, "
        "takes her place."
    ),
    "board-annual-report.txt": (
        "Annual report of the Health and Wellbeing Board.\n\n"
        "Who chairs the health and wellbeing board meetings is a question residents often ask "
        "about the board. The board meetings are held in public and board papers are published "
        "a week before the meetings of the health and wellbeing board."
    ),
    "chairs-guidance.txt": (
        "Guidance for chairs of council meetings.\n\n"
        "Chairs of meetings should keep to the agenda, allow members to speak and make sure "
        "that the health and wellbeing of staff is considered when meetings run late."
    ),
    "parks.txt": (
        "Parks and open spaces strategy.\n\n"
        "The council maintains forty parks, and the board of the parks trust meets quarterly."
    ),
}


def test_rerank_puts_first_a_passage_that_bm25_and_dense_rank_lower(tmp_path, embedder):
    searcher = build_library(tmp_path, CHAIR, embedder)
    question = "Who chairs the health and wellbeing board meetings?"
    first_of = {
        method: searcher.search(question, k=4, method=method).results[0].source
        for method in ("bm25", "dense", "hybrid")
    }
    assert all(source != "terms-of-reference.txt" for source in first_of.values()), first_of
    reranked = searcher.search(question, k=4)
    assert reranked.method == "hybrid+rerank"
    assert reranked.results[0].source == "terms-of-reference.txt"
    assert any("presides over" in h for h in reranked.results[0].highlights)
    assert reranked.answer.found and reranked.answer.citations[0] == 1
    assert 0.5 < reranked.answer.confidence <= 1.0


GAPS = (
    "Drug and alcohol needs assessment 2014.\n\n"
    "The assessment was carried out by the public health team over six months. "
    "In relation to specific gaps in services, the report noted the following:\n"
    "• There should be an increased emphasis on recovery.\n"
    "• Services for young people were rated good. The next review is due in 2019."
)


def test_the_answer_quotes_the_best_window_whole_in_the_documents_order(tmp_path, embedder):
    """The two sentences are judged together, so both are quoted: alone, the lead-in that
    repeats the question's words would outscore the sentence that answers."""
    searcher = build_library(tmp_path, {**CHAIR, "needs-assessment.txt": GAPS}, embedder)
    response = searcher.search("What gaps in services did the needs assessment find?", k=4)
    top = response.results[0]
    assert top.source == "needs-assessment.txt"
    assert len(top.highlights) == 2
    assert top.text.index(top.highlights[0]) < top.text.index(top.highlights[1])
    assert any("emphasis on recovery" in sentence for sentence in top.highlights)
    assert response.answer.text == f"{' '.join(top.highlights)} [1]"


def test_a_question_nothing_answers_is_not_found_through_the_threshold(tmp_path, embedder):
    searcher = build_library(tmp_path, CHAIR, embedder)
    response = searcher.search("When does the swimming pool open on Sundays?", k=4)
    assert response.results  # there are candidates, but none clears the cross-encoder threshold
    assert not response.answer.found
    assert response.answer.confidence < 0.5
    assert "Nothing in the library" in response.answer.text


def _council(name: str, measure: str) -> str:
    paragraphs = [
        f"{name} Council prevention plan.",
        f"To prevent falls among older residents, {name} Council {measure}.",
    ] + [
        f"{name} Council section {n}: the council's waste collection, parking permits and "
        "library opening hours are reviewed each year by the scrutiny committee."
        for n in range(6)
    ]
    return "\n\n".join(paragraphs)


def test_a_question_across_councils_returns_every_council_in_the_top_five(tmp_path, embedder):
    files = {
        "ashford.txt": _council("Ashford", "funds strength and balance classes in leisure centres"),
        "dover.txt": _council("Dover", "fits grab rails and home adaptations through its grants"),
        "thanet.txt": _council("Thanet", "trains wardens to check on residents after a fall"),
    }
    searcher = build_library(tmp_path, files, embedder, passage_tokens=48, overlap_tokens=0)
    response = searcher.search("What are the councils each doing to prevent falls?", k=5)
    # Each council's best passage comes before any council's second.
    assert {r.source for r in response.results[:3]} == set(files)


def test_no_rerank_is_the_fast_path(tmp_path, embedder):
    searcher = build_library(tmp_path, CHAIR, embedder, rerank=False)
    response = searcher.search("Who chairs the health and wellbeing board meetings?", k=4)
    assert response.method == "hybrid" and "rerank" not in response.timings_ms
