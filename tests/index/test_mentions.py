"""Which organisations and document types a question names, and which documents that prefers."""

from __future__ import annotations

from index.mentions import MentionFinder, organisation_names
from index.store import DocumentRecord


def _record(source: str, organisation: str | None, doc_type: str | None) -> DocumentRecord:
    return DocumentRecord(
        source=source,
        title=source,
        organisation=organisation,
        doc_type=doc_type,
        date=None,
        pages=None,
        content_hash="",
        first_passage=0,
        passage_count=1,
    )


KENT = _record("kent.pdf", "Kent County Council", "strategy")
WEST_SUSSEX = _record("jsna.html", "West Sussex County Council", "jsna")
ICB = _record("constitution.pdf", "NHS Cambridgeshire and Peterborough Integrated Care Board", None)
UNKNOWN = _record("notes.txt", None, None)
FINDER = MentionFinder.for_documents([KENT, WEST_SUSSEX, ICB, UNKNOWN])


def test_organisation_names_keep_only_the_place() -> None:
    assert organisation_names("Kent County Council") == ["kent"]
    assert organisation_names(ICB.organisation) == ["cambridgeshire", "peterborough"]
    assert organisation_names("Brighton & Hove City Council") == ["brighton", "hove"]


def test_a_possessive_names_the_organisation() -> None:
    mentions = FINDER.find("What did Kent's cabinet say about the strategy?")
    assert mentions.organisations == {"Kent County Council"}
    assert mentions.prefers(KENT)
    assert not mentions.prefers(UNKNOWN)


def test_a_document_type_is_preferred_whoever_wrote_it() -> None:
    mentions = FINDER.find("Which JSNA covers later life?")
    assert mentions.doc_types == {"jsna"}
    assert mentions.prefers(WEST_SUSSEX) and not mentions.prefers(KENT)


def test_a_question_naming_nobody_prefers_nothing() -> None:
    mentions = FINDER.find("How are district councils involved in prevention?")
    assert not mentions
    assert not any(mentions.prefers(d) for d in (KENT, WEST_SUSSEX, ICB, UNKNOWN))
