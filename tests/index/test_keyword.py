from index.keyword import KeywordIndex


def test_question_words_do_not_count_as_keywords() -> None:
    index = KeywordIndex.build(
        [
            "What did residents say? They told us what they did and how many times.",
            "The council agreed a new parking policy for the town centre.",
        ]
    )

    question = "What did the council say about parking?"
    scores = index.scores(question)

    assert index.known_tokens(question) == ["council", "park"]
    assert scores[1] > 0 and scores[0] == 0


def test_question_words_are_never_unknown() -> None:
    index = KeywordIndex.build(["The council agreed a new parking policy."])

    assert index.unknown_tokens("Whom did the council tell of parking?") == []
